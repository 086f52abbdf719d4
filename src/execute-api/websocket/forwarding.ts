// Sends an @connections call on to the cluster node that holds the connection, and relays its
// answer. The request goes as the client sent it — method, path, headers (Host and any SigV4
// Authorization included, so the holder verifies the same signature) and body — marked so that the
// holder never sends it on again. Nodes reach each other over plain HTTP with kept-alive sockets.
import { Agent, request, type IncomingHttpHeaders, type IncomingMessage, type OutgoingHttpHeaders, type ServerResponse } from 'node:http';
import { Agent as TlsAgent, request as requestTls } from 'node:https';

/** Marks a call another node sent on: its receiver answers it itself (a connection it does not hold is gone). */
export const FORWARDED_HEADER = 'x-stagecraft-forwarded-by';

/** How long a node that does not answer is waited for before its connections count as gone. */
const DEFAULT_TIMEOUT_MS = 5000;

/** Headers of one hop (RFC 9110 §7.6.1): never passed on (a forwarded call's Content-Length is its buffered body's). */
const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'proxy-connection', 'te', 'trailer', 'transfer-encoding', 'upgrade']);

export interface ForwardedCall {
  /** The call as the client sent it (method, path and query, headers). */
  req: IncomingMessage;
  body: Buffer;
  /** Where the holder listens for the other nodes (its advertised URL). */
  nodeUrl: string;
  /** This node's id, for the marker header. */
  from: string;
}

export class NodeForwarder {
  readonly #agent = new Agent({ keepAlive: true });
  readonly #tlsAgent = new TlsAgent({ keepAlive: true });
  readonly #timeoutMs: number;

  constructor(options: { timeoutMs?: number } = {}) {
    this.#timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  }

  /**
   * Sends the call on and relays the holder's answer to `res` (true), or finds the holder
   * unreachable — refused, reset or silent for the timeout — before it answered (false; nothing written).
   */
  async forward(call: ForwardedCall, res: ServerResponse): Promise<boolean> {
    const first = await this.#send(call, res);
    if (first !== 'stale-socket') return first === 'relayed';
    // A kept-alive socket the holder had closed in the meantime: one more try, on a new socket.
    return (await this.#send(call, res)) === 'relayed';
  }

  close(): void {
    this.#agent.destroy();
    this.#tlsAgent.destroy();
  }

  #send(call: ForwardedCall, res: ServerResponse): Promise<'relayed' | 'unreachable' | 'stale-socket'> {
    // The advertised URL may carry a path (a node behind a proxy): the call's path goes after it.
    const target = new URL(call.nodeUrl.replace(/\/+$/, '') + (call.req.url ?? '/'));
    const headers: OutgoingHttpHeaders = { ...passable(call.req.headers), [FORWARDED_HEADER]: call.from, 'content-length': call.body.length };
    const tls = target.protocol === 'https:';
    return new Promise((resolve) => {
      let answered = false;
      const out = (tls ? requestTls : request)(target, { method: call.req.method, headers, agent: tls ? this.#tlsAgent : this.#agent, timeout: this.#timeoutMs });
      out.on('timeout', () => out.destroy(new Error(`no answer within ${this.#timeoutMs} ms`)));
      out.on('error', (e: NodeJS.ErrnoException) => {
        if (answered) return res.destroy(e);
        resolve(out.reusedSocket && e.code === 'ECONNRESET' ? 'stale-socket' : 'unreachable');
      });
      out.on('response', (answer) => {
        answered = true;
        res.writeHead(answer.statusCode ?? 502, passable(answer.headers));
        answer.pipe(res);
        res.on('close', () => resolve('relayed'));
        answer.on('error', (e) => {
          res.destroy(e);
          resolve('relayed');
        });
      });
      out.end(call.body);
    });
  }
}

function passable(headers: IncomingHttpHeaders): OutgoingHttpHeaders {
  const kept: OutgoingHttpHeaders = {};
  for (const [name, value] of Object.entries(headers)) if (value !== undefined && !HOP_BY_HOP.has(name)) kept[name] = value;
  return kept;
}
