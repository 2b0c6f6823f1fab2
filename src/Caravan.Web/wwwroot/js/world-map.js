// The portal's maps, one script for all: the prepared regional boundaries (TopoJSON built from world-atlas by
// build/boundaries.cjs, served from this site) drawn by ECharts from the element's data-map spec — points
// (projects, partnership places), optional lines between the two places of a partnership, or, with `states`, the
// member states shaded by a number (the dashboard).
// The boundaries file has the six member states (China with Taiwan, Hong Kong and Macao), the rest of the land as
// one unnamed area, and the boundary lines in three classes; the areas get no outline of their own, so every line
// drawn is one of those classes: a border, an undetermined boundary (dashed) or the coast.
// Progressive enhancement: without script the box says so, and every page lists the same data in a table.
(function () {
  "use strict";
  function escapeHtml(text) {
    return String(text == null ? "" : text).replace(/[&<>"']/g, function (c) {
      return { "&": "&amp;", "<": "&lt;", ">": "&gt;", "\"": "&quot;", "'": "&#39;" }[c];
    });
  }

  var LAND = { areaColor: "#f2efe9", borderWidth: 0 };
  var MEMBER = { areaColor: "#f5dfe3", borderWidth: 0 };
  var LINES = {
    coast: { color: "#8fa3b3", width: 0.6 },
    borders: { color: "#6b6b6b", width: 0.9 },
    undetermined: { color: "#6b6b6b", width: 0.9, type: [4, 3] }
  };

  // The boundary lines, drawn over the areas and under the data.
  function boundarySeries(topology) {
    return ["coast", "borders", "undetermined"].map(function (kind) {
      var lines = topojson.feature(topology, topology.objects[kind]).geometry.coordinates;
      return {
        type: "lines", coordinateSystem: "geo", polyline: true, silent: true, z: 1,
        lineStyle: LINES[kind], data: lines.map(function (coords) { return { coords: coords }; })
      };
    });
  }

  // Where the map goes in the box so that the view fills it: ECharts fits the whole registered map (the prepared
  // extent, `bounds`) unless told its centre and size in pixels. Latitude is drawn 1/0.75 taller (aspectScale).
  function placement(el, view, bounds) {
    var w = el.clientWidth, h = el.clientHeight;
    var k = Math.min(w / (view[2] - view[0]), 0.75 * h / (view[3] - view[1]));
    var aspect = (bounds[2] - bounds[0]) / (bounds[3] - bounds[1]) * 0.75;
    var width = (bounds[2] - bounds[0]) * k;
    return {
      layoutCenter: [w / 2 + ((bounds[0] + bounds[2]) - (view[0] + view[2])) / 2 * k, h / 2 - ((bounds[1] + bounds[3]) - (view[1] + view[3])) / 2 * k / 0.75],
      layoutSize: aspect > 1 ? width : width / aspect
    };
  }

  function bboxOf(features) {
    var b = [Infinity, Infinity, -Infinity, -Infinity];
    features.forEach(function (f) {
      f.geometry.coordinates.forEach(function (polygon) {
        polygon[0].forEach(function (p) {
          if (p[0] < b[0]) b[0] = p[0]; if (p[1] < b[1]) b[1] = p[1]; if (p[0] > b[2]) b[2] = p[0]; if (p[1] > b[3]) b[3] = p[1];
        });
      });
    });
    return b;
  }

  function geo(map, place, regions) {
    return {
      map: map, roam: true, silent: regions.length === 0,
      layoutCenter: place.layoutCenter, layoutSize: place.layoutSize,
      itemStyle: LAND,
      emphasis: { label: { show: false }, itemStyle: { areaColor: "#e8e2d6" } },
      label: { show: false },
      regions: regions
    };
  }

  // Points and lines over the land, the member states tinted.
  function placesOption(spec, place, map, states, boundaries) {
    var lines = spec.lines || [];
    var series = boundaries.concat(lines.length === 0 ? [] : [{
      type: "lines", coordinateSystem: "geo", silent: false, z: 3,
      lineStyle: { color: "#1f5f8b", width: 1.2, opacity: 0.7, curveness: 0.2 },
      data: lines.map(function (l) { return { coords: [l.from.map(Number), l.to.map(Number)], title: l.title, url: l.url }; })
    }]);
    series.push({
      type: "scatter", coordinateSystem: "geo", symbolSize: lines.length === 0 ? 7 : 8, z: 4,
      itemStyle: { color: "#a4243b", borderColor: "#fff", borderWidth: 0.5 },
      data: spec.points.map(function (p) { return [Number(p.lon), Number(p.lat), p.title, p.url, p.name]; })
    });
    var g = geo(map, place, states.map(function (f) { return { name: f.properties.name, itemStyle: MEMBER, emphasis: { itemStyle: MEMBER } }; }));
    g.silent = true;
    return {
      tooltip: {
        trigger: "item",
        formatter: function (p) {
          if (p.seriesType === "lines") return p.data.title ? escapeHtml(p.data.title) : "";
          if (p.seriesType !== "scatter") return "";
          return "<strong>" + escapeHtml(p.data[2]) + "</strong>" + (p.data[4] ? "<br>" + escapeHtml(p.data[4]) : "");
        }
      },
      geo: g,
      series: series
    };
  }

  // The member states shaded by a number; `byName` finds a state from its feature.
  function statesOption(spec, place, map, byName, boundaries) {
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
      visualMap: { min: 0, max: max, calculable: false, seriesIndex: 0, inRange: { color: ["#f5dfe3", "#a4243b"] }, text: [format.format(max), "0"], left: 10, bottom: 10 },
      geo: geo(map, place, []),
      series: [{ type: "map", geoIndex: 0, data: data }].concat(boundaries)
    };
  }

  function draw(el, index) {
    var spec;
    try { spec = JSON.parse(el.getAttribute("data-map")); } catch (e) { return; }
    fetch(el.getAttribute("data-world"), { credentials: "same-origin" })
      .then(function (response) { if (!response.ok) throw new Error(response.status); return response.json(); })
      .then(function (topology) {
        var view = spec.view.map(Number);
        // Features are named by their ISO numeric id ("n156"): the file carries no names.
        var states = topojson.feature(topology, topology.objects.states).features.map(function (f) {
          return { type: "Feature", id: f.id, properties: { name: "n" + f.id }, geometry: f.geometry };
        });
        var land = topojson.feature(topology, topology.objects.land).features.map(function (f) {
          return { type: "Feature", properties: { name: "land" }, geometry: f.geometry };
        });
        var map = "caravan-map-" + index;
        echarts.registerMap(map, { type: "FeatureCollection", features: land.concat(states) });
        el.innerHTML = ""; // the no-script sentence
        var chart = echarts.init(el, null, { renderer: "canvas" });
        var byName = {};
        var boundaries = boundarySeries(topology);
        var bounds = bboxOf(land.concat(states));
        var place = placement(el, view, bounds);
        chart.setOption(spec.states ? statesOption(spec, place, map, byName, boundaries) : placesOption(spec, place, map, states, boundaries));
        chart.on("click", function (p) {
          var url = p.seriesType === "scatter" ? p.data[3] : p.seriesType === "lines" ? p.data.url : p.seriesType === "map" && byName[p.name] ? byName[p.name].url : null;
          if (url) window.location.href = url;
        });
        window.addEventListener("resize", function () { chart.setOption({ geo: placement(el, view, bounds) }); chart.resize(); });
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
