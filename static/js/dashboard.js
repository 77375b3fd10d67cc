// The dashboard's charts (Chart.js, vendored). Data comes from a json_script block: no inline script.
(function () {
  "use strict";
  var source = document.getElementById("dashboard-data");
  if (!source || !window.Chart) { return; }
  var data = JSON.parse(source.textContent);
  var primary = "#0b4f6c";
  var number = new Intl.NumberFormat(document.documentElement.lang === "en" ? "en" : "id-ID", { maximumFractionDigits: 2, minimumFractionDigits: 2 });
  Chart.defaults.font.family = "system-ui, sans-serif";
  Chart.defaults.locale = document.documentElement.lang === "en" ? "en" : "id-ID";
  Chart.defaults.maintainAspectRatio = false;

  var ranking = document.getElementById("chart-ranking");
  if (ranking) {
    new Chart(ranking, {
      type: "bar",
      data: { labels: data.ranking.labels, datasets: [{ data: data.ranking.values, backgroundColor: "#1b7f5f" }] },
      options: {
        indexAxis: "y",
        plugins: { legend: { display: false }, tooltip: { callbacks: { label: function (c) { return number.format(c.parsed.x); } } } },
        onHover: function (event, elements) {
          event.native.target.style.cursor = elements.length && data.ranking.ids[elements[0].index] ? "pointer" : "default";
        },
        onClick: function (_event, elements) {
          if (elements.length && data.ranking.ids[elements[0].index]) {
            window.location.href = "opd/" + data.ranking.ids[elements[0].index] + "/";
          }
        }
      }
    });
  }
  // One colour per innovation state, as its badge says it.
  var FUNNEL_COLOURS = {
    draft: "#adb5bd", menunggu_pengesahan: "#8c68cd", diajukan: "#4a9fd4", revisi: "#f2a541", terverifikasi: "#1b7f5f"
  };
  var funnel = document.getElementById("chart-funnel");
  if (funnel) {
    new Chart(funnel, {
      type: "bar",
      data: { labels: data.funnel.labels, datasets: [{ data: data.funnel.values, backgroundColor: data.funnel.states.map(function (state) { return FUNNEL_COLOURS[state]; }) }] },
      options: { plugins: { legend: { display: false } }, scales: { y: { beginAtZero: true, ticks: { precision: 0 } } } }
    });
  }
  var trend = document.getElementById("chart-trend");
  if (trend) {
    new Chart(trend, {
      type: "line",
      data: { labels: data.trend.labels, datasets: [{ data: data.trend.values, borderColor: primary, backgroundColor: primary, tension: 0.2 }] },
      options: { plugins: { legend: { display: false } }, scales: { y: { beginAtZero: true, suggestedMax: 70 } } }
    });
  }
})();
