// The platform's end of the private channel (format in channel.ts) to one environment's runtime:
// frames from the runtime become Runtime API requests, log records and memory reports for the
// environment; invocations and a cell's specialisation go the other way.
import type { ChildProcess } from 'node:child_process';
import type { Readable, Writable } from 'node:stream';
import { MAX_RESPONSE_BYTES } from './aws-format.js';
import { CHANNEL_IN_FD, CHANNEL_OUT_FD, ChannelProtocolError, FrameParser, encodeFrame, type Frame } from './channel.js';
import { MAX_LINE_BYTES } from './output-capture.js';
import type { InvocationHeaders, Poll, RuntimeApiRequests } from './runtime-api.js';

/** How long after its input channel closed a runtime still counts as exiting on its own rather than broken. */
const LOST_CHANNEL_GRACE_MS = 200;
/** The bootstraps send stdout and stderr writes in frames of at most this size. */
const MAX_OUTPUT_FRAME_BYTES = 64 * 1024;

/** What the environment does with what arrives on the channel. */
export interface ChannelPeer extends RuntimeApiRequests {
  /** A log record: one log line, newlines and all. */
  log(line: string): void;
  /** The runtime begins this invocation sent ahead next (said with the answer before it, or by itself). */
  beginsNext(requestId: string): void;
  /** An invocation sent ahead was withdrawn (withdraw()) before it began. */
  withdrawn(requestId: string): void;
  /** What the runtime wrote to its stdout (1) or stderr (2). */
  output(stream: 1 | 2, bytes: Buffer): void;
  /** Part of a streaming response, as the handler wrote it (`contentType`: the stream's, once set). */
  chunk(requestId: string, body: Buffer, contentType: string | undefined): void;
  /** A pre-started cell finished its generic start and waits to be specialised. */
  cellReady(): void;
  /** The runtime's own peak RSS (bytes), sent with each answer. */
  reportedRss(value: unknown): void;
  /** Bytes the runtime's stdout and stderr streams had written when it answered (absent: unknown). */
  reportedStdio(value: unknown): void;
  /** Something that is not our bootstrap wrote on the channel: the function broke its own runtime. */
  broken(message: string): void;
}

export class RuntimeChannel {
  /** Platform → runtime (the runtime's CHANNEL_IN_FD). */
  readonly #toRuntime: Writable;
  readonly #peer: ChannelPeer;
  #watching = false;
  #closed = false;
  /** The runtime's output end closed: the process is gone. */
  #outEnded = false;
  #lost: NodeJS.Timeout | undefined;
  readonly #frames = new FrameParser((type) => (type === 'R' ? MAX_RESPONSE_BYTES : type === 'L' ? MAX_LINE_BYTES : type === 'O' ? MAX_OUTPUT_FRAME_BYTES : 1024 * 1024));
  /** Every 'N' frame waits the same way: the invocation goes out as a 'V' frame. */
  readonly #poll: Poll = {
    deliver: (h, payload) => {
      const meta = { id: h.requestId, deadline: h.deadlineMs, arn: h.invokedFunctionArn, trace: h.traceId, cc: h.clientContext };
      this.#write(encodeFrame('V', meta, payload));
    },
    refuse: () => {},
  };

  /** Over the runtime process's pipes on CHANNEL_IN_FD and CHANNEL_OUT_FD. */
  constructor(stdio: ChildProcess['stdio'], peer: ChannelPeer) {
    this.#toRuntime = stdio[CHANNEL_IN_FD] as Writable;
    this.#peer = peer;
    this.#toRuntime.on('error', () => {});
    const fromRuntime = stdio[CHANNEL_OUT_FD] as Readable;
    fromRuntime.on('data', (c: Buffer) => this.#receive(c));
    fromRuntime.once('end', () => (this.#outEnded = true));
  }

  /** Sends an invocation ahead: the runtime starts it once it answers the one it runs, its deadline counted from then. */
  sendAhead(h: InvocationHeaders, timeoutMs: number, payload: Buffer): void {
    const meta = { id: h.requestId, timeout: timeoutMs, arn: h.invokedFunctionArn, trace: h.traceId, cc: h.clientContext };
    this.#write(encodeFrame('V', meta, payload));
  }

  /** Asks the runtime to give back an invocation sent ahead; it answers 'K' unless the invocation has started. */
  withdraw(requestId: string): void {
    this.#write(encodeFrame('W', { id: requestId }));
  }

  /** Hands a ready cell its function's variables; it then loads the handler and asks for its invocation. */
  specialise(env: Record<string, string>): void {
    this.#write(encodeFrame('S', { env }));
  }

  close(): void {
    this.#closed = true;
    this.#toRuntime.destroy();
  }

  #write(parts: Buffer[]): void {
    if (!this.#watching) this.#watchInput();
    this.#toRuntime.write(parts.length === 1 ? parts[0] : Buffer.concat(parts));
  }

  /**
   * A runtime that reads its invocations here and closes its end (a function closing fd 3) would
   * wait forever for the next one: once the platform has written to it, the end of that stream
   * (or a failed write) means the runtime is broken. A process that merely exits closes its
   * output end too, and its exit is reported as what it is.
   */
  #watchInput(): void {
    this.#watching = true;
    const lost = (): void => {
      if (this.#lost) return;
      this.#lost = setTimeout(() => {
        if (!this.#closed && !this.#outEnded) this.#peer.broken('the runtime closed its end of the channel (fd 3)');
      }, LOST_CHANNEL_GRACE_MS);
      this.#lost.unref();
    };
    this.#toRuntime.on('end', lost).on('error', lost);
    // Anything the runtime writes to this fd is not for the platform: read and dropped.
    (this.#toRuntime as unknown as Readable).resume();
  }

  #receive(chunk: Buffer): void {
    let frames: Frame[];
    try {
      frames = this.#frames.push(chunk);
    } catch (e) {
      if (!(e instanceof ChannelProtocolError)) throw e;
      this.#peer.broken(`runtime channel protocol error: ${e.message}`);
      return;
    }
    const peer = this.#peer;
    for (const f of frames) {
      const id = typeof f.meta.id === 'string' ? f.meta.id : '';
      const type = typeof f.meta.type === 'string' ? f.meta.type : undefined;
      switch (f.type) {
        case 'L':
          peer.log(f.truncated ? '[stagecraft] log record too long, dropped' : f.body.toString('utf8'));
          break;
        case 'O':
          if (f.truncated) peer.log('[stagecraft] output frame too long, dropped');
          else peer.output(f.meta.s === 2 ? 2 : 1, f.body);
          break;
        case 'K':
          peer.withdrawn(id);
          break;
        case 'C':
          peer.chunk(id, f.body, typeof f.meta.ct === 'string' ? f.meta.ct : undefined);
          break;
        case 'N':
          if (f.meta.cell === true) peer.cellReady();
          else peer.next(this.#poll);
          break;
        case 'R':
          peer.reportedRss(f.meta.rss);
          peer.reportedStdio(f.meta.stdio);
          peer.response(id, f.body, f.truncated);
          if (typeof f.meta.nx === 'string') peer.beginsNext(f.meta.nx);
          break;
        case 'E':
          peer.reportedRss(f.meta.rss);
          peer.reportedStdio(f.meta.stdio);
          peer.error(id, f.body, type);
          if (typeof f.meta.nx === 'string') peer.beginsNext(f.meta.nx);
          break;
        case 'B':
          peer.beginsNext(id);
          break;
        case 'I':
          peer.initError(f.body, type);
          break;
        default:
          break;
      }
    }
  }
}
