// Persistence contract for the queue of asynchronous (Event) invocations. An event is written
// before the caller gets its 202 and removed only when it is done, so a crash loses nothing:
// whatever was queued or running is run (again) after a restart, AWS's at-least-once delivery.
import type { FunctionKey } from './lambda-store.js';

/** What the latest attempt answered; an invocation record reports it when the event is given up. */
export interface AttemptResponse {
  statusCode: number;
  executedVersion?: string;
  functionError?: string;
  /** The function's response (or error) payload as text. */
  payload?: string;
}

export interface NewAsyncEvent extends FunctionKey {
  /** Kept for every attempt, as AWS keeps the request id of an event. */
  requestId: string;
  /** As the caller named it; undefined when unqualified. */
  qualifier?: string;
  payload: Buffer;
  clientContext?: string;
  enqueuedMs: number;
  dueMs: number;
}

export interface AsyncEvent extends NewAsyncEvent {
  /** Queue order, unique. */
  seq: number;
  /** Attempts that reached the function (the invocation record's approximateInvokeCount). */
  attempts: number;
  /** Tries in a row that were throttled or could not run, for the backoff. */
  throttles: number;
  lastResponse?: AttemptResponse;
}

export interface Reschedule {
  dueMs: number;
  attempts: number;
  throttles: number;
  lastResponse?: AttemptResponse;
}

export interface AsyncQueueStore {
  /** Queues an event; false when its function no longer exists. */
  enqueue(event: NewAsyncEvent): Promise<boolean>;
  /** Events due at `nowMs` in queue order, leaving out the `skip` sequence numbers (already running). */
  due(nowMs: number, limit: number, skip: ReadonlySet<number>): Promise<AsyncEvent[]>;
  /** When the earliest queued event not in `skip` is due; undefined when there is none. */
  nextDueMs(skip: ReadonlySet<number>): Promise<number | undefined>;
  reschedule(seq: number, next: Reschedule): Promise<void>;
  /**
   * Removes a finished event and, in the same transaction, queues its follow-up (an invocation
   * record for a destination function), so the record is neither lost nor sent twice by a crash.
   * Answers false when the follow-up's function does not exist (the event is removed anyway).
   */
  complete(seq: number, followUp?: NewAsyncEvent): Promise<boolean>;
  /** Events in the queue (running ones included). */
  count(): Promise<number>;
}
