// Progressive enhancement only: every page reads fully without JavaScript (tables carry the numbers).
// Here charts are drawn from the data-chart attribute with the locally served ECharts.
(function () {
  "use strict";
  document.documentElement.classList.add("js");
  function draw() {
    if (typeof echarts === "undefined") return;
    var locale = (document.documentElement.lang || "en");
    var format = new Intl.NumberFormat(locale, { maximumFractionDigits: 2 });
    document.querySelectorAll(".chart[data-chart]").forEach(function (el) {
      var spec;
      try { spec = JSON.parse(el.getAttribute("data-chart")); } catch (e) { return; }
      var chart = echarts.init(el, null, { renderer: "svg" });
      chart.setOption({
        color: ["#a4243b", "#d4a017", "#2e7d32", "#1565c0", "#6a1b9a", "#00838f", "#5d4037"],
        tooltip: { trigger: "axis", valueFormatter: function (v) { return v == null ? "—" : format.format(v) + " " + spec.unit; } },
        legend: spec.series.length > 1 ? { top: 0 } : undefined,
        grid: { left: 50, right: 20, top: spec.series.length > 1 ? 40 : 20, bottom: 30 },
        xAxis: { type: "category", data: spec.categories },
        yAxis: { type: "value", name: spec.unit, axisLabel: { formatter: function (v) { return format.format(v); } } },
        series: spec.series.map(function (s) {
          // "line" draws cumulative series (burn-up, counts over time); "stacked" stacks the bars.
          var line = spec.kind === "line";
          return {
            name: s.name, type: line ? "line" : "bar", data: s.values, connectNulls: false, stack: spec.kind === "stacked" ? "total" : undefined,
            label: { show: !line && spec.series.length === 1, position: "top", formatter: function (p) { return format.format(p.value); } }
          };
        })
      });
      window.addEventListener("resize", function () { chart.resize(); });
    });
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", draw); else draw();
})();
