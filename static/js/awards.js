// Charts of the 评定等次 page: the final score of every entry (coloured by its tier) and each
// juror's range of card totals (min–max, with the mean), so that outliers stand out.
// Data comes from the json_script tag #awards-chart-data; no inline scripts in templates.
(function () {
  "use strict";
  var source = document.getElementById("awards-chart-data");
  if (!source || typeof window.Chart === "undefined") {
    return;
  }
  var data = JSON.parse(source.textContent);
  var number = function (value) { return value === null ? null : parseFloat(value); };

  var scoreCanvas = document.getElementById("score-chart");
  if (scoreCanvas && data.entries.length) {
    var lowest = Math.min.apply(null, data.entries.map(function (e) { return number(e.score); }));
    var axisMin = Math.max(0, Math.floor(lowest / 5) * 5 - 5);
    new window.Chart(scoreCanvas, {
      type: "bar",
      data: {
        labels: data.entries.map(function (e) { return e.label; }),
        datasets: [{
          label: data.labels.score,
          data: data.entries.map(function (e) { return number(e.score); }),
          backgroundColor: data.entries.map(function (e) { return e.colour; }),
        }],
      },
      options: {
        indexAxis: "y",
        responsive: true,
        maintainAspectRatio: false,
        animation: false,
        plugins: {
          // One legend item per tier (its colour), instead of the single dataset's label.
          legend: {
            display: data.tiers.length > 0,
            position: "bottom",
            onClick: null,
            labels: {
              generateLabels: function () {
                return data.tiers.map(function (t) {
                  return { text: t.name, fillStyle: t.colour, strokeStyle: t.colour, lineWidth: 0 };
                });
              },
            },
          },
          tooltip: { callbacks: { afterLabel: function (ctx) { return data.entries[ctx.dataIndex].tier; } } },
        },
        // The axis starts a little below the lowest score (rounded down to 5), not at 0: the
        // differences between entries are what the chart is for.
        scales: { x: { beginAtZero: false, min: axisMin, suggestedMax: 100 } },
      },
    });
    scoreCanvas.parentNode.style.height = (90 + data.entries.length * 24) + "px";
  }

  var jurorCanvas = document.getElementById("juror-chart");
  if (jurorCanvas && data.jurors.length) {
    new window.Chart(jurorCanvas, {
      type: "bar",
      data: {
        labels: data.jurors.map(function (j) { return j.label; }),
        datasets: [
          {
            type: "bar",
            label: data.labels.range,
            data: data.jurors.map(function (j) { return [number(j.min), number(j.max)]; }),
            backgroundColor: "rgba(46, 134, 193, 0.35)",
            borderColor: "#2e86c1",
            borderWidth: 1,
          },
          {
            type: "line",
            label: data.labels.mean,
            data: data.jurors.map(function (j) { return number(j.mean); }),
            borderColor: "#c0392b",
            backgroundColor: "#c0392b",
            showLine: false,
            pointRadius: 5,
          },
        ],
      },
      options: {
        responsive: true,
        maintainAspectRatio: false,
        animation: false,
        scales: { y: { suggestedMin: 0, suggestedMax: 100 } },
      },
    });
    jurorCanvas.parentNode.style.height = "260px";
  }
})();
