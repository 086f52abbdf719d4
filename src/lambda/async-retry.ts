// What happens to an asynchronous event after a try, as AWS documents it: a function error is
// retried up to MaximumRetryAttempts times after fixed waits (1 then 2 minutes); a throttled try
// (or one that could not run) goes back to the queue with a backoff growing from 1 second to
// 5 minutes; and an event is given up as soon as its next try would come after its maximum age.
// Pure functions of the event's state and the clock, so every rule is unit-tested.
import type { EventInvokeConfigRecord } from '../store/lambda-store.js';

export type Condition = 'Success' | 'RetriesExhausted' | 'EventAgeExceeded';

export const DEFAULT_MAX_RETRY_ATTEMPTS = 2;
export const DEFAULT_MAX_EVENT_AGE_SECONDS = 21_600;
const BACKOFF_FIRST_MS = 1000;
const BACKOFF_MAX_MS = 300_000;

export interface RetrySettings {
  maximumRetryAttempts: number;
  maximumEventAgeMs: number;
  /** Waits before the second and the third attempt after function errors. */
  retryDelaysMs: readonly number[];
  onSuccess?: string;
  onFailure?: string;
}

/** The settings in force for an event: its qualifier's EventInvokeConfig, AWS's defaults for what it leaves out. */
export function retrySettings(config: EventInvokeConfigRecord | undefined, retryDelaysMs: readonly number[]): RetrySettings {
  return {
    maximumRetryAttempts: config?.maximumRetryAttempts ?? DEFAULT_MAX_RETRY_ATTEMPTS,
    maximumEventAgeMs: (config?.maximumEventAgeInSeconds ?? DEFAULT_MAX_EVENT_AGE_SECONDS) * 1000,
    retryDelaysMs,
    onSuccess: config?.onSuccess,
    onFailure: config?.onFailure,
  };
}

export interface EventState {
  enqueuedMs: number;
  /** Attempts that reached the function, the one just made included. */
  attempts: number;
  /** Throttled tries in a row, the one just made included. */
  throttles: number;
}

export type TryResult = 'success' | 'function-error' | 'throttled';

export type NextStep = { kind: 'done'; condition: Condition } | { kind: 'retry'; dueMs: number };

export function isExpired(enqueuedMs: number, settings: RetrySettings, nowMs: number): boolean {
  return nowMs > enqueuedMs + settings.maximumEventAgeMs;
}

export function nextStep(result: TryResult, state: EventState, settings: RetrySettings, nowMs: number): NextStep {
  if (result === 'success') return { kind: 'done', condition: 'Success' };
  let delay: number;
  if (result === 'function-error') {
    if (state.attempts > settings.maximumRetryAttempts) return { kind: 'done', condition: 'RetriesExhausted' };
    const delays = settings.retryDelaysMs;
    delay = delays[Math.min(state.attempts - 1, delays.length - 1)] ?? 0;
  } else {
    delay = Math.min(BACKOFF_FIRST_MS * 2 ** Math.max(0, state.throttles - 1), BACKOFF_MAX_MS);
  }
  const dueMs = nowMs + delay;
  // AWS does not wait for the age to run out: it gives up once the next try would come too late.
  if (isExpired(state.enqueuedMs, settings, dueMs)) return { kind: 'done', condition: 'EventAgeExceeded' };
  return { kind: 'retry', dueMs };
}
