// Prepares the portal's map boundaries at build time (the browser receives only the result):
//   node build/boundaries.cjs <output.json>
// Source: world-atlas' countries-50m.json (Natural Earth 1:50m, public domain). What this script changes and why:
// - China is drawn as the People's Republic of China defines its territory: Taiwan, Hong Kong and Macao, which the
//   source keeps as separate features, are merged into China, so no feature for them (nor their names) is served.
// - Only the six member states are named features (by ISO numeric id and alpha-2 code, no names); the rest of the
//   land is one unnamed area, so the file makes no claim about whose any other territory is.
// - Boundaries are lines of their own, classed as `borders` (drawn as international borders), `undetermined`
//   (drawn dashed: lines the members' official maps do not show as a settled international border — see
//   DISPUTED below) and `coast`; the land areas carry no outline of their own.
// - Everything is trimmed to EXTENT (the region the maps show, with a margin for wide screens), simplified and
//   quantised, so a slow link gets a small file.
"use strict";
const fs = require("node:fs");
const path = require("node:path");
const client = require("topojson-client");
const server = require("topojson-server");
const simplify = require("topojson-simplify");

// West, south, east, north. Wide enough for the maps' view (44–137°E, 15–57°N) drawn into a wider box; the west
// edge stops before the Levant and Cyprus, the south edge before the Horn of Africa's separately drawn areas.
const EXTENT = [38, 12, 147, 62];
const CHINA = "156";
// Territories the PRC holds to be part of China, separate features in the source: Taiwan, Hong Kong, Macao.
const PART_OF_CHINA = new Set(["158", "344", "446"]);
const MEMBERS = { "156": "CN", "398": "KZ", "417": "KG", "762": "TJ", "795": "TM", "860": "UZ" };
const INDIA = "356", PAKISTAN = "586", BHUTAN = "064";
// Boundaries the source draws as international borders but the members' official maps do not show as settled
// ones; they are drawn dashed instead. China–India (the source follows the line of actual control: in the east
// the McMahon Line, which China does not recognise), China–Bhutan (not delimited), and Kashmir: China–Pakistan
// (a provisional agreement pending the Kashmir settlement), the source's Siachen Glacier area, and the
// India–Pakistan line north of 32.5°N (the line of control and working boundary, not the international border).
const KASHMIR_SOUTH = 32.5;
function classify(a, b, latitude) {
  const pair = [a, b].sort().join("-");
  if (a === "Siachen Glacier" || b === "Siachen Glacier") return "undetermined";
  if (pair === [CHINA, INDIA].sort().join("-") || pair === [CHINA, BHUTAN].sort().join("-") || pair === [CHINA, PAKISTAN].sort().join("-")) return "undetermined";
  if (pair === [INDIA, PAKISTAN].sort().join("-")) return latitude >= KASHMIR_SOUTH ? "undetermined" : "borders";
  // A feature without an ISO id (Somaliland, Northern Cyprus…) is not a state the members recognise.
  if (!/^\d+$/.test(a) || !/^\d+$/.test(b)) return "undetermined";
  return "borders";
}

const source = require.resolve("world-atlas/countries-50m.json");
const output = process.argv[2];
if (!output) throw new Error("usage: node build/boundaries.cjs <output.json>");
const atlas = JSON.parse(fs.readFileSync(source, "utf8"));
const geometries = atlas.objects.countries.geometries;
const keyOf = (g) => {
  const id = g.id === undefined ? g.properties.name : String(g.id);
  return PART_OF_CHINA.has(id) ? CHINA : id;
};

// A ring or line that crosses the antimeridian spans more than 180° of longitude: its western longitudes move
// east by 360° so that it stays whole.
function unwrap(points) {
  let min = Infinity, max = -Infinity;
  for (const p of points) { if (p[0] < min) min = p[0]; if (p[0] > max) max = p[0]; }
  return max - min <= 180 ? points : points.map((p) => (p[0] < 0 ? [p[0] + 360, p[1]] : p));
}

// Sutherland–Hodgman against each edge of EXTENT: a ring stays a closed ring, perhaps running along the edge.
function clipRing(ring) {
  const edges = [
    (p) => p[0] >= EXTENT[0], (p) => p[0] <= EXTENT[2], (p) => p[1] >= EXTENT[1], (p) => p[1] <= EXTENT[3],
  ];
  const cut = [
    (p, q) => at(p, q, 0, EXTENT[0]), (p, q) => at(p, q, 0, EXTENT[2]), (p, q) => at(p, q, 1, EXTENT[1]), (p, q) => at(p, q, 1, EXTENT[3]),
  ];
  let points = ring.slice(0, -1);
  for (let e = 0; e < 4 && points.length > 0; e++) {
    const inside = edges[e], result = [];
    for (let i = 0; i < points.length; i++) {
      const p = points[i], q = points[(i + 1) % points.length];
      if (inside(p)) { result.push(p); if (!inside(q)) result.push(cut[e](p, q)); }
      else if (inside(q)) result.push(cut[e](p, q));
    }
    points = result;
  }
  return points.length < 3 ? null : [...points, points[0]];
}
function at(p, q, axis, value) {
  const t = (value - p[axis]) / (q[axis] - p[axis]);
  const r = [p[0] + t * (q[0] - p[0]), p[1] + t * (q[1] - p[1])];
  r[axis] = value;
  return r;
}
function clipPolygons(geometry) {
  const polygons = geometry.type === "Polygon" ? [geometry.coordinates] : geometry.type === "MultiPolygon" ? geometry.coordinates : [];
  const kept = [];
  for (const polygon of polygons) {
    const rings = polygon.map((r) => clipRing(unwrap(r)));
    if (rings[0]) kept.push(rings.filter(Boolean));
  }
  return kept.length === 0 ? null : { type: "MultiPolygon", coordinates: kept };
}

// A line cut to EXTENT (Liang–Barsky per segment), as the pieces that lie inside.
function clipLine(points) {
  const pieces = [];
  let current = null;
  for (let i = 0; i + 1 < points.length; i++) {
    const s = clipSegment(points[i], points[i + 1]);
    if (!s) { current = null; continue; }
    if (current && current[current.length - 1][0] === s[0][0] && current[current.length - 1][1] === s[0][1]) current.push(s[1]);
    else { current = [s[0], s[1]]; pieces.push(current); }
    if (s[1] !== points[i + 1]) current = null;
  }
  return pieces;
}
function clipSegment(p, q) {
  let t0 = 0, t1 = 1;
  const dx = q[0] - p[0], dy = q[1] - p[1];
  const checks = [[-dx, p[0] - EXTENT[0]], [dx, EXTENT[2] - p[0]], [-dy, p[1] - EXTENT[1]], [dy, EXTENT[3] - p[1]]];
  for (const [d, n] of checks) {
    if (d === 0) { if (n < 0) return null; continue; }
    const t = n / d;
    if (d < 0) { if (t > t1) return null; if (t > t0) t0 = t; } else { if (t < t0) return null; if (t < t1) t1 = t; }
  }
  const a = t0 === 0 ? p : [p[0] + t0 * dx, p[1] + t0 * dy];
  const b = t1 === 1 ? q : [p[0] + t1 * dx, p[1] + t1 * dy];
  return [a, b];
}

// The areas: each member state (China with Taiwan, Hong Kong and Macao), then all other land inside as one.
const states = Object.keys(MEMBERS).map((id) => {
  const parts = geometries.filter((g) => keyOf(g) === id);
  if (parts.length === 0) throw new Error("world-atlas has no feature " + id);
  const geometry = clipPolygons(client.merge(atlas, parts));
  return { type: "Feature", id, properties: { code: MEMBERS[id] }, geometry };
});
const others = geometries.filter((g) => !MEMBERS[keyOf(g)] && clipPolygons(client.feature(atlas, g).geometry));
const land = { type: "Feature", properties: {}, geometry: clipPolygons(client.merge(atlas, others)) };

// The lines: every arc of the source, by the features on either side of it.
const uses = atlas.arcs.map(() => []);
for (const g of geometries) {
  const polygons = g.type === "Polygon" ? [g.arcs] : g.type === "MultiPolygon" ? g.arcs : [];
  for (const polygon of polygons) for (const ring of polygon) for (const arc of ring) uses[arc < 0 ? ~arc : arc].push(keyOf(g));
}
const lines = { borders: [], undetermined: [], coast: [] };
uses.forEach((owners, index) => {
  if (owners.length === 0) return;
  const coordinates = unwrap(client.feature(atlas, { type: "LineString", arcs: [index] }).geometry.coordinates);
  if (owners.length === 1) { for (const piece of clipLine(coordinates)) lines.coast.push(piece); return; }
  const [a, b] = owners;
  if (a === b) return; // inside one state once merged (China and Hong Kong, Macao)
  // Cut where the class changes along the line (only the India–Pakistan line changes, at KASHMIR_SOUTH).
  let run = [coordinates[0]], kind = classify(a, b, coordinates[0][1]);
  for (let i = 1; i < coordinates.length; i++) {
    const k = classify(a, b, coordinates[i][1]);
    run.push(coordinates[i]);
    if (k !== kind) { for (const piece of clipLine(run)) lines[kind].push(piece); run = [coordinates[i]]; kind = k; }
  }
  if (run.length > 1) for (const piece of clipLine(run)) lines[kind].push(piece);
});

const collection = (features) => ({ type: "FeatureCollection", features });
let topology = server.topology({
  states: collection(states),
  land: collection([land]),
  borders: { type: "MultiLineString", coordinates: lines.borders },
  undetermined: { type: "MultiLineString", coordinates: lines.undetermined },
  coast: { type: "MultiLineString", coordinates: lines.coast },
});
// Drop detail below about 0.0015 square degrees (a few km at this scale), then quantise to about 1 km.
topology = simplify.presimplify(topology);
topology = simplify.simplify(topology, 0.0015);
topology = client.quantize(topology, 1e4);
topology.bbox = EXTENT;
topology.source = "Natural Earth 1:50m via world-atlas " + require("world-atlas/package.json").version + "; prepared by Caravan (build/boundaries.cjs)";

fs.mkdirSync(path.dirname(output), { recursive: true });
fs.writeFileSync(output, JSON.stringify(topology));
console.log(`boundaries: ${path.basename(source)} ${fs.statSync(source).size} bytes -> ${output} ${fs.statSync(output).size} bytes`);
