// InvokeWithResponseStream: the answer is AWS's event stream — a PayloadChunk for each part the
// function writes to its response stream, sent as it writes it, then InvokeComplete (with
// ErrorCode and ErrorDetails when the function failed, and LogResult for LogType Tail). Errors
// found before the function runs (no such function, throttling, bad payload) are ordinary AWS
// errors; once the stream has begun, a failure can only end it with InvokeComplete.
import type { InvokeInput, InvokeOutcome, InvokeStream, Invoker } from './invoke.js';
import { logger } from '../core/logger.js';

type StreamEvent = Record<string, unknown>;

export interface StreamedInvokeOutput {
  StatusCode: number;
  ExecutedVersion?: string;
  EventStream?: AsyncIterable<StreamEvent>;
}

export async function invokeWithResponseStream(invoker: Invoker, input: InvokeInput): Promise<StreamedInvokeOutput> {
  if (input.invocationType === 'DryRun') {
    await invoker.invoke(input);
    return { StatusCode: 204 };
  }
  const events = new PayloadEvents();
  const running = invoker.invoke({ ...input, invocationType: 'RequestResponse', stream: events });
  // Whatever comes first: the first chunk, the end, or an error to answer as such.
  await Promise.race([running, events.started]);
  running.then(
    (outcome) => events.end(closingEvents(outcome)),
    (e: unknown) => {
      logger.warn('InvokeWithResponseStream: the invocation failed after its stream began', { error: e instanceof Error ? e.message : String(e) });
      events.end([{ InvokeComplete: { ErrorCode: 'ServiceException', ErrorDetails: 'The invocation failed.' } }]);
    },
  );
  return { StatusCode: 200, ExecutedVersion: events.executedVersion, EventStream: events };
}

/** What follows the streamed chunks: a plain handler's result, then InvokeComplete. */
function closingEvents(outcome: InvokeOutcome): StreamEvent[] {
  if (outcome.functionError) {
    const error = functionErrorOf(outcome.payload);
    return [{ InvokeComplete: { ErrorCode: error.type, ErrorDetails: error.message, LogResult: outcome.logResult } }];
  }
  const events: StreamEvent[] = [];
  if (outcome.payload?.length) events.push({ PayloadChunk: { Payload: outcome.payload } });
  events.push({ InvokeComplete: { LogResult: outcome.logResult } });
  return events;
}

/** The events of one invocation as an async iterable, fed by the environment as chunks arrive. */
class PayloadEvents implements InvokeStream, AsyncIterable<StreamEvent> {
  executedVersion: string | undefined;
  readonly started: Promise<void>;
  #markStarted!: () => void;
  readonly #queue: StreamEvent[] = [];
  #ended = false;
  #wake: (() => void) | undefined;

  constructor() {
    this.started = new Promise((resolve) => (this.#markStarted = resolve));
  }

  begin(executedVersion: string): void {
    this.executedVersion = executedVersion;
  }

  write(chunk: Buffer): void {
    this.#push({ PayloadChunk: { Payload: chunk } });
    this.#markStarted();
  }

  end(events: StreamEvent[]): void {
    for (const e of events) this.#push(e);
    this.#ended = true;
    this.#wake?.();
  }

  #push(event: StreamEvent): void {
    if (this.#ended) return;
    this.#queue.push(event);
    this.#wake?.();
  }

  async *[Symbol.asyncIterator](): AsyncIterator<StreamEvent> {
    for (;;) {
      while (this.#queue.length) yield this.#queue.shift()!;
      if (this.#ended) return;
      await new Promise<void>((resolve) => (this.#wake = resolve));
      this.#wake = undefined;
    }
  }
}

/** A function error's type and message from its error payload ({errorType, errorMessage}). */
function functionErrorOf(payload: Buffer | undefined): { type: string; message: string } {
  try {
    const e = JSON.parse(payload?.toString('utf8') ?? '') as { errorType?: unknown; errorMessage?: unknown };
    return { type: typeof e.errorType === 'string' ? e.errorType : 'Unhandled', message: typeof e.errorMessage === 'string' ? e.errorMessage : payload?.toString('utf8') ?? '' };
  } catch {
    return { type: 'Unhandled', message: payload?.toString('utf8') ?? '' };
  }
}
