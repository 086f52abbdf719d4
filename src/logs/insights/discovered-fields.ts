// The fields Logs Insights finds in a log event: the system fields (@timestamp, @message,
// @logStream, @log, @ingestionTime), the members of a JSON message (nested ones joined with `.`),
// and what Lambda's REPORT lines carry (@type, @requestId, @duration, @billedDuration, @memorySize,
// @maxMemoryUsed in bytes, @initDuration).

/** A field's value: times are Dates (shown as AWS shows them), other values strings or numbers. */
export type Value = string | number | Date | undefined;
export type LogRecord = Record<string, Value>;

export interface SourceEvent {
  group: string;
  accountId: string;
  streamName: string;
  timestamp: number;
  ingestionTime: number;
  message: string;
}

const REPORT = /^REPORT RequestId: (\S+)\tDuration: ([\d.]+) ms\tBilled Duration: (\d+) ms\tMemory Size: (\d+) MB\tMax Memory Used: (\d+) MB(?:\tInit Duration: ([\d.]+) ms)?/;
const REQUEST_LINE = /^(?:START|END) RequestId: ([0-9a-f-]{36})/;
const TEXT_LINE = /^\d{4}-\d\d-\d\dT[\d:.]+Z\t([0-9a-f-]{36})\t/;
const MB = 1_000_000;

function flatten(value: unknown, prefix: string, into: LogRecord, depth: number): void {
  if (value === null || value === undefined) return;
  if (typeof value === 'object' && depth < 16) {
    for (const [k, v] of Object.entries(value as Record<string, unknown>)) flatten(v, prefix ? `${prefix}.${k}` : k, into, depth + 1);
    return;
  }
  into[prefix] = typeof value === 'number' ? value : typeof value === 'object' ? JSON.stringify(value) : String(value);
}

/** The members of a JSON object message, without overriding the system fields. */
function addJson(text: string, record: LogRecord): void {
  try {
    const parsed = JSON.parse(text) as unknown;
    if (!parsed || typeof parsed !== 'object') return;
    const found: LogRecord = {};
    flatten(parsed, '', found, 0);
    Object.assign(record, found, { ...record });
  } catch {
    // not JSON after all: only the system fields
  }
}

export function discoverFields(e: SourceEvent): LogRecord {
  const record: LogRecord = {
    '@timestamp': new Date(e.timestamp),
    '@ingestionTime': new Date(e.ingestionTime),
    '@message': e.message,
    '@logStream': e.streamName,
    '@log': `${e.accountId}:${e.group}`,
  };
  const m = e.message;
  if (m.startsWith('{')) {
    addJson(m, record);
    return record;
  }
  const report = REPORT.exec(m);
  if (report) {
    record['@type'] = 'REPORT';
    record['@requestId'] = report[1];
    record['@duration'] = Number(report[2]);
    record['@billedDuration'] = Number(report[3]);
    record['@memorySize'] = Number(report[4]) * MB;
    record['@maxMemoryUsed'] = Number(report[5]) * MB;
    if (report[6] !== undefined) record['@initDuration'] = Number(report[6]);
    return record;
  }
  const id = REQUEST_LINE.exec(m) ?? TEXT_LINE.exec(m);
  if (id) record['@requestId'] = id[1];
  // Lambda's text format puts time, request id and level before what the function logged.
  const text = TEXT_LINE.exec(m) && /^[^\t]*\t[^\t]*\t[^\t]*\t(\{.*)$/s.exec(m);
  if (text) addJson(text[1].trimEnd(), record);
  return record;
}
