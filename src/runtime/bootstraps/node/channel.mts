// The private channel to the platform (format in src/runtime/channel.ts; this directory keeps its
// own copy and may import nothing from there). Frames on two fds the platform hands over:
//   _STAGECRAFT_OUT_FD  runtime -> platform: N (next) R (response) E (error) I (init error) L (log)
//                       O (what the process wrote to stdout or stderr: {s: 1 | 2})
//                       B (begins an invocation sent ahead: {id}) K (one was withdrawn before it began: {id})
//   _STAGECRAFT_IN_FD   platform -> runtime: V (invocation) S (specialise a pre-started cell)
//                       W (withdraw an invocation sent ahead, if it has not started: {id})
// Frame: TYPE ' ' LENGTH ' ' META-JSON '\n' BODY. Frames out are written synchronously, each answer
// with the next request in the same write and the process's peak RSS for REPORT's Max Memory Used.
import * as fs from 'node:fs';
import * as net from 'node:net';
import { toRapidError } from './errors.mjs';
import type { Invocation, RuntimeClient } from './invoke-loop.mjs';

/** Reads and removes an fd variable (the function must not see it). */
function takeFd(name: string): number | undefined {
  const raw = process.env[name];
  delete process.env[name];
  const fd = raw === undefined ? NaN : Number(raw);
  return Number.isInteger(fd) && fd > 2 ? fd : undefined;
}

/** Runtime → platform: answers, log records, next requests. */
export const outFd = takeFd('_STAGECRAFT_OUT_FD');
/** Platform → runtime: invocations and specialisation (only when invocations use the channel). */
export const inFd = takeFd('_STAGECRAFT_IN_FD');

const encodeFrame = (type: string, meta: Record<string, unknown>, body?: Buffer): Buffer[] => {
  const header = Buffer.from(`${type} ${body ? body.length : 0} ${JSON.stringify(meta)}\n`, 'utf8');
  return body && body.length > 0 ? [header, body] : [header];
};
const NEXT_FRAME = Buffer.from('N 0 {}\n');
/** A large write to a response stream goes out in frames of at most this size. */
const MAX_CHUNK_FRAME_BYTES = 1024 * 1024;

/** Writes frames to the platform in one write, synchronously (nothing is lost if the process exits next). */
export function writeFrame(type: string, meta: Record<string, unknown>, body?: Buffer, alsoNext = false): void {
  const parts = encodeFrame(type, meta, body);
  if (alsoNext) parts.push(NEXT_FRAME);
  const frame = parts.length === 1 ? parts[0] : Buffer.concat(parts);
  let offset = 0;
  while (offset < frame.length) {
    try {
      offset += fs.writeSync(outFd!, frame, offset);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EAGAIN') throw e;
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 1);
    }
  }
}

/** A large write to stdout or stderr goes out in frames of at most this size. */
const MAX_OUTPUT_FRAME_BYTES = 64 * 1024;

/**
 * process.stdout and process.stderr write through the channel ('O' frames) when invocations travel
 * on it: their output then reaches the platform in order with the answers, so every byte lands in
 * the invocation that wrote it, also when the platform has sent the next invocation ahead. (Child
 * processes, and writes to fds 1 and 2 themselves, still go to the pipes.)
 */
export function routeStdioThroughChannel(): void {
  for (const [stream, fd] of [[process.stdout, 1], [process.stderr, 2]] as const) {
    const pipeWrite = stream.write.bind(stream) as (chunk: unknown, encoding?: unknown, cb?: unknown) => boolean;
    stream.write = function write(chunk: unknown, encoding?: unknown, cb?: unknown): boolean {
      const callback = typeof encoding === 'function' ? encoding : cb;
      let bytes: Buffer;
      if (typeof chunk === 'string') bytes = Buffer.from(chunk, typeof encoding === 'string' ? (encoding as BufferEncoding) : 'utf8');
      else if (chunk instanceof Uint8Array) bytes = Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
      else return pipeWrite(chunk, encoding, cb); // (let the stream raise its own type error)
      try {
        for (let at = 0; at < bytes.length; at += MAX_OUTPUT_FRAME_BYTES) writeFrame('O', { s: fd }, bytes.subarray(at, at + MAX_OUTPUT_FRAME_BYTES));
      } catch {
        // The channel is gone (the platform is shutting down): the pipe is all there is.
        return pipeWrite(bytes, callback);
      }
      if (typeof callback === 'function') process.nextTick(callback as () => void);
      return true;
    } as typeof stream.write;
  }
}

/** Answers within this long of the last getrusage call may send its figure again, if their invocation was short. */
const RSS_REUSE_MS = 10;
/** An invocation that ran this long or longer always reads the figure afresh. */
const RSS_SHORT_INVOCATION_MS = 1;
let rssReadAt = -Infinity;
/** When the loop took the invocation now running (performance.now()). */
let invocationStartedAt = 0;
let lastPeakRss = 0;

/**
 * This process's peak resident memory in bytes, for REPORT's Max Memory Used: one getrusage call,
 * a system call that profiling put at a tenth of a quick invocation's CPU. A burst of sub-millisecond
 * invocations reuses a figure up to 10 ms old (they cannot grow the process by much in that time;
 * the next fresh read reports what they did); anything that ran for a millisecond reads it afresh.
 */
function peakRss(invocationStartedAt: number): number {
  const now = performance.now();
  if (now - rssReadAt >= RSS_REUSE_MS || now - invocationStartedAt >= RSS_SHORT_INVOCATION_MS) {
    lastPeakRss = process.resourceUsage().maxRSS * 1024;
    rssReadAt = now;
  }
  return lastPeakRss;
}

/**
 * Bytes written so far through process.stdout and process.stderr (answers go out after both have
 * drained), so the platform knows when all of it has arrived; undefined when a stream can't say.
 */
function stdioWritten(): number | undefined {
  const out = (process.stdout as { bytesWritten?: unknown }).bytesWritten;
  const err = (process.stderr as { bytesWritten?: unknown }).bytesWritten;
  return typeof out === 'number' && typeof err === 'number' ? out + err : undefined;
}

/**
 * An invocation the platform sent ahead (while another ran) carries its timeout: its deadline
 * counts from the moment it starts, as the platform's timer does.
 */
function started(inv: QueuedInvocation): Invocation {
  invocationStartedAt = performance.now();
  if (inv.timeoutMs !== undefined) inv.deadlineMs = Date.now() + inv.timeoutMs;
  return inv;
}

const sentAhead = (inv: QueuedInvocation): boolean => inv.timeoutMs !== undefined;

type QueuedInvocation = Invocation & { timeoutMs?: number };

/** The Runtime API over the channel: invocations arrive as 'V' frames on inFd; everything else goes out on outFd. */
export class ChannelRuntimeClient implements RuntimeClient {
  readonly #in: net.Socket;
  #parts: Buffer[] = [];
  #size = 0;
  #frame: { type: string; length: number; meta: Record<string, unknown> } | undefined;
  #waiting: ((inv: Invocation) => void) | undefined;
  /**
   * Invocations that arrived before the loop asked: sent ahead by the platform while another ran.
   * The runtime says which of them it begins, so the platform's view never differs from its own:
   * with the answer before it ({nx: id}, taken from the queue as the answer goes out) or, when one
   * arrived after that answer, with a 'B' frame; until then the platform may withdraw it ('W').
   */
  readonly #queued: QueuedInvocation[] = [];
  /** The invocation sent ahead that the last answer said begins next. */
  #beginsNext: QueuedInvocation | undefined;

  /** 'N' already went out with the last response (one write, one wake-up of the platform). */
  #nextSent = false;
  #onSpecialise: ((meta: Record<string, unknown>) => void) | undefined;

  constructor(fd: number) {
    this.#in = new net.Socket({ fd, readable: true, writable: false });
    this.#in.on('data', (chunk: Buffer) => this.#receive(chunk));
    // The platform went away: nothing more will come.
    this.#in.on('close', () => process.exit(0));
    this.#in.on('error', () => process.exit(0));
    // Only a pending next() may keep the process alive (an empty event loop ends invocations).
    this.#in.unref();
  }

  /** A cell: tells the platform it is ready, then waits for the specialise frame's metadata. */
  awaitSpecialise(): Promise<Record<string, unknown>> {
    return new Promise((resolve) => {
      this.#onSpecialise = resolve;
      this.#in.ref();
      writeFrame('N', { cell: true });
    });
  }

  next(): Promise<Invocation> {
    const sendNext = !this.#nextSent;
    this.#nextSent = false;
    const announced = this.#beginsNext;
    this.#beginsNext = undefined;
    if (announced) return Promise.resolve(started(announced));
    const queued = this.#queued.shift();
    if (queued) return Promise.resolve(this.#begin(queued));
    return new Promise((resolve) => {
      this.#waiting = resolve;
      this.#in.ref();
      if (sendNext) writeFrame('N', {});
    });
  }

  // The loop always asks for the next invocation right after answering one, so the answer carries
  // the 'N' frame with it.
  async response(requestId: string, body: string | Buffer): Promise<void> {
    writeFrame('R', this.#answerMeta({ id: requestId }), typeof body === 'string' ? Buffer.from(body, 'utf8') : body, true);
    this.#nextSent = true;
  }

  async error(requestId: string, error: unknown, final = false): Promise<void> {
    const body = toRapidError(error);
    const meta = { id: requestId, type: body.errorType };
    // A runtime about to exit asks for nothing more: the next invocation must not be sent to it.
    if (final) writeFrame('E', { ...meta, rss: peakRss(invocationStartedAt), stdio: stdioWritten() }, Buffer.from(JSON.stringify(body), 'utf8'));
    else writeFrame('E', this.#answerMeta(meta), Buffer.from(JSON.stringify(body), 'utf8'), true);
    this.#nextSent = !final;
  }

  /** What every answer says besides its id: memory, output written, and the invocation sent ahead that begins next. */
  #answerMeta(meta: Record<string, unknown>): Record<string, unknown> {
    meta.rss = peakRss(invocationStartedAt);
    meta.stdio = stdioWritten();
    this.#beginsNext ??= this.#queued.shift();
    if (this.#beginsNext) meta.nx = this.#beginsNext.requestId;
    return meta;
  }

  /** Begins an invocation sent ahead that no answer announced: the platform hears of it first. */
  #begin(inv: QueuedInvocation): Invocation {
    if (sentAhead(inv)) writeFrame('B', { id: inv.requestId });
    return started(inv);
  }

  async initError(error: unknown): Promise<void> {
    const body = toRapidError(error);
    writeFrame('I', { type: body.errorType }, Buffer.from(JSON.stringify(body), 'utf8'));
  }

  streamChunk(requestId: string, chunk: Buffer, contentType: string | undefined): void {
    for (let at = 0; at < chunk.length; at += MAX_CHUNK_FRAME_BYTES) {
      writeFrame('C', { id: requestId, ct: contentType }, chunk.subarray(at, at + MAX_CHUNK_FRAME_BYTES));
    }
  }

  #receive(chunk: Buffer): void {
    this.#parts.push(chunk);
    this.#size += chunk.length;
    for (;;) {
      let buf = this.#parts.length === 1 ? this.#parts[0] : Buffer.concat(this.#parts);
      this.#parts = [buf];
      if (!this.#frame) {
        const nl = buf.indexOf(0x0a);
        if (nl === -1) return;
        const header = buf.subarray(0, nl).toString('utf8');
        const s1 = header.indexOf(' ');
        const s2 = header.indexOf(' ', s1 + 1);
        this.#frame = { type: header.slice(0, s1), length: Number(header.slice(s1 + 1, s2)), meta: JSON.parse(header.slice(s2 + 1)) };
        buf = buf.subarray(nl + 1);
        this.#parts = [buf];
        this.#size = buf.length;
      }
      const { type, length, meta } = this.#frame;
      if (this.#size < length) return;
      const body = buf.subarray(0, length);
      const rest = buf.subarray(length);
      this.#parts = rest.length > 0 ? [rest] : [];
      this.#size = rest.length;
      this.#frame = undefined;
      if (type === 'W') {
        // The platform takes back an invocation it sent ahead, unless it has started.
        const at = this.#queued.findIndex((q) => q.requestId === meta.id);
        if (at !== -1) {
          this.#queued.splice(at, 1);
          writeFrame('K', { id: meta.id });
        }
        if (this.#parts.length === 0) return;
        continue;
      }
      if (type === 'S') {
        const specialise = this.#onSpecialise;
        this.#onSpecialise = undefined;
        this.#in.unref();
        specialise?.(meta);
        if (this.#parts.length === 0) return;
        continue;
      }
      const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);
      const inv: QueuedInvocation = {
        requestId: String(meta.id),
        deadlineMs: Number(meta.deadline),
        timeoutMs: typeof meta.timeout === 'number' ? meta.timeout : undefined,
        invokedFunctionArn: str(meta.arn) ?? '',
        traceId: str(meta.trace),
        clientContext: str(meta.cc),
        cognitoIdentity: str(meta.identity),
        body,
      };
      const waiting = this.#waiting;
      this.#waiting = undefined;
      this.#in.unref();
      if (waiting) waiting(this.#begin(inv));
      else this.#queued.push(inv);
      if (this.#parts.length === 0) return;
    }
  }
}
