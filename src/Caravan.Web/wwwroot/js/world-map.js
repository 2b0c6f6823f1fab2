// The portal's maps, one script for all: world-atlas boundaries (TopoJSON, served from this site) drawn by
// ECharts from the element's data-map spec — points (projects, partnership places), optional lines between the
// two places of a partnership, or, with `states`, the member states shaded by a number (the dashboard).
// Progressive enhancement: every page lists the same data in a table.
(function () {
  "use strict";
  // ISO 3166 numeric ids of the member states: China, Kazakhstan, Kyrgyzstan, Tajikistan, Turkmenistan, Uzbekistan.
  var MEMBERS = { "156": true, "398": true, "417": true, "762": true, "795": true, "860": true };

  function escapeHtml(text) {
    return String(text == null ? "" : text).replace(/[&<>"']/g, function (c) {
      return { "&": "&amp;", "<": "&lt;", ">": "&gt;", "\"": "&quot;", "'": "&#39;" }[c];
    });
  }

  // A ring that crosses the antimeridian (Russia's, Fiji's) spans more than 180° of longitude: its western
  // longitudes are moved east by 360° so that it is drawn whole instead of as a band across the map.
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

  // Keeps only the polygons that reach into the view: the rest of the world is not drawn at all. Features are
  // named by their numeric id ("n156"), so the states are found whatever world-atlas calls them; the atlas's
  // own name is kept for tooltips.
  function clip(feature, view) {
    var g = feature.geometry;
    if (!g) return null;
    var polygons = (g.type === "Polygon" ? [g.coordinates] : g.type === "MultiPolygon" ? g.coordinates : [])
      .map(function (polygon) { return polygon.map(unwrap); })
      .filter(function (polygon) { return overlaps(polygon, view); });
    if (polygons.length === 0) return null;
    return { type: "Feature", id: feature.id, properties: { name: "n" + feature.id, title: feature.properties.name }, geometry: { type: "MultiPolygon", coordinates: polygons } };
  }

  var LAND = { areaColor: "#f2efe9", borderColor: "#9e9e9e", borderWidth: 0.5 };

  // Points and lines over the land, the member states outlined.
  function placesOption(spec, view, map, features, titles) {
    var lines = spec.lines || [];
    var series = lines.length === 0 ? [] : [{
      type: "lines", coordinateSystem: "geo", silent: false,
      lineStyle: { color: "#1f5f8b", width: 1.2, opacity: 0.7, curveness: 0.2 },
      data: lines.map(function (l) { return { coords: [l.from.map(Number), l.to.map(Number)], title: l.title, url: l.url }; })
    }];
    series.push({
      type: "scatter", coordinateSystem: "geo", symbolSize: lines.length === 0 ? 7 : 8,
      itemStyle: { color: "#a4243b", borderColor: "#fff", borderWidth: 0.5 },
      data: spec.points.map(function (p) { return [Number(p.lon), Number(p.lat), p.title, p.url, p.name]; })
    });
    return {
      tooltip: {
        trigger: "item",
        formatter: function (p) {
          if (p.seriesType === "lines") return escapeHtml(p.data.title);
          if (p.seriesType !== "scatter") return escapeHtml(titles[p.name] || "");
          return "<strong>" + escapeHtml(p.data[2]) + "</strong>" + (p.data[4] ? "<br>" + escapeHtml(p.data[4]) : "");
        }
      },
      geo: {
        map: map, roam: true,
        boundingCoords: [[view[0], view[3]], [view[2], view[1]]],
        itemStyle: LAND,
        emphasis: { label: { show: false }, itemStyle: { areaColor: "#e8e2d6" } },
        regions: features.filter(function (f) { return MEMBERS[f.id]; }).map(function (f) {
          return { name: f.properties.name, itemStyle: { areaColor: "#f5dfe3", borderColor: "#a4243b", borderWidth: 0.8 } };
        })
      },
      series: series
    };
  }

  // The member states shaded by a number; `byName` finds a state from its feature.
  function statesOption(spec, view, map, byName) {
    var data = spec.states.filter(function (s) { return s.iso; }).map(function (s) {
      byName["n" + s.iso] = s;
      return { name: "n" + s.iso, value: s.value };
    });
    var max = Math.max.apply(null, data.map(function (d) { return d.value; }).concat([1]));
    var format = new Intl.NumberFormat(document.documentElement.lang || "en");
    return {
      tooltip: {
        trigger: "item",
        formatter: function (p) {
          var s = byName[p.name];
          return s ? "<strong>" + escapeHtml(s.name) + "</strong><br>" + format.format(s.value) + " " + escapeHtml(spec.unit) : "";
        }
      },
      visualMap: { min: 0, max: max, calculable: false, inRange: { color: ["#f5dfe3", "#a4243b"] }, text: [format.format(max), "0"], left: 10, bottom: 10 },
      series: [{
        type: "map", map: map, roam: true,
        boundingCoords: [[view[0], view[3]], [view[2], view[1]]],
        itemStyle: LAND, emphasis: { label: { show: false } }, label: { show: false },
        data: data
      }]
    };
  }

  function draw(el, index) {
    var spec;
    try { spec = JSON.parse(el.getAttribute("data-map")); } catch (e) { return; }
    fetch(el.getAttribute("data-world"), { credentials: "same-origin" })
      .then(function (response) { if (!response.ok) throw new Error(response.status); return response.json(); })
      .then(function (topology) {
        var view = spec.view.map(Number);
        var world = topojson.feature(topology, topology.objects.countries);
        var features = world.features.map(function (f) { return clip(f, view); }).filter(Boolean);
        var titles = {};
        features.forEach(function (f) { titles[f.properties.name] = f.properties.title; });
        var map = "caravan-map-" + index;
        echarts.registerMap(map, { type: "FeatureCollection", features: features });
        var chart = echarts.init(el, null, { renderer: "canvas" });
        var byName = {};
        chart.setOption(spec.states ? statesOption(spec, view, map, byName) : placesOption(spec, view, map, features, titles));
        chart.on("click", function (p) {
          var url = p.seriesType === "scatter" ? p.data[3] : p.seriesType === "lines" ? p.data.url : p.seriesType === "map" && byName[p.name] ? byName[p.name].url : null;
          if (url) window.location.href = url;
        });
        window.addEventListener("resize", function () { chart.resize(); });
        // What the browser tests read: how many points (or shaded states), and lines, were drawn.
        el.setAttribute("data-drawn", String(spec.states ? Object.keys(byName).length : spec.points.length));
        if (spec.lines) el.setAttribute("data-lines", String(spec.lines.length));
      })
      .catch(function (e) { el.setAttribute("data-error", String(e)); });
  }

  function start() {
    if (typeof echarts === "undefined" || typeof topojson === "undefined") return;
    document.querySelectorAll(".map[data-map]").forEach(draw);
  }
  // This deferred script runs before the layout's ECharts (also deferred, later in the page): DOMContentLoaded
  // comes after every deferred script, so ECharts is there by then.
  if (document.readyState === "complete") start(); else document.addEventListener("DOMContentLoaded", start);
})();
