// Row shape of the asynchronous invocation queue and its events, shared by the SQLite and
// PostgreSQL stores.
import type { AsyncEvent, AttemptResponse } from '../async-queue-store.js';

export interface EventRow {
  seq: number; request_id: string; account_id: string; region: string; name: string; qualifier: string | null;
  payload: Buffer; client_context: string | null; enqueued_ms: number; due_ms: number; attempts: number;
  throttles: number; last_response: string | null;
}

export const toEvent = (r: EventRow): AsyncEvent => ({
  seq: r.seq,
  requestId: r.request_id,
  accountId: r.account_id,
  region: r.region,
  name: r.name,
  qualifier: r.qualifier ?? undefined,
  payload: r.payload,
  clientContext: r.client_context ?? undefined,
  enqueuedMs: r.enqueued_ms,
  dueMs: r.due_ms,
  attempts: r.attempts,
  throttles: r.throttles,
  lastResponse: r.last_response ? (JSON.parse(r.last_response) as AttemptResponse) : undefined,
});
