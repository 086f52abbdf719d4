// Test support for data-plane fuzzing: one raw request over its own socket, and the first answer
// read off it — finished when its framing says so (Content-Length, the last chunk, a 101), or when
// the server closes; a server that does neither within the time bound is a hang.
import { connect } from 'node:net';

export interface RawAnswer {
  /** undefined when the server closed the connection without answering. */
  status?: number;
  headers: Record<string, string[]>;
  body: Buffer;
  hung: boolean;
  ms: number;
}

export function exchange(port: number, bytes: Buffer, options: { timeoutMs: number; closeEarly?: boolean; head?: boolean }): Promise<RawAnswer> {
  const started = Date.now();
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let settled = false;
    const socket = connect(port, '127.0.0.1');
    const finish = (hung: boolean) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      socket.destroy();
      resolve({ ...parse(Buffer.concat(chunks), options.head ?? false).answer, hung, ms: Date.now() - started });
    };
    const timer = setTimeout(() => finish(true), options.timeoutMs);
    socket.on('connect', () => {
      socket.write(bytes, () => {
        if (options.closeEarly) finish(false);
      });
    });
    socket.on('data', (d: Buffer) => {
      chunks.push(d);
      if (parse(Buffer.concat(chunks), options.head ?? false).complete) finish(false);
    });
    socket.on('error', () => finish(false)); // a reset is a close
    socket.on('close', () => finish(false));
  });
}

function parse(raw: Buffer, head: boolean): { answer: Omit<RawAnswer, 'hung' | 'ms'>; complete: boolean } {
  const end = raw.indexOf('\r\n\r\n');
  if (end < 0) return { answer: { headers: {}, body: Buffer.alloc(0) }, complete: false };
  const lines = raw.subarray(0, end).toString('latin1').split('\r\n');
  const status = Number(/^HTTP\/1\.[01] (\d{3})/.exec(lines[0])?.[1]);
  const headers: Record<string, string[]> = {};
  for (const line of lines.slice(1)) {
    const colon = line.indexOf(':');
    (headers[line.slice(0, colon).trim().toLowerCase()] ??= []).push(line.slice(colon + 1).trim());
  }
  const rest = raw.subarray(end + 4);
  const answer = { status: Number.isNaN(status) ? undefined : status, headers, body: rest };
  if (head || status === 101 || status === 204 || status === 304) return { answer: { ...answer, body: Buffer.alloc(0) }, complete: true };
  const length = headers['content-length']?.[0];
  if (length !== undefined) return { answer: { ...answer, body: rest.subarray(0, Number(length)) }, complete: rest.length >= Number(length) };
  if (headers['transfer-encoding']?.[0]?.toLowerCase() === 'chunked') {
    const body = dechunk(rest);
    return { answer: { ...answer, body: body ?? rest }, complete: body !== undefined };
  }
  return { answer, complete: false };
}

/** The chunked body, or undefined while the last chunk has not arrived. */
function dechunk(raw: Buffer): Buffer | undefined {
  const out: Buffer[] = [];
  let i = 0;
  for (;;) {
    const eol = raw.indexOf('\r\n', i);
    if (eol < 0) return undefined;
    const size = parseInt(raw.subarray(i, eol).toString('latin1'), 16);
    if (Number.isNaN(size)) return Buffer.concat(out);
    if (size === 0) return Buffer.concat(out);
    if (raw.length < eol + 2 + size + 2) return undefined;
    out.push(raw.subarray(eol + 2, eol + 2 + size));
    i = eol + 2 + size + 2;
  }
}
