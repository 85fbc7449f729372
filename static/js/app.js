// Small behaviours shared by every page; no inline scripts in templates.
document.addEventListener("submit", function (event) {
  // <form data-confirm="…"> asks before an irreversible step.
  var form = event.target;
  // <form data-require-checked="projects" data-nothing-checked="…">: a bulk form says what is
  // missing before it asks to confirm anything.
  var required = form.getAttribute && form.getAttribute("data-require-checked");
  if (required) {
    var checked = Array.prototype.filter.call(form.elements, function (item) {
      return item.name === required && item.checked;
    });
    if (!checked.length) {
      event.preventDefault();
      window.alert(form.getAttribute("data-nothing-checked"));
      return;
    }
  }
  var message = form.getAttribute && form.getAttribute("data-confirm");
  var submitter = event.submitter;
  if (submitter && submitter.getAttribute("data-confirm")) {
    message = submitter.getAttribute("data-confirm");
  }
  if (message && !window.confirm(message)) {
    event.preventDefault();
  }
});
