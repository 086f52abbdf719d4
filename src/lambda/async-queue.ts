// Runs queued asynchronous (Event) invocations: a small pool of workers takes due events from the
// store in queue order, runs each through the invoke pipeline, and then retries, backs off, or
// finishes it (sending its invocation record to a destination) by the rules in async-retry.ts.
// Every step is written to the store before the next, so a crash at any point leaves the event
// queued, to run again after the restart.
import { isAwsError } from '../core/errors.js';
import { logger } from '../core/logger.js';
import { DuePump } from '../core/due-pump.js';
import { newRequestId } from '../core/ids.js';
import type { AsyncEvent, AsyncQueueStore, AttemptResponse, NewAsyncEvent } from '../store/async-queue-store.js';
import type { LambdaStore } from '../store/lambda-store.js';
import type { InvokeOutcome } from './invoke.js';
import { arnOf } from './names.js';
import { isExpired, nextStep, retrySettings, type Condition, type RetrySettings, type TryResult } from './async-retry.js';
import { invocationRecord, type InvocationRecord } from './invocation-record.js';
import { destinationTarget } from './destinations.js';
import type { AsyncEventMetrics } from '../cloudwatch/lambda-async-metrics.js';

/**
 * Where records go that are not for a function (SQS queues, SNS topics, EventBridge buses) and
 * where dead-letter queues are: the other services' side, registered once they are built.
 */
export interface RecordSenders {
  /** Sends an invocation record to a queue, topic or bus destination; rejects when it cannot. */
  sendRecord(destinationArn: string, record: InvocationRecord): Promise<void>;
  /** Sends a given-up event to the dead-letter queue or topic (DeadLetterConfig.TargetArn); rejects when it cannot. */
  sendDeadLetter(targetArn: string, letter: DeadLetter): Promise<void>;
}

/** A given-up event as its dead-letter queue or topic receives it. */
export interface DeadLetter {
  payload: Buffer;
  requestId: string;
  /** The last attempt's status code, when one reached the function. */
  errorCode?: number;
  /** The last attempt's errorMessage (or its function error), when one reached the function. */
  errorMessage?: string;
}

/** An accepted Event invocation, as the Invoke API hands it over. */
export type AcceptedEvent = Omit<NewAsyncEvent, 'enqueuedMs' | 'dueMs'>;

export interface AsyncQueueOptions {
  store: AsyncQueueStore;
  /** Where each qualifier's EventInvokeConfig is read (live, so changes apply to queued events). */
  lambda: Pick<LambdaStore, 'getEventInvokeConfig'>;
  workers: number;
  retryDelaysMs: readonly number[];
  /** Runs one attempt through the invoke pipeline (as a RequestResponse invocation). */
  run(event: AsyncEvent): Promise<InvokeOutcome>;
  /** How long close() waits for running attempts before leaving them queued. */
  drainMs?: number;
  /**
   * Looks at the store this often besides its own timer: in a cluster other nodes queue events
   * (and may die holding them) without this node hearing of it. Unset: only this node queues.
   */
  pollMs?: number;
  /** AWS/Lambda metrics: AsyncEventsReceived, AsyncEventAge, AsyncEventsDropped, DeadLetterErrors, DestinationDeliveryFailures. */
  metrics?: AsyncEventMetrics;
  /** The dead-letter queue of the function version an event ran on, if one is configured (sent through the registered RecordSenders). */
  deadLetterTarget?(event: AsyncEvent, executedVersion: string | undefined): Promise<string | undefined>;
  now?: () => number;
}

/** The caller's kind of error (the function, version or alias is gone; a runtime we lack): retrying cannot help. */
function neverRuns(e: unknown): boolean {
  return isAwsError(e) && e.code !== 'TooManyRequestsException' && (e.type === 'User' || e.isUserFault);
}

export class AsyncQueue {
  readonly #o: AsyncQueueOptions;
  readonly #now: () => number;
  readonly #pump: DuePump<AsyncEvent, number>;
  #queued = 0;
  #countedAt = 0;
  #senders: RecordSenders | undefined;
  /** Past the drain: attempts still running are left queued, their results ignored. */
  #abandoned = false;

  constructor(options: AsyncQueueOptions) {
    this.#o = options;
    this.#now = options.now ?? Date.now;
    this.#pump = new DuePump<AsyncEvent, number>({
      name: 'asynchronous invocation queue',
      take: (limit, running) => options.store.due(this.#now(), limit, running),
      nextDueMs: (running) => options.store.nextDueMs(running),
      keyOf: (event) => event.seq,
      run: (event) => this.#process(event)
        .catch((e) => logger.error('asynchronous invocation failed in the queue', { requestId: event.requestId, error: e instanceof Error ? e.stack : String(e) })),
      // Counting is a table scan: under load, once a second is enough for the health report.
      afterPass: async (running) => {
        if (running === 0 || this.#now() - this.#countedAt >= 1000) {
          this.#queued = await options.store.count();
          this.#countedAt = this.#now();
        }
      },
    }, { workers: options.workers, pollMs: options.pollMs, now: this.#now });
  }

  /** Records for queues, topics and buses, and dead letters, go through `senders` (until then they are counted as not delivered). */
  sendRecordsTo(senders: RecordSenders): void {
    this.#senders = senders;
  }

  /** Resumes whatever an earlier run of the server left queued or running. */
  start(): void {
    this.#pump.start();
  }

  /** Persists an accepted event (before its 202 is answered); false when its function is gone. */
  async enqueue(event: AcceptedEvent): Promise<boolean> {
    const now = this.#now();
    const queued = await this.#o.store.enqueue({ ...event, enqueuedMs: now, dueMs: now });
    if (queued) {
      this.#o.metrics?.received(event);
      this.#pump.kick();
    }
    return queued;
  }

  stats(): { queued: number; running: number } {
    return { queued: this.#queued, running: this.#pump.running };
  }

  /** Stops taking events, waits (up to drainMs) for running ones; the rest stay queued for the next start. */
  async close(): Promise<void> {
    const running = await this.#pump.close(this.#o.drainMs ?? 10_000);
    this.#abandoned = true;
    if (running) logger.info('asynchronous invocations still running at shutdown stay queued and run again at the next start', { running });
  }

  async #process(event: AsyncEvent): Promise<void> {
    const { store } = this.#o;
    const settings = retrySettings(await this.#o.lambda.getEventInvokeConfig(event, event.qualifier ?? '$LATEST'), this.#o.retryDelaysMs);
    if (isExpired(event.enqueuedMs, settings, this.#now())) {
      return this.#finish(event, 'EventAgeExceeded', settings, event.attempts, event.lastResponse);
    }
    this.#o.metrics?.age(event, this.#now() - event.enqueuedMs);
    let outcome: InvokeOutcome | undefined;
    let result: TryResult;
    try {
      outcome = await this.#o.run(event);
      result = outcome.functionError ? 'function-error' : 'success';
    } catch (e) {
      if (this.#abandoned) return;
      if (neverRuns(e)) {
        logger.warn('asynchronous invocation discarded', this.#describe(event, e));
        await store.complete(event.seq);
        this.#o.metrics?.dropped(event);
        return;
      }
      // Throttled, or a failure of ours: back to the queue with a backoff, as AWS does.
      result = 'throttled';
      if (!isAwsError(e) || e.code !== 'TooManyRequestsException') logger.warn('asynchronous invocation could not run; it will be tried again', this.#describe(event, e));
    }
    if (this.#abandoned) return;
    const response: AttemptResponse | undefined = outcome && {
      statusCode: outcome.statusCode,
      executedVersion: outcome.executedVersion,
      functionError: outcome.functionError,
      payload: outcome.payload?.toString('utf8'),
    };
    const attempts = event.attempts + (outcome ? 1 : 0);
    const throttles = outcome ? 0 : event.throttles + 1;
    const lastResponse = response ?? event.lastResponse;
    const step = nextStep(result, { enqueuedMs: event.enqueuedMs, attempts, throttles }, settings, this.#now());
    if (step.kind === 'retry') {
      await store.reschedule(event.seq, { dueMs: step.dueMs, attempts, throttles, lastResponse });
      return;
    }
    await this.#finish(event, step.condition, settings, attempts, lastResponse);
  }

  /** Removes the event and, in the same step, queues its invocation record for a destination function (or first sends it to a queue, topic or bus). */
  async #finish(event: AsyncEvent, condition: Condition, settings: RetrySettings, attempts: number, response: AttemptResponse | undefined): Promise<void> {
    const destination = condition === 'Success' ? settings.onSuccess : settings.onFailure;
    const fields = { function: event.name, requestId: event.requestId, condition, attempts };
    if (condition !== 'Success') await this.#dropped(event, response);
    if (!destination) {
      if (condition !== 'Success') logger.warn('asynchronous invocation discarded', fields);
      await this.#o.store.complete(event.seq);
      return;
    }
    const target = destinationTarget(destination, condition === 'Success' ? 'onSuccess' : 'onFailure');
    const now = this.#now();
    const record = invocationRecord({
      requestId: event.requestId,
      functionArn: arnOf(event, event.qualifier ?? '$LATEST'),
      condition,
      attempts,
      payload: event.payload,
      response,
      now: new Date(now),
    });
    if (target?.kind !== 'function') {
      // A queue, topic or bus: sent before the event is removed (at least once, as AWS delivers).
      const senders = this.#senders;
      const sent = target && senders
        ? await senders.sendRecord(destination, record).then(() => true, (e: unknown) => {
          logger.warn('invocation record not delivered', { ...fields, destination, error: e instanceof Error ? e.message : String(e) });
          return false;
        })
        : (logger.warn('invocation record not delivered: no sender for this destination', { ...fields, destination }), false);
      await this.#o.store.complete(event.seq);
      if (!sent) this.#o.metrics?.destinationDeliveryFailure(event);
      return;
    }
    const followUp: NewAsyncEvent = { ...target.ref, requestId: newRequestId(), payload: Buffer.from(JSON.stringify(record)), enqueuedMs: now, dueMs: now };
    if (await this.#o.store.complete(event.seq, followUp)) this.#o.metrics?.received(target.ref);
    else {
      logger.warn('invocation record not delivered: the destination function does not exist', { ...fields, destination });
      this.#o.metrics?.destinationDeliveryFailure(event);
    }
  }

  /** An event given up: counted as dropped, and sent to its dead-letter queue or topic if it has one (a DeadLetterError when that fails). */
  async #dropped(event: AsyncEvent, response: AttemptResponse | undefined): Promise<void> {
    const metrics = this.#o.metrics;
    metrics?.dropped(event);
    const deadLetter = await this.#o.deadLetterTarget?.(event, response?.executedVersion).catch(() => undefined);
    if (!deadLetter) return;
    const senders = this.#senders;
    if (!senders) {
      metrics?.deadLetterError(event);
      return;
    }
    await senders.sendDeadLetter(deadLetter, { payload: event.payload, requestId: event.requestId, ...lastError(response) }).catch((e: unknown) => {
      logger.warn('asynchronous invocation not sent to its dead-letter queue', { function: event.name, requestId: event.requestId, deadLetter, error: e instanceof Error ? e.message : String(e) });
      metrics?.deadLetterError(event);
    });
  }

  #describe(event: AsyncEvent, e: unknown): Record<string, unknown> {
    return { function: event.name, requestId: event.requestId, error: isAwsError(e) ? `${e.code}: ${e.message}` : e instanceof Error ? e.message : String(e) };
  }
}

/** The last attempt's status and error message, as the dead-letter message's ErrorCode and ErrorMessage. */
function lastError(response: AttemptResponse | undefined): Pick<DeadLetter, 'errorCode' | 'errorMessage'> {
  if (!response) return {};
  let message: unknown;
  try {
    message = (JSON.parse(response.payload ?? '') as { errorMessage?: unknown }).errorMessage;
  } catch {
    message = undefined;
  }
  const errorMessage = typeof message === 'string' && message !== '' ? message : response.functionError;
  return { errorCode: response.statusCode, ...(errorMessage ? { errorMessage } : {}) };
}
