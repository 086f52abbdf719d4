// The private channel between the platform and our own bootstraps: the Runtime API's messages
// (next, invoke, response, error, init error) plus log records, as frames on two inherited fds:
//   fd 3  platform → runtime   V (invocation; sent ahead while another runs: {timeout} instead of {deadline})
//                              S (specialise a pre-started cell: {env})
//                              W (withdraw an invocation sent ahead unless it has started: {id})
//   fd 4  runtime → platform   N (next; {cell:true}: a cell is ready to be specialised)
//                              C (part of a streaming response as the handler writes it: {id, ct}, ct
//                              the stream's content type), at most 1 MiB each
//                              R (response) E (error), both with {rss}: the runtime's peak RSS in bytes,
//                              and {stdio}: bytes its stdout and stderr streams have written so far
//                              R and E also say which invocation sent ahead the runtime begins next: {nx}
//                              B (begins an invocation sent ahead that no answer announced: {id})
//                              K (an invocation sent ahead was withdrawn before it began: {id})
//                              I (init error) L (log record)
//                              O (what the runtime wrote to stdout or stderr, {s: 1 | 2}; at most 64 KiB each)
// A socketpair round trip costs a tenth of an HTTP request on loopback, and because log records,
// output and responses travel on one ordered stream, every line lands in the invocation that wrote
// it — which is what lets the platform send an invocation ahead while another runs (environment.ts).
// Other runtimes (custom ones, AWS's own clients) use the HTTP Runtime API instead.
//
// Frame: TYPE ' ' LENGTH ' ' META-JSON '\n' BODY   (TYPE one ASCII letter, BODY LENGTH bytes)
// The bootstraps carry their own copy of this encoding: they may import nothing from here.

export const CHANNEL_IN_FD = 3;
export const CHANNEL_OUT_FD = 4;

export type FrameType = 'V' | 'S' | 'W' | 'N' | 'C' | 'R' | 'E' | 'I' | 'L' | 'O' | 'B' | 'K';

export interface Frame {
  type: FrameType;
  meta: Record<string, unknown>;
  body: Buffer;
  /** The body was longer than the parser keeps (it was skipped, not stored). */
  truncated: boolean;
}

const MAX_HEADER_BYTES = 64 * 1024;
const MAX_FRAME_BYTES = 64 * 1024 * 1024;
const NEWLINE = 0x0a;
const TYPES = new Set<string>(['V', 'N', 'C', 'R', 'E', 'I', 'L', 'O', 'B', 'K']);

export function encodeFrame(type: FrameType, meta: Record<string, unknown>, body?: Buffer): Buffer[] {
  const length = body ? body.length : 0;
  const header = Buffer.from(`${type} ${length} ${JSON.stringify(meta)}\n`, 'utf8');
  return body && length > 0 ? [header, body] : [header];
}

export class ChannelProtocolError extends Error {}

/**
 * Streaming frame parser. Bodies longer than `keepLimit(type)` are consumed without being kept.
 * Throws ChannelProtocolError on anything that is not a frame (the writer is then not our bootstrap).
 */
export class FrameParser {
  readonly #keepLimit: (type: FrameType) => number;
  #header: Buffer[] = [];
  #headerSize = 0;
  #current: { type: FrameType; meta: Record<string, unknown>; length: number; keep: boolean; parts: Buffer[]; received: number } | undefined;

  constructor(keepLimit: (type: FrameType) => number) {
    this.#keepLimit = keepLimit;
  }

  push(chunk: Buffer): Frame[] {
    const frames: Frame[] = [];
    let pos = 0;
    while (pos < chunk.length) {
      const cur = this.#current;
      if (cur) {
        const take = Math.min(cur.length - cur.received, chunk.length - pos);
        if (cur.keep) cur.parts.push(Buffer.from(chunk.subarray(pos, pos + take)));
        cur.received += take;
        pos += take;
        if (cur.received === cur.length) frames.push(this.#complete());
        continue;
      }
      const nl = chunk.indexOf(NEWLINE, pos);
      const end = nl === -1 ? chunk.length : nl;
      this.#headerSize += end - pos;
      if (this.#headerSize > MAX_HEADER_BYTES) throw new ChannelProtocolError('frame header too long');
      this.#header.push(chunk.subarray(pos, end));
      pos = end;
      if (nl === -1) break;
      pos = nl + 1;
      this.#startFrame(Buffer.concat(this.#header).toString('utf8'));
      this.#header = [];
      this.#headerSize = 0;
      if (this.#current!.length === 0) frames.push(this.#complete());
    }
    return frames;
  }

  #startFrame(header: string): void {
    const s1 = header.indexOf(' ');
    const s2 = header.indexOf(' ', s1 + 1);
    const type = header.slice(0, s1);
    const length = Number(header.slice(s1 + 1, s2));
    if (s1 !== 1 || s2 === -1 || !TYPES.has(type) || !Number.isSafeInteger(length) || length < 0 || length > MAX_FRAME_BYTES) {
      throw new ChannelProtocolError('malformed frame header');
    }
    let meta: unknown;
    try {
      meta = JSON.parse(header.slice(s2 + 1));
    } catch {
      throw new ChannelProtocolError('malformed frame metadata');
    }
    if (!meta || typeof meta !== 'object') throw new ChannelProtocolError('malformed frame metadata');
    const t = type as FrameType;
    this.#current = { type: t, meta: meta as Record<string, unknown>, length, keep: length <= this.#keepLimit(t), parts: [], received: 0 };
  }

  #complete(): Frame {
    const cur = this.#current!;
    this.#current = undefined;
    const body = cur.parts.length === 1 ? cur.parts[0] : Buffer.concat(cur.parts);
    return { type: cur.type, meta: cur.meta, body: cur.keep ? body : Buffer.alloc(0), truncated: !cur.keep };
  }
}
