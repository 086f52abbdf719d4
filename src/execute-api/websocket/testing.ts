// Test support for WebSocket APIs: a real `ws` client on an API's endpoint (the host form with its
// Host header, or the /restapis/… path form), whose messages and close can be awaited; and a
// collector that functions post their events to, so tests see exactly what reached Lambda.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocket } from 'ws';
import { SignatureV4 } from '@smithy/signature-v4';
import { Sha256 } from '@aws-crypto/sha256-js';

export interface TestSocket {
  ws: WebSocket;
  /** The next message not yet taken (rejects after `timeoutMs`). */
  next(timeoutMs?: number): Promise<string>;
  /** Resolves with the close code and reason. */
  closed: Promise<{ code: number; reason: string }>;
}

/** Where a client connects: the stage on the API's execute-api host, the path form, or a custom domain's Host (`stage` is then the API mapping's key). */
export function webSocketUrl(baseUrl: string, apiId: string, stage: string, options: { pathStyle?: boolean; query?: string; domain?: string } = {}): { url: string; host?: string } {
  const base = new URL(baseUrl);
  const query = options.query ? `?${options.query}` : '';
  if (options.domain) return { url: `ws://${base.host}/${stage}${query}`, host: `${options.domain}:${base.port}` };
  if (options.pathStyle) return { url: `ws://${base.host}/restapis/${apiId}/${stage}/_user_request_${query}` };
  return { url: `ws://${base.host}/${stage}${query}`, host: `${apiId}.execute-api.localhost:${base.port}` };
}

/** The headers that SigV4-sign a handshake on the stage's execute-api host (service execute-api), as an AWS_IAM $connect route wants. */
export async function signedHandshakeHeaders(baseUrl: string, apiId: string, stage: string, credentials: { accessKeyId: string; secretAccessKey: string }): Promise<Record<string, string>> {
  const host = `${apiId}.execute-api.localhost:${new URL(baseUrl).port}`;
  const signer = new SignatureV4({ credentials, region: 'us-east-1', service: 'execute-api', sha256: Sha256 });
  const { headers } = await signer.sign({ method: 'GET', protocol: 'http:', hostname: host, path: `/${stage}`, query: {}, headers: { host } });
  const { host: _signedHost, ...rest } = headers as Record<string, string>;
  return rest;
}

/**
 * The query of a handshake URL presigned with AWS's signer (service execute-api, signed header host),
 * as clients that cannot set handshake headers (browsers) connect to an AWS_IAM $connect route.
 */
export async function presignedHandshakeQuery(
  baseUrl: string, apiId: string, stage: string, credentials: { accessKeyId: string; secretAccessKey: string; sessionToken?: string },
  options: { expiresIn?: number; signingDate?: Date; query?: Record<string, string> } = {},
): Promise<string> {
  const host = `${apiId}.execute-api.localhost:${new URL(baseUrl).port}`;
  const signer = new SignatureV4({ credentials, region: 'us-east-1', service: 'execute-api', sha256: Sha256 });
  const presigned = await signer.presign(
    { method: 'GET', protocol: 'wss:', hostname: host, path: `/${stage}`, query: options.query ?? {}, headers: { host } },
    { expiresIn: options.expiresIn ?? 60, signingDate: options.signingDate },
  );
  return new URLSearchParams(presigned.query as Record<string, string>).toString();
}

/** Connects; rejects with the HTTP status when the handshake is refused. */
export function openWebSocket(baseUrl: string, apiId: string, stage: string, options: { pathStyle?: boolean; query?: string; domain?: string; headers?: Record<string, string>; protocols?: string[] } = {}): Promise<TestSocket> {
  const { url, host } = webSocketUrl(baseUrl, apiId, stage, options);
  const ws = new WebSocket(url, options.protocols ?? [], { headers: { ...(host ? { Host: host } : {}), ...options.headers } });
  const queue: string[] = [];
  const waiters: ((m: string) => void)[] = [];
  ws.on('message', (data) => {
    const text = (data as Buffer).toString('utf8');
    const waiter = waiters.shift();
    if (waiter) waiter(text);
    else queue.push(text);
  });
  const closed = new Promise<{ code: number; reason: string }>((ok) => ws.on('close', (code, reason) => ok({ code, reason: reason.toString() })));
  const next = (timeoutMs = 10_000) => {
    const queued = queue.shift();
    if (queued !== undefined) return Promise.resolve(queued);
    return new Promise<string>((ok, fail) => {
      const timer = setTimeout(() => fail(new Error('no message arrived')), timeoutMs);
      waiters.push((m) => {
        clearTimeout(timer);
        ok(m);
      });
    });
  };
  return new Promise((ok, fail) => {
    ws.once('open', () => ok({ ws, next, closed }));
    ws.once('unexpected-response', (_req, res) => {
      let body = '';
      res.on('data', (c: Buffer) => (body += c.toString()));
      res.on('end', () => fail(Object.assign(new Error(`handshake refused: ${res.statusCode}`), { status: res.statusCode, body })));
    });
    ws.once('error', fail);
  });
}

/** An HTTP server functions POST JSON to (`fetch(process.env.COLLECTOR, …)`); tests wait for what matches. */
export class EventCollector {
  readonly #server: Server;
  readonly #seen: Record<string, any>[] = [];
  readonly #waiters: { match: (e: Record<string, any>) => boolean; ok: (e: Record<string, any>) => void }[] = [];

  private constructor(server: Server) {
    this.#server = server;
  }

  static async start(): Promise<EventCollector> {
    let collector: EventCollector | undefined;
    const server = createServer((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString()));
      req.on('end', () => {
        res.end();
        collector!.#add(JSON.parse(body));
      });
    });
    collector = new EventCollector(server);
    await new Promise<void>((ok) => server.listen(0, '127.0.0.1', () => ok()));
    return collector;
  }

  get url(): string {
    return `http://127.0.0.1:${(this.#server.address() as AddressInfo).port}/`;
  }

  /** The first event (already seen or still to come) that `match` accepts. */
  wait(match: (e: Record<string, any>) => boolean, timeoutMs = 10_000): Promise<Record<string, any>> {
    const seen = this.#seen.find(match);
    if (seen) return Promise.resolve(seen);
    return new Promise((ok, fail) => {
      const timer = setTimeout(() => fail(new Error('no such event arrived')), timeoutMs);
      this.#waiters.push({ match, ok: (e) => { clearTimeout(timer); ok(e); } });
    });
  }

  close(): Promise<void> {
    return new Promise((ok) => this.#server.close(() => ok()));
  }

  #add(event: Record<string, any>): void {
    this.#seen.push(event);
    for (const w of [...this.#waiters]) {
      if (!w.match(event)) continue;
      this.#waiters.splice(this.#waiters.indexOf(w), 1);
      w.ok(event);
    }
  }
}
