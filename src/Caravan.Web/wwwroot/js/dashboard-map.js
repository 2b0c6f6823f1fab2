// The dashboard's map: the six member states shaded by a number (the commitments binding each), over
// world-atlas boundaries served from this site. The page's table holds the same numbers.
(function () {
  "use strict";

  function escapeHtml(text) {
    return String(text == null ? "" : text).replace(/[&<>"']/g, function (c) {
      return { "&": "&amp;", "<": "&lt;", ">": "&gt;", "\"": "&quot;", "'": "&#39;" }[c];
    });
  }

  // As on the projects map: rings crossing the antimeridian are unwrapped, and only what reaches the view is drawn.
  function unwrap(ring) {
    var min = Infinity, max = -Infinity;
    ring.forEach(function (p) { if (p[0] < min) min = p[0]; if (p[0] > max) max = p[0]; });
    if (max - min <= 180) return ring;
    return ring.map(function (p) { return p[0] < 0 ? [p[0] + 360, p[1]] : p; });
  }

  function overlaps(polygon, view) {
    var b = [Infinity, Infinity, -Infinity, -Infinity];
    polygon[0].forEach(function (p) {
      b[0] = Math.min(b[0], p[0]); b[1] = Math.min(b[1], p[1]); b[2] = Math.max(b[2], p[0]); b[3] = Math.max(b[3], p[1]);
    });
    return b[0] <= view[2] && b[2] >= view[0] && b[1] <= view[3] && b[3] >= view[1];
  }

  function clip(feature, view) {
    var g = feature.geometry;
    if (!g) return null;
    var polygons = (g.type === "Polygon" ? [g.coordinates] : g.type === "MultiPolygon" ? g.coordinates : [])
      .map(function (polygon) { return polygon.map(unwrap); })
      .filter(function (polygon) { return overlaps(polygon, view); });
    if (polygons.length === 0) return null;
    // Features are named by their numeric id, so that the states are found whatever world-atlas calls them.
    return { type: "Feature", id: feature.id, properties: { name: "n" + feature.id }, geometry: { type: "MultiPolygon", coordinates: polygons } };
  }

  function draw(el) {
    var spec;
    try { spec = JSON.parse(el.getAttribute("data-map")); } catch (e) { return; }
    fetch(el.getAttribute("data-world"), { credentials: "same-origin" })
      .then(function (response) { if (!response.ok) throw new Error(response.status); return response.json(); })
      .then(function (topology) {
        var view = spec.view.map(Number);
        var world = topojson.feature(topology, topology.objects.countries);
        var features = world.features.map(function (f) { return clip(f, view); }).filter(Boolean);
        echarts.registerMap("caravan-dashboard", { type: "FeatureCollection", features: features });
        var byName = {};
        var data = spec.states.filter(function (s) { return s.iso; }).map(function (s) {
          byName["n" + s.iso] = s;
          return { name: "n" + s.iso, value: s.value };
        });
        var max = Math.max.apply(null, data.map(function (d) { return d.value; }).concat([1]));
        var format = new Intl.NumberFormat(document.documentElement.lang || "en");
        var chart = echarts.init(el, null, { renderer: "canvas" });
        chart.setOption({
          tooltip: {
            trigger: "item",
            formatter: function (p) {
              var s = byName[p.name];
              return s ? "<strong>" + escapeHtml(s.name) + "</strong><br>" + format.format(s.value) + " " + escapeHtml(spec.unit) : "";
            }
          },
          visualMap: { min: 0, max: max, calculable: false, inRange: { color: ["#f5dfe3", "#a4243b"] }, text: [format.format(max), "0"], left: 10, bottom: 10 },
          series: [{
            type: "map",
            map: "caravan-dashboard",
            roam: true,
            boundingCoords: [[view[0], view[3]], [view[2], view[1]]],
            itemStyle: { areaColor: "#f2efe9", borderColor: "#9e9e9e", borderWidth: 0.5 },
            emphasis: { label: { show: false } },
            label: { show: false },
            data: data
          }]
        });
        chart.on("click", function (p) { var s = byName[p.name]; if (s && s.url) window.location.href = s.url; });
        window.addEventListener("resize", function () { chart.resize(); });
        el.setAttribute("data-drawn", String(data.length));
      })
      .catch(function (e) { el.setAttribute("data-error", String(e)); });
  }

  function start() {
    if (typeof echarts === "undefined" || typeof topojson === "undefined") return;
    document.querySelectorAll(".map[data-map]").forEach(draw);
  }
  // Runs before the layout's deferred ECharts: DOMContentLoaded comes after every deferred script.
  if (document.readyState === "complete") start(); else document.addEventListener("DOMContentLoaded", start);
})();
