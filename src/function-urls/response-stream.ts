// A RESPONSE_STREAM function URL's answer as the function writes it. A handler that used
// awslambda.HttpResponseStream.from starts its stream with a prelude (status, headers, cookies);
// once the prelude has arrived the head is sent, and every byte after it goes to the client as it
// comes (chunked). A stream without a prelude is a 200 application/octet-stream.
import type { InvokeOutcome, InvokeStream } from '../lambda/invoke.js';
import { HTTP_INTEGRATION_RESPONSE, plainStreamAnswer, preludeAnswer, streamedAnswer, type UrlAnswer } from './response.js';

export interface StreamTarget {
  /** Sends the status and headers (no Content-Length); false when they could not be sent. */
  open(head: UrlAnswer): boolean;
  write(bytes: Buffer): void;
  end(): void;
  /** Cuts the answer short: the function failed after part of it was sent. */
  abort(): void;
}

export class UrlResponseStream implements InvokeStream {
  readonly #target: StreamTarget;
  /** What arrived before the head could be decided. */
  #held: Buffer[] = [];
  /** waiting: no head yet; open: streaming; invalid: the prelude is no HTTP response; done: nothing more goes out. */
  #state: 'waiting' | 'open' | 'invalid' | 'done' = 'waiting';

  constructor(target: StreamTarget) {
    this.#target = target;
  }

  /** Whether the head has gone out (the answer is the stream's from then on). */
  get opened(): boolean {
    return this.#state === 'open' || this.#state === 'done';
  }

  write(chunk: Buffer, contentType: string | undefined): void {
    if (this.#state === 'open') return this.#target.write(chunk);
    if (this.#state !== 'waiting') return;
    this.#held.push(chunk);
    const bytes = this.#held.length === 1 ? chunk : Buffer.concat(this.#held);
    let answer: UrlAnswer | undefined | 'incomplete' | 'no-prelude' = 'no-prelude';
    if (contentType === HTTP_INTEGRATION_RESPONSE) answer = preludeAnswer(bytes);
    if (answer === 'incomplete') {
      this.#held = [bytes];
      return;
    }
    this.#held = [];
    if (answer === 'no-prelude') answer = plainStreamAnswer(bytes);
    if (!answer) {
      this.#state = 'invalid';
      return;
    }
    if (!this.#target.open({ ...answer, body: Buffer.alloc(0) })) {
      this.#state = 'done';
      return;
    }
    this.#state = 'open';
    if (answer.body.length) this.#target.write(answer.body);
  }

  /**
   * The invocation is over. Before the head went out, the answer is decided from everything the
   * function wrote and returned (undefined: AWS's 502); after, the stream is ended, or cut short
   * when the function failed.
   */
  finish(outcome: InvokeOutcome): UrlAnswer | undefined | 'sent' {
    if (this.#state === 'waiting') {
      if (outcome.functionError) return undefined;
      return streamedAnswer(Buffer.concat([...this.#held, outcome.payload ?? Buffer.alloc(0)]));
    }
    if (this.#state === 'invalid') return undefined;
    if (this.#state === 'open') {
      this.#state = 'done';
      if (outcome.functionError) this.#target.abort();
      else {
        if (outcome.payload?.length) this.#target.write(outcome.payload);
        this.#target.end();
      }
    }
    return 'sent';
  }
}
