// Small behaviours shared by every page; no inline scripts in templates.
document.addEventListener("submit", function (event) {
  // <form data-confirm="…"> asks before an irreversible step.
  var form = event.target;
  if (event.defaultPrevented) { return; }  // a page's own check stopped it (e.g. scoring.js)
  var message = form.getAttribute && form.getAttribute("data-confirm");
  var submitter = event.submitter;
  if (submitter && submitter.getAttribute("data-confirm")) {
    message = submitter.getAttribute("data-confirm");
  }
  if (message && !window.confirm(message)) {
    event.preventDefault();
  }
});
