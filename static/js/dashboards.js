/* Dashboards (统计): draw the charts from the JSON the page carries (json_script
   "dashboard-data") with the vendored Chart.js. No data, no Chart.js: nothing is drawn and the
   tables still tell the figures. */
(function () {
  "use strict";
  var source = document.getElementById("dashboard-data");
  if (!source || typeof window.Chart === "undefined") { return; }
  var data = JSON.parse(source.textContent);
  var palette = ["#c8102e", "#0d6efd", "#198754", "#fd7e14", "#6f42c1", "#20c997", "#ffc107", "#6c757d",
                 "#d63384", "#0dcaf0", "#343a40"];
  var base = { responsive: true, maintainAspectRatio: false, animation: false };

  function draw(name, config) {
    var canvas = document.querySelector('canvas[data-chart="' + name + '"]');
    if (canvas) { new window.Chart(canvas, config); }
  }
  function numbers(list) { return (list || []).map(function (v) { return Number(v); }); }
  function bar(labels, datasets, extra) {
    return { type: "bar", data: { labels: labels, datasets: datasets },
             options: Object.assign({}, base, { scales: { y: { beginAtZero: true, ticks: { precision: 0 } } } }, extra || {}) };
  }

  if (data.status) {
    draw("status", { type: "doughnut", options: base,
      data: { labels: data.status.labels, datasets: [{ data: data.status.values, backgroundColor: palette }] } });
    draw("category", bar(data.category.labels, [{ label: data.names.projects, data: data.category.values, backgroundColor: palette[1] }],
      { plugins: { legend: { display: false } } }));
    draw("units", bar(data.units.labels, [
      { label: data.names.filed, data: data.units.filed, backgroundColor: palette[7] },
      { label: data.names.approved, data: data.units.approved, backgroundColor: palette[1] },
      { label: data.names.closed, data: data.units.closed, backgroundColor: palette[2] }
    ]));
    draw("tiers", { type: "pie", options: base,
      data: { labels: data.tiers.labels, datasets: [{ data: data.tiers.values, backgroundColor: palette }] } });
  } else {
    draw("approved-closed", bar(data.labels, [
      { label: data.names.approved, data: data.approved, backgroundColor: palette[1] },
      { label: data.names.closed, data: data.closed, backgroundColor: palette[2] }
    ]));
    draw("plans", { type: "line", options: Object.assign({}, base, { scales: { y: { beginAtZero: true, ticks: { precision: 0 } } } }),
      data: { labels: data.labels, datasets: [{ label: data.names.plans, data: data.plans, borderColor: palette[0],
        backgroundColor: palette[0], tension: 0.2 }] } });
    draw("subsidy", bar(data.labels, [{ label: data.names.subsidy, data: numbers(data.subsidy), backgroundColor: palette[3] }],
      { plugins: { legend: { display: false } } }));
  }
}());
