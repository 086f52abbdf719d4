// The runtime's answer to the invocation in flight, whichever transport brought it: a response
// (whole, or streamed in parts), an error, or one past AWS's size limits. Each becomes the
// invocation's outcome; the environment (environment.ts) finishes the invocation with it.
import { MAX_RESPONSE_BYTES, MAX_STREAMED_RESPONSE_BYTES, responseTooLargePayload } from './aws-format.js';
import type { Outcome } from './failures.js';
import type { Invocation } from './invocation.js';
import { INVALID_REQUEST_ID, RESPONSE_TOO_LARGE, invocationErrorPayload, type Refusal } from './runtime-api.js';

/** What answers need of their environment. */
export interface AnswerHost {
  /** The invocation in flight if `requestId` is it (delivered, not finished); else undefined. */
  current(requestId: string): Invocation | undefined;
  /** Ends `inv` with `outcome` (the process lives on). */
  finish(inv: Invocation, outcome: Outcome): void;
  /** Stops the runtime. */
  kill(): void;
}

export class InvocationAnswers {
  readonly #host: AnswerHost;

  constructor(host: AnswerHost) {
    this.#host = host;
  }

  /** …/response: the payload, behind what the handler streamed when the caller took no stream. */
  response(requestId: string, body: Buffer, tooLarge: boolean): Refusal | undefined {
    const inv = this.#host.current(requestId);
    if (!inv) return INVALID_REQUEST_ID;
    const payload = answerPayload(inv, body, tooLarge);
    if (!payload) {
      this.#tooLarge(inv, MAX_RESPONSE_BYTES);
      return RESPONSE_TOO_LARGE;
    }
    this.#host.finish(inv, { payload });
    return undefined;
  }

  /**
   * Part of a streaming response. Past 200 MiB the invocation fails as on AWS; the caller has had
   * part of the answer already, so the runtime, which would go on writing, is stopped.
   */
  chunk(requestId: string, body: Buffer, contentType: string | undefined): void {
    const inv = this.#host.current(requestId);
    if (!inv || body.length === 0 || takeChunk(inv, body, contentType)) return;
    this.#tooLarge(inv, MAX_STREAMED_RESPONSE_BYTES);
    this.#host.kill();
  }

  /** …/error */
  error(requestId: string, body: Buffer, errorType: string | undefined): Refusal | undefined {
    const inv = this.#host.current(requestId);
    if (!inv) return INVALID_REQUEST_ID;
    this.#host.finish(inv, { payload: invocationErrorPayload(body, errorType), functionError: 'Unhandled' });
    return undefined;
  }

  #tooLarge(inv: Invocation, limit: number): void {
    this.#host.finish(inv, { payload: responseTooLargePayload(limit), functionError: 'Unhandled', status: 'error', errorType: 'Function.ResponseSizeTooLarge' });
  }
}

/**
 * Part of a streaming response: handed to the caller's stream as it comes, else kept for the
 * payload (past AWS's 6 MB nothing more is kept: the answer will be the size error). False when
 * it takes a streaming caller past AWS's 200 MiB (it is not written).
 */
function takeChunk(inv: Invocation, body: Buffer, contentType: string | undefined): boolean {
  inv.streamedBytes += body.length;
  const sink = inv.req.stream;
  if (sink) {
    if (inv.streamedBytes > MAX_STREAMED_RESPONSE_BYTES) return false;
    sink.write(body, contentType);
  } else if (inv.streamedBytes <= MAX_RESPONSE_BYTES) {
    (inv.streamed ??= []).push(body);
  } else {
    inv.streamed = undefined;
  }
  return true;
}

/** The payload of the runtime's answer `body`, behind what it streamed when the caller took no stream; undefined past AWS's 6 MB. */
function answerPayload(inv: Invocation, body: Buffer, tooLarge: boolean): Buffer | undefined {
  const buffered = inv.streamedBytes > 0 && !inv.req.stream;
  if (tooLarge || (buffered && inv.streamedBytes + body.length > MAX_RESPONSE_BYTES)) return undefined;
  return buffered ? Buffer.concat([...(inv.streamed ?? []), body]) : body;
}
