// The scoring page: the running total as the juror types, and a hint naming the criterion when
// a value is out of range. The server checks every value again (services.clean_scores).
(function () {
  "use strict";
  var form = document.querySelector(".score-form");
  if (!form) { return; }
  var totalEl = document.getElementById("running-total");
  var inputs = Array.prototype.slice.call(form.querySelectorAll("input[data-score]"));

  // Tenths as integers: no binary noise in the sum (12.3 + 45.6 is 57.9, not 57.900000000000006).
  function tenths(input) {
    var raw = (input.value || "").trim();
    if (raw === "") { return { value: 0, ok: true }; }
    var ok = /^\d+(\.\d)?$/.test(raw);
    var value = Math.round(parseFloat(raw) * 10);
    var max = Math.round(parseFloat(input.getAttribute("max")) * 10);
    if (!ok || isNaN(value) || value < 0 || value > max) { return { value: 0, ok: false }; }
    return { value: value, ok: true };
  }

  function update() {
    var sum = 0;
    inputs.forEach(function (input) {
      var result = tenths(input);
      sum += result.value;
      input.classList.toggle("is-invalid", !result.ok);
    });
    if (totalEl) { totalEl.textContent = (sum / 10).toFixed(1); }
  }

  form.addEventListener("input", update);
  update();
})();
