// The big screen: a full-screen button, and a flash when a new score appears.
(function () {
  "use strict";
  var button = document.querySelector("[data-fullscreen]");
  if (button && document.documentElement.requestFullscreen) {
    button.addEventListener("click", function () {
      if (document.fullscreenElement) {
        document.exitFullscreen();
      } else {
        document.documentElement.requestFullscreen();
      }
    });
  } else if (button) {
    button.hidden = true;
  }

  var lastScore = null;
  function markNewScore() {
    var score = document.querySelector("[data-testid=screen-score]");
    var key = score ? score.textContent + "|" + (document.querySelector("[data-testid=screen-project]") || {}).textContent : null;
    if (score && lastScore !== null && key !== lastScore) {
      score.classList.add("screen-score-new");
    }
    lastScore = key;
  }
  document.body.addEventListener("htmx:afterSwap", markNewScore);
  markNewScore();
})();
