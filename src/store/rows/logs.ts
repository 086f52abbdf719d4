// Row shapes of the log group and stream tables and their records, and the event scan of
// FilterLogEvents, shared by the SQLite and PostgreSQL stores.
import type { EventPosition, FilterEventsQuery, FilterEventsResult, LogGroupRecord, LogStreamRecord, PutEventsResult, StoredLogEvent } from '../logs-store.js';

export interface GroupRow {
  id: number;
  name: string;
  created_ms: number;
  retention_days: number | null;
  kms_key_id: string | null;
  log_group_class: string;
  tags: string;
  stored_bytes: number;
}

export interface StreamRow {
  id: number;
  name: string;
  created_ms: number;
  first_event_ms: number | null;
  last_event_ms: number | null;
  last_ingestion_ms: number | null;
  stored_bytes: number;
}

export function toGroup(row: GroupRow): LogGroupRecord {
  return {
    name: row.name,
    createdMs: row.created_ms,
    retentionDays: row.retention_days ?? undefined,
    kmsKeyId: row.kms_key_id ?? undefined,
    logGroupClass: row.log_group_class,
    tags: JSON.parse(row.tags) as Record<string, string>,
    storedBytes: row.stored_bytes,
  };
}

export function toStream(row: StreamRow): LogStreamRecord {
  return {
    name: row.name,
    createdMs: row.created_ms,
    firstEventMs: row.first_event_ms ?? undefined,
    lastEventMs: row.last_event_ms ?? undefined,
    lastIngestionMs: row.last_ingestion_ms ?? undefined,
    storedBytes: row.stored_bytes,
  };
}

/** How many events one filter query reads at a time. */
const SCAN_CHUNK = 1000;

/**
 * FilterLogEvents' scan, the same on every store: reads events in (timestamp, id) order a chunk at
 * a time from `from`, keeps those `query.match` accepts, and stops at `query.limit` matches or
 * `query.scanLimit` rows read (answering where to resume).
 */
export async function scanEvents(query: FilterEventsQuery, read: (after: EventPosition, chunk: number) => Promise<StoredLogEvent[]>): Promise<FilterEventsResult> {
  const events: StoredLogEvent[] = [];
  let cursor: EventPosition = query.after ?? { timestamp: -1, id: 0 };
  let scanned = 0;
  for (;;) {
    const chunk = Math.min(SCAN_CHUNK, query.scanLimit - scanned);
    const rows = await read(cursor, chunk);
    for (const event of rows) {
      scanned++;
      cursor = { timestamp: event.timestamp, id: event.id };
      if (query.match && !query.match(event.message)) continue;
      events.push(event);
      if (events.length >= query.limit) return { events, resumeAfter: cursor };
    }
    if (rows.length < chunk) return { events };
    if (scanned >= query.scanLimit) return { events, resumeAfter: cursor };
  }
}

/** Thrown inside a transaction to roll it back when a target group or stream is missing. */
/** An event row: SQLite hands the message back as text, PostgreSQL as UTF-8 bytes (it cannot store NUL in text). */
export interface EventRow {
  id: number;
  ts: number;
  ingestion_ms: number;
  message: string | Buffer;
  stream: string;
}

/** The newest timestamp a query can name: the open end of a time range. */
export const MAX_TS = Number.MAX_SAFE_INTEGER;

export function toEvent(row: EventRow): StoredLogEvent {
  const message = typeof row.message === 'string' ? row.message : row.message.toString('utf8');
  return { id: row.id, timestamp: row.ts, ingestionTime: row.ingestion_ms, message, streamName: row.stream };
}

export class MissingTarget extends Error {
  constructor(readonly result: PutEventsResult) {
    super(result);
  }
}
