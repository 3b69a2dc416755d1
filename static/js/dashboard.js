// The home page's charts (Chart.js, served from static/vendor). The numbers come from the page's
// JSON data island (#dashboard-data, written by Django's json_script): no inline script.
(function () {
  "use strict";
  var island = document.getElementById("dashboard-data");
  if (!island || typeof window.Chart === "undefined") { return; }
  var data = JSON.parse(island.textContent);
  var t = data.i18n || {};
  var Chart = window.Chart;
  var COLOURS = { blue: "#0d6efd", teal: "#20c997", orange: "#fd7e14", grey: "#adb5bd", red: "#dc3545" };
  var charts = [];

  Chart.defaults.font.family = getComputedStyle(document.body).fontFamily;
  Chart.defaults.maintainAspectRatio = false;

  function draw(id, config) {
    var canvas = document.getElementById(id);
    if (!canvas) { return; }
    var chart = new Chart(canvas, config);
    charts.push(chart);
    canvas.setAttribute("data-chart-ready", "true");
  }

  // A bar chart of several series over the same labels.
  function bars(id, labels, datasets, options) {
    draw(id, { type: "bar", data: { labels: labels, datasets: datasets }, options: options });
  }

  function bar(label, values, colour, extra) {
    var dataset = { type: "bar", label: label, data: values, backgroundColor: colour, borderColor: colour };
    return Object.assign(dataset, extra || {});
  }

  // Long category names (school · year certificate level) go on several short lines.
  function wrap(labels) {
    return labels.map(function (label) {
      var lines = [];
      String(label).split(" · ").forEach(function (part) {
        for (var i = 0; i < part.length; i += 16) { lines.push(part.slice(i, i + 16)); }
      });
      return lines.length > 1 ? lines : label;
    });
  }

  var wholeNumbers = { beginAtZero: true, ticks: { precision: 0 } };

  if (data.pass_rate) {
    var p = data.pass_rate;
    draw("chart-pass-rate", {
      data: {
        labels: p.labels,
        datasets: [
          bar(t.assessed, p.assessed, COLOURS.grey, { yAxisID: "y" }),
          bar(t.passed, p.passed, COLOURS.blue, { yAxisID: "y" }),
          { type: "line", label: t.rate, data: p.rate, yAxisID: "rate", borderColor: COLOURS.orange,
            backgroundColor: COLOURS.orange, spanGaps: true, tension: 0 }
        ]
      },
      options: {
        scales: {
          y: Object.assign({ title: { display: true, text: t.people } }, wholeNumbers),
          rate: { position: "right", min: 0, max: 100, grid: { drawOnChartArea: false },
                  ticks: { callback: function (v) { return v + "%"; } } }
        }
      }
    });
  }

  if (data.quota) {
    var q = data.quota;
    bars("chart-quota", wrap(q.labels), [
      bar(t.quota, q.quota, COLOURS.grey),
      bar(t.enrolled, q.enrolled, COLOURS.teal),
      bar(t.assessed, q.assessed, COLOURS.blue)
    ], { indexAxis: "y", scales: { x: wholeNumbers } });
  }

  if (data.certificates) {
    var c = data.certificates;
    bars("chart-certificates", c.labels, [
      bar(t.enrolled, c.enrolled, COLOURS.grey),
      bar(t.assessed, c.assessed, COLOURS.teal),
      bar(t.passed, c.passed, COLOURS.blue)
    ], { scales: { y: wholeNumbers } });
  }

  if (data.budget) {
    var b = data.budget;
    bars("chart-budget", wrap(b.labels), [bar(t.budget, b.budget, COLOURS.grey), bar(t.spent, b.spent, COLOURS.orange)],
      { indexAxis: "y", scales: { x: { beginAtZero: true, title: { display: true, text: t.amount } } } });
  }

  // Printing: redraw at the paper's width, without animation, and back again afterwards.
  function resizeAll() { charts.forEach(function (chart) { chart.resize(); }); }
  window.addEventListener("beforeprint", function () {
    charts.forEach(function (chart) { chart.options.animation = false; });
    resizeAll();
  });
  window.addEventListener("afterprint", resizeAll);
})();
