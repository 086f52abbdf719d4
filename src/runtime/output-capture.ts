// Turning a process's output into log lines. Whatever a function prints (binary garbage, huge
// lines, half lines) must never break the platform: lines are bounded and decoding never throws.

/** One log event is at most 256 KB on AWS; longer lines are cut. */
export const MAX_LINE_BYTES = 256 * 1024;
const NEWLINE = 0x0a;

/** Bounds on what one invocation may keep (a function printing forever must not eat the platform's memory). */
export const MAX_LINES_PER_INVOCATION = 10_000;
export const MAX_BYTES_PER_INVOCATION = 10 * 1024 * 1024;

/** The log lines of one invocation (or init phase), with a cap; past it, one marker line. */
export class LogBuffer {
  readonly lines: string[] = [];
  #bytes = 0;
  #full = false;

  push(line: string): void {
    if (this.#full) return;
    this.#bytes += line.length;
    if (this.lines.length >= MAX_LINES_PER_INVOCATION || this.#bytes > MAX_BYTES_PER_INVOCATION) {
      this.#full = true;
      this.lines.push('[stagecraft] log output truncated: too much output in one invocation\n');
      return;
    }
    this.lines.push(line);
  }

  get length(): number {
    return this.lines.length;
  }
}

/**
 * Splits a byte stream into lines. A complete line keeps its newline (`\r\n` becomes `\n`), as AWS
 * stores it; a half line flushed at the end has none, as it was written.
 */
export class LineSplitter {
  #partial: Buffer[] = [];
  #partialSize = 0;

  /** Feeds a chunk; returns the lines it completed. */
  push(chunk: Buffer): string[] {
    const lines: string[] = [];
    let start = 0;
    for (let nl = chunk.indexOf(NEWLINE); nl !== -1; nl = chunk.indexOf(NEWLINE, start)) {
      this.#append(chunk.subarray(start, nl));
      lines.push(this.#take() + '\n');
      start = nl + 1;
    }
    if (start < chunk.length) this.#append(chunk.subarray(start));
    return lines;
  }

  /** The pending half line, if any. */
  flush(): string | undefined {
    return this.#partialSize > 0 || this.#partial.length > 0 ? this.#take() : undefined;
  }

  #append(part: Buffer): void {
    const room = MAX_LINE_BYTES - this.#partialSize;
    if (room <= 0 || part.length === 0) {
      if (this.#partial.length === 0) this.#partial.push(Buffer.alloc(0));
      return;
    }
    const kept = part.length > room ? part.subarray(0, room) : part;
    // Copy: the chunk's memory is reused by the stream.
    this.#partial.push(Buffer.from(kept));
    this.#partialSize += kept.length;
  }

  #take(): string {
    const text = this.#partial.length === 1 ? this.#partial[0].toString('utf8') : Buffer.concat(this.#partial).toString('utf8');
    this.#partial = [];
    this.#partialSize = 0;
    return text.endsWith('\r') ? text.slice(0, -1) : text;
  }
}
