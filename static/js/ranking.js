// The ranking's band distribution (Chart.js, vendored); data from a json_script block: no inline script.
// A bar leads to the ranking filtered by its band, as the links under the chart do.
(function () {
  "use strict";
  var source = document.getElementById("ranking-data");
  var canvas = document.getElementById("chart-bands");
  if (!source || !canvas || !window.Chart) { return; }
  var data = JSON.parse(source.textContent);
  var colours = ["#1b7f5f", "#4a9fd4", "#f2a541", "#c0392b", "#7f8c8d", "#adb5bd"];
  Chart.defaults.font.family = "system-ui, sans-serif";
  Chart.defaults.maintainAspectRatio = false;
  new Chart(canvas, {
    type: "bar",
    data: {
      labels: data.labels,
      datasets: [{ data: data.values, backgroundColor: data.labels.map(function (_l, i) { return i === data.labels.length - 1 ? "#adb5bd" : colours[i % 5]; }) }]
    },
    options: {
      indexAxis: "y",
      plugins: { legend: { display: false } },
      scales: { x: { beginAtZero: true, ticks: { precision: 0 } } },
      onHover: function (event, elements) { event.native.target.style.cursor = elements.length ? "pointer" : "default"; },
      onClick: function (_event, elements) {
        if (!elements.length) { return; }
        var url = new URL(window.location.href);
        url.searchParams.set("kategori", data.slugs[elements[0].index]);
        window.location.href = url.toString();
      }
    }
  });
})();
