// Small behaviours shared by every page; no inline scripts in templates.
document.addEventListener("submit", function (event) {
  // <form data-confirm="…"> asks before an irreversible step.
  var form = event.target;
  var message = form.getAttribute && form.getAttribute("data-confirm");
  var submitter = event.submitter;
  if (submitter && submitter.getAttribute("data-confirm")) {
    message = submitter.getAttribute("data-confirm");
  }
  if (message && !window.confirm(message)) {
    event.preventDefault();
  }
});
