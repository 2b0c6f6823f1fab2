// Progressive enhancement only: every page reads fully without JavaScript (tables carry the numbers).
// Here charts are drawn from the data-chart attribute with the locally served ECharts.
(function () {
  "use strict";
  document.documentElement.classList.add("js");

  // The fills of the status palette (StatusPalette.cs gives each status its colour, pattern and symbol): patterns
  // tell the statuses apart without colour, and the symbols stand before their names in legends and axis labels.
  var LIGHT = "rgba(255, 255, 255, 0.75)";
  var NONE = { symbol: "none" };
  var PATTERNS = {
    solid: NONE,
    stripes: { symbol: "rect", symbolSize: 1, dashArrayX: [1, 0], dashArrayY: [2, 4], rotation: Math.PI / 4, color: LIGHT },
    cross: { symbol: "rect", symbolSize: 1, dashArrayX: [[1, 0], [1, 0]], dashArrayY: [2, 5], rotation: [Math.PI / 4, -Math.PI / 4], color: LIGHT },
    dots: { symbol: "circle", symbolSize: 0.6, dashArrayX: [[3, 3], [0, 3, 3, 0]], dashArrayY: [3, 0], color: LIGHT }
  };
  var OTHERS = ["#1565c0", "#a4243b", "#00838f", "#6a1b9a", "#5d4037", "#546e7a", "#ad1457"];

  function styleOf(tone) {
    return tone ? { color: tone.color, decal: PATTERNS[tone.pattern] || NONE } : { decal: NONE };
  }

  var measure = document.createElement("canvas").getContext("2d");
  function textWidth(text) {
    measure.font = "12px sans-serif"; // ECharts' own label font
    return measure.measureText(text).width;
  }

  // Whole words to a line (zrender would cut Cyrillic words anywhere).
  function wrap(text, width) {
    var lines = [];
    String(text).split(/\s+/).forEach(function (w) {
      var last = lines.length - 1;
      if (last >= 0 && textWidth(lines[last] + " " + w) <= width) lines[last] += " " + w; else lines.push(w);
    });
    return lines.join("\n");
  }

  // Every category label is shown: they wrap under their bar while there is room for a word, and turn when there
  // is not (many years, a phone), the grid making room below for them.
  function categoryAxis(el, spec) {
    var tones = spec.categoryTones || [];
    var count = Math.max(1, spec.categories.length);
    var each = (el.clientWidth - 70) / count;
    // A word is never cut: if the widest word of any label does not fit under its bar, the labels turn.
    var word = spec.categories.reduce(function (m, c) {
      return String(c).split(/\s+/).reduce(function (n, w) { return Math.max(n, textWidth(w)); }, m);
    }, 0);
    var turn = each < 64 || word > each - 16;
    return {
      type: "category", data: spec.categories,
      axisLabel: {
        interval: 0, hideOverlap: false, rotate: turn ? 45 : 0, lineHeight: 14,
        formatter: function (value, index) {
          var text = tones[index] ? tones[index].symbol + " " + value : String(value);
          return turn ? text : wrap(text, each - 16);
        }
      },
      // Room below the axis: a turned label's length at 45°, or the lines of the longest wrapped one.
      bottomRoom: turn
        ? Math.min(220, spec.categories.reduce(function (m, c) { return Math.max(m, textWidth(String(c))); }, 0) * 0.72) + 24
        : 14 * spec.categories.reduce(function (m, c) { return Math.max(m, wrap(String(c), each - 16).split("\n").length); }, 1) + 16
    };
  }

  function draw() {
    if (typeof echarts === "undefined") return;
    var locale = (document.documentElement.lang || "en");
    var format = new Intl.NumberFormat(locale, { maximumFractionDigits: 2 });
    document.querySelectorAll(".chart[data-chart]").forEach(function (el) {
      var spec;
      try { spec = JSON.parse(el.getAttribute("data-chart")); } catch (e) { return; }
      var chart = echarts.init(el, null, { renderer: "svg" });
      // Whole numbers only (counts of commitments, pairs): no ticks at 0.5.
      var counts = spec.series.every(function (s) { return s.values.every(function (v) { return v == null || v % 1 === 0; }); });
      var symbols = {};
      spec.series.forEach(function (s) { if (s.tone) symbols[s.name] = s.tone.symbol; });
      function option() {
        var axis = categoryAxis(el, spec);
        var bottom = axis.bottomRoom;
        delete axis.bottomRoom;
        // Room above the plot for the legend, however many lines its names take, and the unit's name under it.
        var legendWidth = spec.series.reduce(function (w, s) { return w + String(s.name).length * 7 + 45; }, 0);
        var top = spec.series.length > 1 ? 22 * Math.ceil(legendWidth / Math.max(1, el.clientWidth - 20)) + 30 : 30;
        return {
          color: OTHERS,
          // Patterns are drawn only with the decal option on; series and bars without a status have none.
          aria: { enabled: true, decal: { show: true } },
          tooltip: { trigger: "axis", valueFormatter: function (v) { return v == null ? "—" : format.format(v) + " " + spec.unit; } },
          legend: spec.series.length > 1 ? { top: 0, formatter: function (name) { return symbols[name] ? symbols[name] + " " + name : name; } } : undefined,
          grid: { left: 50, right: 20, top: top, bottom: bottom },
          xAxis: axis,
          // Headroom above the highest bar for its number label.
          yAxis: { type: "value", name: spec.unit, boundaryGap: [0, "12%"], minInterval: counts ? 1 : 0, axisLabel: { formatter: function (v) { return format.format(v); } } },
          series: spec.series.map(function (s) {
            // "line" draws cumulative series (burn-up, counts over time); "stacked" stacks the bars.
            var line = spec.kind === "line";
            var tones = spec.categoryTones;
            return {
              name: s.name, type: line ? "line" : "bar", connectNulls: false, stack: spec.kind === "stacked" ? "total" : undefined,
              itemStyle: styleOf(s.tone),
              data: tones ? s.values.map(function (v, i) { return { value: v, itemStyle: styleOf(tones[i]) }; }) : s.values,
              label: { show: !line && spec.series.length === 1, position: "top", formatter: function (p) { return format.format(p.value); } }
            };
          })
        };
      }
      chart.setOption(option());
      window.addEventListener("resize", function () { chart.setOption(option()); chart.resize(); });
    });
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", draw); else draw();
})();
