// Draws every <figure class="chart"> from its JSON data block with Chart.js (vendored at
// /static/vendor/chart.umd.min.js). The figure's table stays the source: it is folded
// into a <details> once the canvas is drawn, and a bar with a link is a facet.
(function () {
  "use strict";
  if (typeof window.Chart === "undefined") {
    return; // no chart library: the tables are the charts
  }
  var reduced = window.matchMedia("(prefers-reduced-motion: reduce)").matches;
  var ink = "#1f2937";
  var fill = "rgba(47, 111, 115, 0.85)";
  var edge = "#1d4a4d";

  function draw(figure) {
    var block = figure.querySelector("script.chart-data");
    var holder = figure.querySelector(".chart-canvas");
    if (!block || !holder) {
      return;
    }
    var data = JSON.parse(block.textContent);
    var canvas = holder.querySelector("canvas");
    var touching = data.kind === "histogram";
    holder.hidden = false;
    var chart = new window.Chart(canvas, {
      type: "bar",
      data: {
        labels: data.labels,
        datasets: [{
          label: data.yLabel,
          data: data.counts,
          backgroundColor: fill,
          borderColor: edge,
          borderWidth: 1,
          categoryPercentage: touching ? 1.0 : 0.8,
          barPercentage: touching ? 1.0 : 0.9
        }]
      },
      options: {
        responsive: true,
        maintainAspectRatio: false,
        animation: reduced ? false : { duration: 300 },
        plugins: { legend: { display: false } },
        scales: {
          x: { title: { display: true, text: data.xLabel, color: ink }, ticks: { color: ink } },
          y: {
            beginAtZero: true,
            title: { display: true, text: data.yLabel, color: ink },
            ticks: { color: ink, precision: 0 }
          }
        },
        onHover: function (event, active) {
          var linked = active.length && data.links[active[0].index];
          event.native.target.classList.toggle("chart-linked", Boolean(linked));
        },
        onClick: function (event, active) {
          var link = active.length && data.links[active[0].index];
          if (link) {
            window.location.assign(link);
          }
        }
      }
    });
    figure.chartInstance = chart;
    var details = figure.querySelector("details.chart-numbers");
    if (details) {
      details.open = false;
    }
  }

  function drawAll() {
    document.querySelectorAll("figure.chart").forEach(draw);
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", drawAll);
  } else {
    drawAll();
  }
})();
