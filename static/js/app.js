// Small behaviours shared by every page; no inline scripts in templates.

// A submit button marked data-check-required checks the fields its form marks
// data-required-for-submit before anything is asked or sent: a missing one is marked on the
// field itself, with the form's data-required-message under it.
function missingRequired(form) {
  var message = form.getAttribute("data-required-message") || "";
  var missing = [];
  form.querySelectorAll("[data-required-for-submit]").forEach(function (field) {
    var feedback = field.parentNode.querySelector(".invalid-feedback.required-for-submit");
    if (String(field.value || "").trim()) {
      field.classList.remove("is-invalid");
      if (feedback) feedback.remove();
      return;
    }
    missing.push(field);
    field.classList.add("is-invalid");
    if (!feedback) {
      feedback = document.createElement("div");
      feedback.className = "invalid-feedback required-for-submit";
      feedback.textContent = message;
      field.insertAdjacentElement("afterend", feedback);
    }
  });
  if (missing.length) missing[0].focus();
  return missing.length;
}

function hasFiles(form) {
  return Array.prototype.some.call(form.querySelectorAll('input[type="file"]'), function (input) {
    return input.files && input.files.length;
  });
}

// <form data-upload-progress>: a form with files is sent by the page itself so that a bar shows
// how much of the upload (up to 50 MB) has gone; the server answers {"redirect": url}.
function uploadWithProgress(form, submitter) {
  var data = new FormData(form);
  if (submitter && submitter.name) data.append(submitter.name, submitter.value);
  var wrap = form.querySelector(".upload-progress");
  if (!wrap) {
    wrap = document.createElement("div");
    wrap.className = "progress upload-progress mt-2";
    wrap.setAttribute("role", "progressbar");
    wrap.setAttribute("aria-valuemin", "0");
    wrap.setAttribute("aria-valuemax", "100");
    wrap.innerHTML = '<div class="progress-bar progress-bar-striped progress-bar-animated"></div>';
    form.appendChild(wrap);
  }
  var bar = wrap.firstElementChild;
  form.querySelectorAll("button[type=submit]").forEach(function (button) { button.disabled = true; });
  var xhr = new XMLHttpRequest();
  xhr.open("POST", form.getAttribute("action") || window.location.href);
  xhr.setRequestHeader("X-Upload-Progress", "1");
  xhr.upload.addEventListener("progress", function (event) {
    if (!event.lengthComputable) return;
    var percent = Math.round((event.loaded / event.total) * 100);
    bar.style.width = percent + "%";
    bar.textContent = percent + "%";
    wrap.setAttribute("aria-valuenow", String(percent));
  });
  xhr.addEventListener("load", function () {
    var type = xhr.getResponseHeader("Content-Type") || "";
    if (type.indexOf("application/json") === 0) {
      window.location.assign(JSON.parse(xhr.responseText).redirect);
      return;
    }
    // The form came back with errors: show that page as a normal submit would have.
    document.open();
    document.write(xhr.responseText);
    document.close();
  });
  xhr.addEventListener("error", function () {
    form.querySelectorAll("button[type=submit]").forEach(function (button) { button.disabled = false; });
    wrap.remove();
    window.alert(form.getAttribute("data-upload-failed") || "Upload failed");
  });
  xhr.send(data);
}

document.addEventListener("submit", function (event) {
  var form = event.target;
  if (!form.getAttribute) return;
  if (event.defaultPrevented) return;  // a page's own check stopped it (e.g. scoring.js)
  var submitter = event.submitter;
  // <form data-require-checked="projects" data-nothing-checked="…">: a bulk form says what is
  // missing before it asks to confirm anything.
  var required = form.getAttribute("data-require-checked");
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
  if (submitter && submitter.hasAttribute("data-check-required") && missingRequired(form)) {
    event.preventDefault();
    return;
  }
  // <form data-confirm="…"> (or its button) asks before an irreversible step.
  var message = form.getAttribute("data-confirm");
  if (submitter && submitter.getAttribute("data-confirm")) {
    message = submitter.getAttribute("data-confirm");
  }
  if (message && !window.confirm(message)) {
    event.preventDefault();
    return;
  }
  if (form.hasAttribute("data-upload-progress") && hasFiles(form) && window.FormData) {
    event.preventDefault();
    uploadWithProgress(form, submitter);
  }
});
