// The export page: a download link does not navigate, so the button says "正在生成… N 秒" with a
// spinner until the file is on its way (the server answers with a cookie naming the click's
// token) instead of looking dead, and ignores a second click meanwhile.
(function () {
  "use strict";
  var COOKIE = "export_ready";
  var GIVE_UP_MS = 120000;

  function cookieValue() {
    var match = document.cookie.match(new RegExp("(?:^|; )" + COOKIE + "=([^;]*)"));
    return match ? match[1] : "";
  }

  function token() {
    return (Date.now().toString(36) + Math.random().toString(36).slice(2, 10)).slice(0, 24);
  }

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
    var mine = token();
    var url = new URL(link.href, window.location.href);
    url.searchParams.set("token", mine);
    link.href = url.toString();
    var started = Date.now();
    var busy = link.dataset.busyLabel || "正在生成…";
    link.classList.add("disabled");
    link.setAttribute("aria-busy", "true");
    link.innerHTML = '<span class="spinner-border spinner-border-sm me-1" aria-hidden="true"></span><span></span>';
    var text = link.lastElementChild;
    text.textContent = busy;
    var timer = window.setInterval(function () {
      var seconds = Math.floor((Date.now() - started) / 1000);
      text.textContent = seconds ? busy + " " + seconds + " s" : busy;
      if (cookieValue() === mine || Date.now() - started > GIVE_UP_MS) {
        window.clearInterval(timer);
        link.classList.remove("disabled");
        link.removeAttribute("aria-busy");
        link.textContent = label;
      }
    }, 500);
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
