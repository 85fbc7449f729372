// The payouts page's 批量审批: "select all", a running count and total of the ticked payouts,
// and one confirmation that names the total (set as the form's data-confirm, which app.js asks).
// Amounts are summed in fen (integers), never as floats.
(function () {
  "use strict";
  var form = document.getElementById("bulk-approve");
  if (!form) {
    return;
  }
  var boxes = Array.prototype.slice.call(document.querySelectorAll("input[name=ids][form=bulk-approve]"));
  var all = form.querySelector("[data-select-all]");
  var summary = form.querySelector("[data-bulk-summary]");

  function fen(text) {
    var parts = String(text).split(".");
    return parseInt(parts[0], 10) * 100 + parseInt(((parts[1] || "") + "00").slice(0, 2), 10);
  }
  function money(cents) {
    var yuan = String(Math.floor(cents / 100)).replace(/\B(?=(\d{3})+(?!\d))/g, ",");
    return yuan + "." + String(cents % 100).padStart(2, "0");
  }
  function picked() {
    return boxes.filter(function (box) { return box.checked; });
  }
  function update() {
    var chosen = picked();
    var total = chosen.reduce(function (sum, box) { return sum + fen(box.getAttribute("data-amount")); }, 0);
    var text = form.getAttribute("data-confirm-template").replace("{n}", chosen.length).replace("{total}", money(total));
    form.setAttribute("data-confirm", text);
    summary.textContent = chosen.length ? text.replace(/^[^0-9]*/, "").replace(/[？?]$/, "") : "";
    if (all) {
      all.checked = chosen.length === boxes.length && boxes.length > 0;
    }
  }
  if (all) {
    all.addEventListener("change", function () {
      boxes.forEach(function (box) { box.checked = all.checked; });
      update();
    });
  }
  boxes.forEach(function (box) { box.addEventListener("change", update); });
  form.addEventListener("submit", function (event) {
    update();
    if (!picked().length) {
      event.preventDefault();
      event.stopImmediatePropagation();
    }
  });
  update();
})();
