// The Metrics view's data, free of the DOM and of the network: one GetMetricData query per card
// (a function, optionally through an alias; an API's REST, HTTP or WebSocket stages) over a chosen
// window, and its answer turned into series, totals and sentences. metrics-panel.js draws them.

const MINUTE_MS = 60_000;

/** The windows a card can show; a longer one reads coarser periods, so a chart has 15 to 60 points. */
export const WINDOWS = [
  { key: '15m', label: 'last 15 minutes', minutes: 15, period: 60 },
  { key: '1h', label: 'last hour', minutes: 60, period: 60 },
  { key: '3h', label: 'last 3 hours', minutes: 180, period: 300 },
  { key: '12h', label: 'last 12 hours', minutes: 720, period: 900 },
];
export const DEFAULT_WINDOW = '1h';

export function windowOf(key) {
  return WINDOWS.find((w) => w.key === key) ?? WINDOWS.find((w) => w.key === DEFAULT_WINDOW);
}

const line = (id, metric, stat, label = metric) => ({ id, metric, stat, label });
/** A time in ms as its p50 and p99 per period; its total is the window's worst period of each. */
const percentiles = (title, metric) => ({ title, lines: [line('p50', metric, 'p50', 'p50'), line('p99', metric, 'p99', 'p99')], total: 'peak', unit: 'ms' });
const requestErrors = (client, server) => ({ title: 'Errors', lines: [line('e4', client, 'Sum', '4xx'), line('e5', server, 'Sum', '5xx')], total: 'sum', rateOf: 'count' });

/**
 * What each kind of card charts: per chart its lines (query Id, metric, statistic), whether its
 * total is the window's sum or its peak period, and `activity`: the lines whose sum says anything happened.
 */
const KINDS = {
  function: {
    namespace: 'AWS/Lambda', activity: ['inv', 'thr'], nothing: 'No invocations',
    charts: [
      { title: 'Invocations', lines: [line('inv', 'Invocations', 'Sum')], total: 'sum' },
      { title: 'Errors', lines: [line('err', 'Errors', 'Sum')], total: 'sum', rateOf: 'inv' },
      { title: 'Throttles', lines: [line('thr', 'Throttles', 'Sum')], total: 'sum' },
      percentiles('Duration', 'Duration'),
    ],
  },
  rest: {
    namespace: 'AWS/ApiGateway', activity: ['count'], nothing: 'No requests',
    charts: [{ title: 'Requests', lines: [line('count', 'Count', 'Sum')], total: 'sum' }, requestErrors('4XXError', '5XXError'), percentiles('Latency', 'Latency')],
  },
  http: {
    namespace: 'AWS/ApiGateway', activity: ['count'], nothing: 'No requests',
    charts: [{ title: 'Requests', lines: [line('count', 'Count', 'Sum')], total: 'sum' }, requestErrors('4xx', '5xx'), percentiles('Latency', 'Latency')],
  },
  // WebSocket stages publish no Count or Latency: connections, messages, their errors by fault.
  websocket: {
    namespace: 'AWS/ApiGateway', activity: ['conn', 'msg'], nothing: 'No connections or messages',
    charts: [
      { title: 'Connections', lines: [line('conn', 'ConnectCount', 'Sum')], total: 'sum' },
      { title: 'Messages', lines: [line('msg', 'MessageCount', 'Sum')], total: 'sum' },
      {
        title: 'Errors', total: 'sum',
        lines: [line('ce', 'ClientError', 'Sum', 'client'), line('ie', 'IntegrationError', 'Sum', 'integration'), line('xe', 'ExecutionError', 'Sum', 'execution')],
      },
      percentiles('Integration latency', 'IntegrationLatency'),
    ],
  },
};

/**
 * The dimensions of a card's target: a function (`alias`: through that alias only, Resource
 * `name:alias`), a REST stage (by API name, as API Gateway publishes them) or an HTTP/WebSocket stage (by API id).
 */
export function dimensionsOf(target) {
  switch (target.kind) {
    case 'function':
      return [{ Name: 'FunctionName', Value: target.name }, ...(target.alias ? [{ Name: 'Resource', Value: `${target.name}:${target.alias}` }] : [])];
    case 'rest':
      return [{ Name: 'ApiName', Value: target.apiName }, { Name: 'Stage', Value: target.stage }];
    default:
      return [{ Name: 'ApiId', Value: target.apiId }, { Name: 'Stage', Value: target.stage }];
  }
}

/** The window's range in ms: whole periods, the current (partial) one last. */
export function windowRange(windowKey, nowMs) {
  const w = windowOf(windowKey);
  const periodMs = w.period * 1000;
  const end = Math.floor(nowMs / periodMs) * periodMs + periodMs;
  return { start: end - w.minutes * MINUTE_MS, end, periodMs };
}

/** A line's query Id in a request for several targets: `inv_0`, `p99_2`. */
const idOf = (line, i) => `${line.id}_${i}`;

/**
 * The GetMetricData input (JSON 1.0: times in epoch seconds) for one card: every line of every
 * chart of each of `targets` (a function, or an API's stages) in one request.
 */
export function metricsQuery(targets, windowKey, nowMs) {
  const { start, end } = windowRange(windowKey, nowMs);
  const { period } = windowOf(windowKey);
  return {
    StartTime: start / 1000,
    EndTime: end / 1000,
    ScanBy: 'TimestampAscending',
    MetricDataQueries: targets.flatMap((target, i) => {
      const kind = KINDS[target.kind];
      const Dimensions = dimensionsOf(target);
      return kind.charts.flatMap((c) => c.lines).map((l) => ({
        Id: idOf(l, i),
        MetricStat: { Metric: { Namespace: kind.namespace, MetricName: l.metric, Dimensions }, Period: period, Stat: l.stat },
        ReturnData: true,
      }));
    }),
  };
}

/** A timestamp as the answer has it: epoch seconds (JSON 1.0) or an ISO string. */
function toMs(t) {
  return typeof t === 'number' ? t * 1000 : Date.parse(t);
}

/**
 * One value per period of the window, oldest first: a count reads 0 where nothing was recorded,
 * a percentile null (no sample, no value).
 */
export function seriesOf(result, range, missing) {
  const byTime = new Map();
  (result?.Timestamps ?? []).forEach((t, i) => byTime.set(toMs(t), Number(result.Values[i])));
  const out = [];
  for (let t = range.start; t < range.end; t += range.periodMs) out.push([t, byTime.get(t) ?? missing]);
  return out;
}

/** At most one decimal, none when whole: 12.5, 40. */
export function formatNumber(n) {
  return String(Math.round(n * 10) / 10);
}

const sumOf = (points) => points.reduce((n, [, v]) => n + (v ?? 0), 0);
const peakOf = (points) => points.reduce((m, [, v]) => (v === null || (m !== null && m >= v) ? m : v), null);

/** A chart's totals as shown beside it: "24", "4xx 2 · 5xx 1 (error rate 12.5%)", "p50 12 ms · p99 40 ms (peak)". */
function totalText(chart, lines, sums) {
  if (chart.total === 'peak') {
    if (lines.every((l) => l.total === null)) return 'no data';
    return `${lines.map((l) => `${l.label} ${l.total === null ? '—' : `${formatNumber(l.total)} ${chart.unit}`}`).join(' · ')} (peak)`;
  }
  const text = lines.length === 1 ? formatNumber(lines[0].total) : lines.map((l) => `${l.label} ${formatNumber(l.total)}`).join(' · ');
  const base = chart.rateOf ? sums.get(chart.rateOf) : 0;
  if (!chart.rateOf || !base) return text;
  const errors = lines.reduce((n, l) => n + l.total, 0);
  return `${text} (error rate ${formatNumber((errors / base) * 100)}%)`;
}

/**
 * One target's part of an answer: per chart its lines (points and total), the text of its totals
 * and the sentence a screen reader hears; `empty` (with the sentence to show instead) when nothing
 * happened in the window.
 */
function sectionOf(target, i, w, range, results) {
  const kind = KINDS[target.kind];
  const sums = new Map();
  const charts = kind.charts.map((chart) => {
    const lines = chart.lines.map((l) => {
      const points = seriesOf(results.get(idOf(l, i)), range, chart.total === 'sum' ? 0 : null);
      const total = chart.total === 'sum' ? sumOf(points) : peakOf(points);
      sums.set(l.id, total);
      return { id: l.id, label: l.label, points, total };
    });
    const text = totalText(chart, lines, sums);
    return { title: chart.title, unit: chart.unit ?? '', lines, text, summary: `${chart.title}, ${w.label}: ${text}` };
  });
  const empty = kind.activity.every((id) => !sums.get(id));
  return { target, charts, empty, emptyText: `${kind.nothing} in the ${w.label}.` };
}

/**
 * The card's view of the answer to metricsQuery(targets, …): a section per target, in order, and
 * `failed`: the query Ids the server could not answer fully.
 */
export function metricsView(targets, windowKey, nowMs, answer) {
  const w = windowOf(windowKey);
  const range = windowRange(windowKey, nowMs);
  const results = new Map((answer?.MetricDataResults ?? []).map((r) => [r.Id, r]));
  const failed = (answer?.MetricDataResults ?? []).filter((r) => r.StatusCode && r.StatusCode !== 'Complete').map((r) => r.Id);
  return { window: w, sections: targets.map((t, i) => sectionOf(t, i, w, range, results)), failed };
}
