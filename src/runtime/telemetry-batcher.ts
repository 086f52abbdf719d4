// One Telemetry API subscription's buffer: events wait until maxItems or maxBytes is reached or
// timeoutMs has passed since the first one waiting, then go out as one JSON array in one POST.
// One POST at a time per subscriber, in order; a batch the listener did not take (refused, down)
// is dropped, never retried, so a dead listener costs nothing but its buffer's timer.

/** A Telemetry API event (schema 2022-12-13): when, which type, and its record. */
export interface TelemetryEvent {
  time: string;
  type: string;
  record: unknown;
}

export interface BufferingLimits {
  maxItems: number;
  maxBytes: number;
  timeoutMs: number;
}

/** Sends one batch (a JSON array); resolves when the listener answered or the POST failed. */
export type BatchSender = (body: string) => Promise<void>;

export class TelemetryBatcher {
  readonly #limits: BufferingLimits;
  readonly #send: BatchSender;
  /** Serialised events waiting, oldest first. */
  #items: string[] = [];
  /** Their size as one JSON array. */
  #bytes = 2;
  #timer: NodeJS.Timeout | undefined;
  #sending = false;
  /** A flush was due while a POST was out: it goes next. */
  #due = false;

  constructor(limits: BufferingLimits, send: BatchSender) {
    this.#limits = limits;
    this.#send = send;
  }

  add(event: TelemetryEvent): void {
    const text = JSON.stringify(event);
    this.#items.push(text);
    this.#bytes += Buffer.byteLength(text) + 1;
    if (this.#items.length >= this.#limits.maxItems || this.#waitingBytes() >= this.#limits.maxBytes) this.flush();
    else this.#timer ??= setTimeout(() => this.flush(), this.#limits.timeoutMs);
  }

  /** Sends what is buffered now, at most maxItems and maxBytes a batch (after the POST in flight, if any). */
  flush(): void {
    clearTimeout(this.#timer);
    this.#timer = undefined;
    if (this.#items.length === 0) return;
    if (this.#sending) {
      this.#due = true;
      return;
    }
    const batch = this.#takeBatch();
    this.#sending = true;
    void this.#send(`[${batch.join(',')}]`).finally(() => {
      this.#sending = false;
      const full = this.#items.length >= this.#limits.maxItems || this.#waitingBytes() >= this.#limits.maxBytes;
      if (this.#due || full) {
        this.#due = false;
        this.flush();
      } else if (this.#items.length > 0) {
        this.#timer ??= setTimeout(() => this.flush(), this.#limits.timeoutMs);
      }
    });
  }

  /** The environment is gone: nothing more is sent. */
  close(): void {
    clearTimeout(this.#timer);
    this.#timer = undefined;
    this.#items = [];
    this.#bytes = 2;
    this.#due = false;
  }

  /** The oldest events that fit one batch (always at least one: a single event over maxBytes goes alone). */
  #takeBatch(): string[] {
    let bytes = 2;
    let n = 0;
    while (n < this.#items.length && n < this.#limits.maxItems) {
      const size = Buffer.byteLength(this.#items[n]) + 1;
      if (n > 0 && bytes + size > this.#limits.maxBytes) break;
      bytes += size;
      n++;
    }
    this.#bytes -= bytes - 2;
    return this.#items.splice(0, n);
  }

  #waitingBytes(): number {
    return this.#bytes;
  }
}
