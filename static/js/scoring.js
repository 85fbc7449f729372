// The scoring page: the running total as the juror types, each out-of-range value marked on its
// own field, and an autosave that sends only the valid values (a draft may hold some criteria
// only), so one bad field never costs the others. A bad value is kept in the field and in
// localStorage (a reload shows it again, still marked) and is never sent until corrected. The
// server checks every value again (services.clean_scores); the fields its errors name are
// marked too. Submitting asks for confirmation only when every field is filled and valid.
(function () {
  "use strict";
  var form = document.querySelector(".score-form");
  if (!form) { return; }
  var totalEl = document.getElementById("running-total");
  var statusEl = document.getElementById("autosave-status");
  var inputs = Array.prototype.slice.call(form.querySelectorAll("input[data-score]"));
  var storeKey = "scorecard:" + form.getAttribute("data-card") + ":invalid";
  var scorable = form.hasAttribute("data-scorable");

  function feedbackOf(input) {
    return document.getElementById(input.id + "_feedback");
  }

  // Tenths as integers: no binary noise in the sum (12.3 + 45.6 is 57.9, not 57.900000000000006).
  // ASCII digits only, at most one decimal place, within [0, max] (what the server accepts).
  function check(input) {
    var raw = (input.value || "").trim();
    if (raw === "") { return { value: 0, ok: true, empty: true }; }
    var max = Math.round(parseFloat(input.getAttribute("max")) * 10);
    if (!/^[0-9]+(\.[0-9])?$/.test(raw)) { return { value: 0, ok: false }; }
    var value = Math.round(parseFloat(raw) * 10);
    if (isNaN(value) || value < 0 || value > max) { return { value: 0, ok: false }; }
    return { value: value, ok: true };
  }

  function mark(input, message) {
    var feedback = feedbackOf(input);
    input.classList.toggle("is-invalid", message !== null);
    input.setAttribute("aria-invalid", message !== null ? "true" : "false");
    if (feedback) { feedback.textContent = message || ""; }
  }

  // --- the invalid values kept on this device --------------------------------------------------
  function readStore() {
    try { return JSON.parse(window.localStorage.getItem(storeKey) || "{}") || {}; } catch (e) { return {}; }
  }

  function writeStore(kept) {
    try {
      if (Object.keys(kept).length) {
        window.localStorage.setItem(storeKey, JSON.stringify(kept));
      } else {
        window.localStorage.removeItem(storeKey);
      }
    } catch (e) { /* private mode or full: the field itself still holds the value */ }
  }

  function keepInvalid() {
    var kept = {};
    inputs.forEach(function (input) {
      if (!check(input).ok) { kept[input.name] = input.value; }
    });
    writeStore(kept);
  }

  // --- the total and the marks -----------------------------------------------------------------
  function update() {
    var sum = 0;
    var invalid = 0;
    inputs.forEach(function (input) {
      var result = check(input);
      sum += result.value;
      if (!result.ok) {
        invalid += 1;
        mark(input, input.getAttribute("data-range-message"));
      } else if (!input.hasAttribute("data-server-error") && !input.hasAttribute("data-missing")) {
        mark(input, null);
      }
    });
    if (totalEl) {
      totalEl.textContent = invalid ? totalEl.getAttribute("data-invalid-text") : (sum / 10).toFixed(1);
      totalEl.classList.toggle("text-danger", invalid > 0);
      totalEl.setAttribute("data-invalid", invalid ? "true" : "false");
    }
    return invalid;
  }

  form.addEventListener("input", function (event) {
    var input = event.target;
    if (input.hasAttribute && input.hasAttribute("data-score")) {
      // What the juror types now replaces what the server or the submit check said of it.
      input.removeAttribute("data-server-error");
      input.removeAttribute("data-missing");
      keepInvalid();
    }
    update();
  });

  // --- autosave: only the valid values travel ----------------------------------------------------
  document.body.addEventListener("htmx:configRequest", function (event) {
    if (event.detail.elt !== form) { return; }
    var params = event.detail.formData || event.detail.parameters;
    inputs.forEach(function (input) {
      if (!check(input).ok) {
        if (typeof params.delete === "function") { params.delete(input.name); } else { delete params[input.name]; }
      }
    });
  });

  document.body.addEventListener("htmx:afterSwap", function (event) {
    if (event.detail.target !== statusEl) { return; }
    // The server names the fields it refused: mark them with its message.
    Array.prototype.forEach.call(statusEl.querySelectorAll("[data-error-field]"), function (item) {
      var input = form.querySelector("input[name='" + item.getAttribute("data-error-field") + "']");
      if (input) {
        input.setAttribute("data-server-error", "");
        mark(input, item.textContent);
      }
    });
    if (statusEl.querySelector("[data-testid=autosave-ok]")) { noteUnsaved(); }
  });

  // The autosave failed: htmx swaps nothing for an error answer, and a login page (the session
  // ended: the request was redirected) must not land in the status line. Say so; after a
  // network failure try again by itself.
  var retryTimer = null;
  function saveFailed(message, retry) {
    if (!statusEl) { return; }
    statusEl.textContent = "";
    var warning = document.createElement("span");
    warning.className = "text-danger";
    warning.setAttribute("role", "alert");
    warning.setAttribute("data-testid", "autosave-error");
    warning.textContent = message;
    statusEl.appendChild(warning);
    if (retry && retryTimer === null) {
      retryTimer = window.setTimeout(function () {
        retryTimer = null;
        window.htmx.trigger(form, "input");
      }, 5000);
    }
  }

  document.body.addEventListener("htmx:beforeSwap", function (event) {
    if (!event.detail.requestConfig || event.detail.requestConfig.elt !== form) { return; }
    var xhr = event.detail.xhr;
    var redirected = xhr.responseURL && new URL(xhr.responseURL).pathname !== form.getAttribute("hx-post");
    if (redirected || xhr.status >= 400) {
      event.detail.shouldSwap = false;
      saveFailed(form.getAttribute(xhr.status >= 500 ? "data-msg-offline" : "data-msg-login"), xhr.status >= 500);
    }
  });
  ["htmx:sendError", "htmx:timeout"].forEach(function (name) {
    document.body.addEventListener(name, function (event) {
      if (event.detail.elt === form) { saveFailed(form.getAttribute("data-msg-offline"), true); }
    });
  });

  // "Invalid, not saved: …" under the status line, naming the fields kept on this phone only.
  function noteUnsaved() {
    var invalid = inputs.filter(function (input) { return !check(input).ok; });
    if (!invalid.length || !statusEl) { return; }
    var note = document.createElement("span");
    note.className = "text-danger d-block";
    note.setAttribute("data-testid", "autosave-unsaved");
    note.textContent = form.getAttribute("data-msg-unsaved") + invalid.map(function (input) {
      return input.getAttribute("data-criterion-name");
    }).join(form.getAttribute("data-msg-separator"));
    statusEl.appendChild(note);
  }

  // --- submit: confirmation only for a complete, valid card ------------------------------------
  form.addEventListener("submit", function (event) {
    var first = null;
    inputs.forEach(function (input) {
      var result = check(input);
      if (result.ok && result.empty) {
        input.setAttribute("data-missing", "");
        mark(input, input.getAttribute("data-missing-message"));
      }
      if ((!result.ok || result.empty) && first === null) { first = input; }
    });
    update();
    if (first !== null) {
      // app.js asks for confirmation only when nobody has stopped the submission.
      event.preventDefault();
      if (statusEl) {
        statusEl.textContent = "";
        var warning = document.createElement("span");
        warning.className = "text-danger";
        warning.setAttribute("role", "alert");
        warning.setAttribute("data-testid", "submit-blocked");
        warning.textContent = form.getAttribute("data-msg-incomplete");
        statusEl.appendChild(warning);
      }
      first.focus();
    }
  });

  // --- on load -----------------------------------------------------------------------------------
  inputs.forEach(function (input) {
    if (input.classList.contains("is-invalid")) { input.setAttribute("data-server-error", ""); }
  });
  if (scorable) {
    var kept = readStore();
    inputs.forEach(function (input) {
      if (Object.prototype.hasOwnProperty.call(kept, input.name)) { input.value = kept[input.name]; }
    });
    keepInvalid();
    if (update()) {
      statusEl.textContent = "";
      noteUnsaved();
    }
  } else {
    writeStore({});
    update();
  }
})();
