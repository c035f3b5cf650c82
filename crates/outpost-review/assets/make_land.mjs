// Regenerates land.txt (the SVG path of the world's land outline used by the review page's map)
// from the `world-atlas` npm package (ISC licence; data: Natural Earth 1:110m land, public domain).
//
//   npm install --no-save world-atlas@2.0.2 && node make_land.mjs node_modules/world-atlas/land-110m.json > land.txt
//
// The path is in an equirectangular frame: x = longitude, y = -latitude (degrees), rounded to
// 0.5 degree, with consecutive duplicate points dropped.
import { readFileSync } from 'node:fs';

const topo = JSON.parse(readFileSync(process.argv[2], 'utf8'));
const { scale, translate } = topo.transform;
const arcs = topo.arcs.map((arc) => {
  let x = 0, y = 0;
  return arc.map(([dx, dy]) => {
    x += dx; y += dy;
    return [x * scale[0] + translate[0], y * scale[1] + translate[1]];
  });
});
const arcPoints = (i) => (i >= 0 ? arcs[i] : arcs[~i].slice().reverse());
const round = (v) => Math.round(v * 2) / 2;
const parts = [];
const ring = (idx) => {
  const pts = [];
  for (const i of idx) {
    const a = arcPoints(i);
    pts.push(...(pts.length ? a.slice(1) : a));
  }
  const out = [];
  for (const [lon, lat] of pts) {
    const p = [round(lon), round(-lat)];
    const last = out[out.length - 1];
    if (!last || last[0] !== p[0] || last[1] !== p[1]) out.push(p);
  }
  if (out.length < 4) return;
  parts.push('M' + out.map((p) => `${p[0]} ${p[1]}`).join('L') + 'Z');
};
const walk = (g) => {
  if (g.type === 'GeometryCollection') g.geometries.forEach(walk);
  else if (g.type === 'Polygon') g.arcs.forEach(ring);
  else if (g.type === 'MultiPolygon') g.arcs.forEach((poly) => poly.forEach(ring));
};
Object.values(topo.objects).forEach(walk);
process.stdout.write(parts.join('') + '\n');
