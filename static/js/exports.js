// The export page: a download link does not navigate, so the button says "正在生成…" for a
// moment after a click (and ignores a second click meanwhile) instead of looking dead.
(function () {
  "use strict";
  var BUSY_MS = 4000;
  document.addEventListener("click", function (event) {
    var link = event.target.closest("a[data-export-link]");
    if (!link) {
      return;
    }
    if (link.classList.contains("disabled")) {
      event.preventDefault();
      return;
    }
    var label = link.textContent;
    link.classList.add("disabled");
    link.setAttribute("aria-busy", "true");
    link.textContent = link.dataset.busyLabel || "正在生成…";
    window.setTimeout(function () {
      link.classList.remove("disabled");
      link.removeAttribute("aria-busy");
      link.textContent = label;
    }, BUSY_MS);
  });
  // The "暂无后台导出任务" line goes once htmx adds the first job.
  document.addEventListener("htmx:afterSwap", function (event) {
    if (event.target && event.target.id === "export-jobs") {
      var none = document.querySelector("[data-testid=export-jobs-none]");
      if (none) {
        none.remove();
      }
    }
  });
}());
