// The Dashboards page's data, free of the DOM and of the network: a dashboard body's metric widgets
// read as CloudWatch's body syntax writes them (rows `[namespace, name, dimension, value, …, {options}]`,
// "." repeating the value above, "..." the leading values of the row above), one GetMetricData query for
// all of them over the page's window, and each widget's lines from the answer. dashboards-page.js draws them.
import { windowOf, windowRange, seriesOf } from './metrics-model.js';

/** The metrics a metric widget graphs; rows with an `expression` (metric math) are left out. */
export function widgetMetrics(properties) {
  const out = [];
  let above = [];
  for (const row of Array.isArray(properties?.metrics) ? properties.metrics : []) {
    if (!Array.isArray(row)) continue;
    const last = row.at(-1);
    const options = last !== null && typeof last === 'object' ? last : undefined;
    let fields = options ? row.slice(0, -1) : row;
    if (fields[0] === '...') fields = [...above.slice(0, Math.max(0, above.length - (fields.length - 1))), ...fields.slice(1)];
    fields = fields.map((v, i) => (v === '.' ? above[i] : v));
    if (options?.expression !== undefined) continue;
    above = fields;
    const [namespace, metricName, ...pairs] = fields.map(String);
    if (!namespace || !metricName) continue;
    const dimensions = [];
    for (let i = 0; i + 1 < pairs.length; i += 2) dimensions.push({ Name: pairs[i], Value: pairs[i + 1] });
    const label = options?.label ?? [metricName, ...dimensions.map((d) => d.Value)].join(' ');
    out.push({ namespace, metricName, dimensions, stat: options?.stat ?? properties.stat ?? 'Average', label });
  }
  return out;
}

/** The dashboard's widgets in reading order (top to bottom, left to right), each with what the page needs. */
export function dashboardWidgets(bodyText) {
  let body;
  try {
    body = JSON.parse(bodyText);
  } catch {
    return [];
  }
  const widgets = Array.isArray(body?.widgets) ? body.widgets : [];
  return widgets
    .map((w, i) => ({ index: i, type: w?.type, x: w?.x ?? 0, y: w?.y ?? 0, properties: w?.properties ?? {} }))
    .sort((a, b) => a.y - b.y || a.x - b.x || a.index - b.index)
    .map((w) => ({ ...w, title: w.properties.title ?? '', metrics: w.type === 'metric' ? widgetMetrics(w.properties) : [] }));
}

/** A widget's line's query Id: `w3_0` (widget 3, its first metric). */
const idOf = (widget, j) => `w${widget.index}_${j}`;

/** One GetMetricData input (JSON 1.0: epoch seconds) for every metric widget, at the window's period; undefined when none has metrics. */
export function dashboardQuery(widgets, windowKey, nowMs) {
  const { start, end } = windowRange(windowKey, nowMs);
  const { period } = windowOf(windowKey);
  const MetricDataQueries = widgets.flatMap((w) => w.metrics.map((m, j) => ({
    Id: idOf(w, j),
    MetricStat: { Metric: { Namespace: m.namespace, MetricName: m.metricName, Dimensions: m.dimensions }, Period: period, Stat: m.stat },
    ReturnData: true,
  })));
  return MetricDataQueries.length ? { StartTime: start / 1000, EndTime: end / 1000, ScanBy: 'TimestampAscending', MetricDataQueries } : undefined;
}

/** Each metric widget's lines (label, values per period, null where there is none) from the answer to dashboardQuery. */
export function dashboardLines(widgets, windowKey, nowMs, answer) {
  const range = windowRange(windowKey, nowMs);
  const results = new Map((answer?.MetricDataResults ?? []).map((r) => [r.Id, r]));
  return new Map(widgets.map((w) => [w.index, w.metrics.map((m, j) => ({ label: m.label, values: seriesOf(results.get(idOf(w, j)), range, null).map(([, v]) => v) }))]));
}
