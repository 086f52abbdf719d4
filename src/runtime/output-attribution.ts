// Which invocation a line of an environment's output belongs to. Lines arriving while an invocation
// runs are its own; output of the init phase comes before START on the first invocation; output
// between invocations goes to the next one (on AWS the process is frozen then, so that is where it
// would show up). Lines come from stdout and stderr, and from our bootstraps as log records.
import { LineSplitter, LogBuffer } from './output-capture.js';

export class OutputAttribution {
  readonly #stdout = new LineSplitter();
  readonly #stderr = new LineSplitter();
  readonly #running: () => LogBuffer | undefined;
  readonly #starting: () => boolean;
  readonly #textFormat: () => boolean;
  #init = new LogBuffer();
  #between = new LogBuffer();
  /** Counts arrivals, so that quiet() can tell when the pipes have gone quiet. */
  #seq = 0;
  /** Bytes read from stdout and stderr so far. */
  #received = 0;

  /**
   * @param running the lines of the invocation in flight, if any
   * @param starting whether the environment is still in its init phase
   * @param textFormat whether the function logs in the text format (a record then ends in a newline)
   */
  constructor(running: () => LogBuffer | undefined, starting: () => boolean, textFormat: () => boolean = () => true) {
    this.#running = running;
    this.#starting = starting;
    this.#textFormat = textFormat;
  }

  stdout(chunk: Buffer): void {
    this.#received += chunk.length;
    this.push(this.#stdout.push(chunk));
  }

  stderr(chunk: Buffer): void {
    this.#received += chunk.length;
    this.push(this.#stderr.push(chunk));
  }

  /** What the runtime wrote to stdout (1) or stderr (2), sent on the private channel, in order with its answers. */
  written(stream: 1 | 2, chunk: Buffer): void {
    this.push((stream === 2 ? this.#stderr : this.#stdout).push(chunk));
  }

  push(lines: string[]): void {
    this.#seq++;
    if (lines.length === 0) return;
    const bucket = this.#bucket();
    for (const line of lines) bucket.push(line);
  }

  /**
   * One log record (newlines and all) or platform message. In the text format AWS stores it with a
   * trailing newline, as the runtime wrote it; a JSON record is one JSON object without one.
   */
  record(line: string): void {
    this.#seq++;
    this.#bucket().push(this.#textFormat() ? line + '\n' : line);
  }

  /** Ends the half lines left in the pipes (the invocation is ending or the process is gone). */
  flushPartialLines(): void {
    const rest = [this.#stdout.flush(), this.#stderr.flush()].filter((l): l is string => l !== undefined);
    if (rest.length > 0) this.push(rest);
  }

  /**
   * Waits until the output written before a response is in. When the runtime said how many bytes
   * its stdout and stderr streams had written and all of them are here, there is nothing to wait
   * for; otherwise (not said, or not all here yet) the pipes are given turns of the event loop
   * until they go quiet. (Output of child processes or native code is not in the count: like any
   * output that races an answer, it lands where it arrives.)
   */
  async arrived(reportedBytes: number | undefined): Promise<void> {
    if (reportedBytes !== undefined && this.#received >= reportedBytes) return;
    await this.quiet();
  }

  /** Waits until the process's pipes are quiet, so output written before a response is in. */
  async quiet(): Promise<void> {
    let seen = -1;
    for (let i = 0; i < 8 && seen !== this.#seq; i++) {
      seen = this.#seq;
      await new Promise<void>((resolve) => setImmediate(resolve));
    }
  }

  /** The output since the last invocation, for the one beginning now; undefined when there was none. */
  takeBetween(): LogBuffer | undefined {
    if (this.#between.length === 0) return undefined;
    const lines = this.#between;
    this.#between = new LogBuffer();
    return lines;
  }

  /** The init phase's output (reported once, with the first invocation). */
  takeInit(): readonly string[] {
    const lines = this.#init.lines;
    this.#init = new LogBuffer();
    return lines;
  }

  #bucket(): LogBuffer {
    return this.#running() ?? (this.#starting() ? this.#init : this.#between);
  }
}
