// Trend chart of the dashboard (Chart.js, vendored). Data comes from a json_script tag: no inline JS (CSP).
document.addEventListener("DOMContentLoaded", function () {
  var canvas = document.getElementById("trend-chart");
  var source = document.getElementById("trend-data");
  if (!canvas || !source || typeof Chart === "undefined") return;
  var data = JSON.parse(source.textContent);
  var colours = ["#1a4f8b", "#2e7d32", "#c62828", "#ef8f00", "#6a1b9a"];
  data.datasets.forEach(function (dataset, index) {
    dataset.borderColor = colours[index % colours.length];
    dataset.backgroundColor = colours[index % colours.length];
    dataset.spanGaps = false;
    dataset.tension = 0.2;
  });
  new Chart(canvas, {
    type: "line",
    data: data,
    options: {
      responsive: true,
      maintainAspectRatio: false,
      scales: { y: { min: 0, max: 100, ticks: { callback: function (v) { return v + " %"; } } } },
      plugins: { legend: { position: "bottom" } },
    },
  });
});
