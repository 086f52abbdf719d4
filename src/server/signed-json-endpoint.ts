// A platform endpoint `stagecraft deploy` talks to with JSON: its body read (bounded) and, when the
// server has access keys configured, its signature checked like any AWS call's.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { readBody } from '../aws/body.js';
import type { SigV4Verifier } from '../aws/sigv4-verify.js';

export type JsonAnswer = (status: number, body: unknown) => void;

export function jsonAnswer(res: ServerResponse): JsonAnswer {
  return (status, body) => {
    const text = JSON.stringify(body);
    res.writeHead(status, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(text) }).end(text);
  };
}

/** The request's body (empty unless POST), or undefined once the request was answered (too large, badly signed). */
export async function verifiedBody(req: IncomingMessage, verifier: SigV4Verifier | undefined, maxBytes: number, answer: JsonAnswer): Promise<Buffer | undefined> {
  let raw: Buffer;
  try {
    raw = req.method === 'POST' ? await readBody(req, maxBytes) : (req.resume(), Buffer.alloc(0));
  } catch {
    answer(413, { message: `the body is at most ${maxBytes / 1024} KiB` });
    return undefined;
  }
  if (verifier) {
    const outcome = await verifier.verify({ method: req.method ?? 'GET', rawUrl: req.url ?? '/', headers: req.headers, body: raw });
    if ('kind' in outcome) {
      answer(403, { message: outcome.message });
      return undefined;
    }
  }
  return raw;
}
