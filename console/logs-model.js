// The web console's Logs view, its pure part: time ranges, log groups from ARNs, which streams a
// version or alias wrote, REPORT lines (text and JSON) summarised, and the cursor that follows a log
// group without showing an event twice (as `stagecraft logs --follow` does).
import { ConsoleError, stateOf } from './model.js';

// ---- Logs: a function's log group or a stage's access log group, read with FilterLogEvents.

/** The time ranges the Logs view offers, in milliseconds back from now. */
export const LOG_RANGES = { '5m': 300_000, '1h': 3_600_000, '24h': 86_400_000 };

/** The start time (epoch ms) of a range ('5m', '1h', '24h'). */
export function rangeStart(range, now = Date.now()) {
  const ms = LOG_RANGES[range];
  if (ms === undefined) throw new ConsoleError(`unknown time range ${range}`, `Choose one of ${Object.keys(LOG_RANGES).join(', ')}.`);
  return now - ms;
}

/** A log group's name from its ARN (`arn:aws:logs:{region}:{account}:log-group:{name}[:*]`), as access log settings hold it. */
export function logGroupOfArn(arn) {
  const m = /^arn:aws[a-z-]*:logs:[^:]*:[^:]*:log-group:(.+?)(?::\*)?$/.exec(String(arn ?? ''));
  return m ? m[1] : undefined;
}

/** The version in a Lambda log stream name (`2024/05/01/[3]abc…` → '3'); undefined for other streams. */
export function streamVersion(streamName) {
  return /^\d{4}\/\d{2}\/\d{2}\/\[([^\]]+)\]/.exec(String(streamName ?? ''))?.[1];
}

/** The versions whose streams a qualifier covers: '' → all (undefined); an alias → its version and, for a weighted alias, the others it sends traffic to. */
export function versionsOfQualifier(qualifier, alias) {
  if (!qualifier) return undefined;
  if (!alias) return [qualifier];
  const s = stateOf(alias);
  return [s.version, ...Object.keys(s.weights)];
}

/**
 * Whether a stream belongs to `versions` (all streams when undefined). Filtered here, not with
 * logStreamNamePrefix: a stream's date (`YYYY/MM/DD/[version]id`) is the day its environment
 * started, and a warm environment keeps writing to it on later days, so no one prefix covers a
 * version's events in a time range.
 */
export function streamFilter(versions) {
  if (!versions?.length) return () => true;
  return (streamName) => versions.includes(streamVersion(streamName));
}

/** A REPORT line (text, or the JSON format's platform.report) as numbers; undefined for any other line. */
export function parseReport(message) {
  const text = String(message ?? '');
  if (text.startsWith('{')) {
    let record;
    try {
      record = JSON.parse(text);
    } catch {
      return undefined;
    }
    if (record?.type !== 'platform.report') return undefined;
    const m = record.record?.metrics ?? {};
    return {
      requestId: record.record?.requestId ?? '', durationMs: m.durationMs, billedDurationMs: m.billedDurationMs, memorySizeMb: m.memorySizeMB,
      maxMemoryUsedMb: m.maxMemoryUsedMB, ...(m.initDurationMs !== undefined ? { initDurationMs: m.initDurationMs } : {}),
      ...(record.record?.status && record.record.status !== 'success' ? { status: record.record.status } : {}),
    };
  }
  if (!text.startsWith('REPORT RequestId: ')) return undefined;
  const field = (name) => new RegExp(`${name}: ([^\\t\\n]+)`).exec(text)?.[1]?.trim();
  const number = (name) => {
    const v = field(name);
    return v === undefined ? undefined : Number.parseFloat(v);
  };
  const report = {
    requestId: field('RequestId') ?? '', durationMs: number('Duration'), billedDurationMs: number('Billed Duration'),
    memorySizeMb: number('Memory Size'), maxMemoryUsedMb: number('Max Memory Used'),
  };
  if (field('Init Duration') !== undefined) report.initDurationMs = number('Init Duration');
  if (field('Status') !== undefined) report.status = field('Status');
  return report;
}

/** A parsed REPORT as the short summary shown beside it, e.g. "12.34 ms · 64/128 MB · init 150.00 ms". */
export function describeReport(r) {
  return [`${r.durationMs} ms`, `${r.maxMemoryUsedMb}/${r.memorySizeMb} MB`, r.initDurationMs !== undefined ? `init ${r.initDurationMs} ms` : '', r.status ?? '']
    .filter(Boolean).join(' · ');
}

const PLATFORM_LINE = /^(START|END|REPORT|INIT_START|INIT_REPORT|EXTENSION|TELEMETRY|RUNTIME_DONE|XRAY TraceId)\b/;
const TEXT_LEVEL = /^\S+Z\t\S+\t(TRACE|DEBUG|INFO|WARN|ERROR|FATAL)\t/;

/**
 * One FilterLogEvents event as a row: its time, stream, version, message (text, shown as text),
 * kind ('platform' for START/END/REPORT and the JSON format's platform events, 'app' otherwise),
 * the level of a JSON-format record (or of the Node runtime's tab-separated text lines), and a
 * REPORT's numbers.
 */
export function logEventView(e) {
  const message = String(e.message ?? '').replace(/\n$/, '');
  const row = { id: e.eventId ?? '', time: new Date(e.timestamp ?? 0).toISOString(), stream: e.logStreamName ?? '', version: streamVersion(e.logStreamName) ?? '', message, kind: 'app', level: '' };
  const report = parseReport(message);
  if (report) return { ...row, kind: 'platform', report };
  if (PLATFORM_LINE.test(message)) return { ...row, kind: 'platform' };
  if (message.startsWith('{')) {
    try {
      const record = JSON.parse(message);
      if (typeof record?.type === 'string' && record.type.startsWith('platform.')) return { ...row, kind: 'platform' };
      if (typeof record?.level === 'string') return { ...row, level: record.level.toUpperCase() };
    } catch {
      // Not JSON after all: an ordinary line.
    }
  }
  return { ...row, level: TEXT_LEVEL.exec(message)?.[1] ?? '' };
}

/**
 * Follow's position, as `stagecraft logs --follow` keeps it: FilterLogEvents' startTime is
 * inclusive, so each poll asks again from the newest timestamp seen and drops the events at that
 * timestamp it has already shown (by eventId).
 */
export function followCursor(since) {
  return { since, seenAtEdge: [] };
}

/** One poll's events (oldest first) → the ones not shown yet and the next cursor. */
export function advanceFollow(cursor, events) {
  const seen = new Set(cursor.seenAtEdge);
  const fresh = events.filter((e) => !(e.timestamp === cursor.since && seen.has(e.eventId)));
  const newest = events.length ? events[events.length - 1].timestamp : undefined;
  if (newest === undefined || newest < cursor.since) return { fresh, cursor }; // e.g. an older page loaded while following
  const edge = new Set(events.filter((e) => e.timestamp === newest).map((e) => e.eventId));
  if (newest === cursor.since) for (const id of seen) edge.add(id);
  return { fresh, cursor: { since: newest, seenAtEdge: [...edge] } };
}
