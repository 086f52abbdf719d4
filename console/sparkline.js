// A small inline SVG chart: one polyline per series over a shared scale from 0 to the highest
// value, gaps (null: no sample) left open. No axes: the numbers are shown beside it and in its
// aria-label, which is all a screen reader gets (the drawing itself is hidden from it).

const SVG = 'http://www.w3.org/2000/svg';

function svg(tag, attrs) {
  const node = document.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, String(v));
  return node;
}

/** Where `v` sits in a box `height` high scaled to `max`: 0 at the bottom, 1px inside so a line at 0 or max shows. */
function yOf(v, height, max) {
  return max > 0 ? height - (v / max) * (height - 2) - 1 : height - 1;
}

/** The polylines' point lists of `values` (runs between gaps) in a `width`×`height` box, 0 at the bottom. */
export function polylinePoints(values, width, height, max) {
  const step = values.length > 1 ? width / (values.length - 1) : 0;
  const y = (v) => yOf(v, height, max);
  const runs = [];
  let run = [];
  values.forEach((v, i) => {
    if (v === null || v === undefined) {
      if (run.length) runs.push(run);
      run = [];
    } else run.push([i * step, y(v)]);
  });
  if (run.length) runs.push(run);
  // A lone point draws as a short flat segment, so it can be seen.
  const drawn = runs.map((r) => (r.length === 1 ? [[Math.max(0, r[0][0] - 1.5), r[0][1]], [Math.min(width, r[0][0] + 1.5), r[0][1]]] : r));
  const round = (n) => Math.round(n * 10) / 10;
  return drawn.map((r) => r.map(([x, yy]) => `${round(x)},${round(yy)}`).join(' '));
}

/** An `<svg role="img">` of `series` (arrays of numbers or null, one per period), named by `label`. */
export function sparkline(series, label, { width = 160, height = 36 } = {}) {
  const max = Math.max(0, ...series.flat().filter((v) => v !== null && v !== undefined));
  const node = svg('svg', { class: 'sparkline', role: 'img', 'aria-label': label, width, height, viewBox: `0 0 ${width} ${height}`, preserveAspectRatio: 'none' });
  node.append(svg('line', { class: 'baseline', x1: 0, y1: height - 0.5, x2: width, y2: height - 0.5 }));
  series.forEach((values, i) => {
    for (const points of polylinePoints(values, width, height, max)) node.append(svg('polyline', { class: `series series-${i}`, points, fill: 'none' }));
    // The newest value gets a dot: a spike in the current period sits on the right edge.
    const last = values.findLastIndex((v) => v !== null && v !== undefined);
    if (last >= 0 && values[last] > 0) {
      const x = values.length > 1 ? (last * width) / (values.length - 1) : 0;
      node.append(svg('circle', { class: `dot series-${i}`, cx: Math.max(2, Math.min(width - 2, x)), cy: Math.max(2, yOf(values[last], height, max)), r: 2 }));
    }
  });
  const title = svg('title', {});
  title.textContent = label; // the same words as a tooltip
  node.prepend(title);
  return node;
}
