// One client's WebSocket connection to a stage of a WebSocket API, held by the node it connected to:
// what its events repeat, when it was last active, its idle and lifetime timers (AWS: 10 minutes
// idle, 2 hours at most), and sending as API Gateway sends — text when the data is UTF-8, in frames
// of at most 32 KB. The registry finds connections by id for the @connections API.
import { isUtf8 } from 'node:buffer';
import type { WebSocket } from 'ws';
import type { ConnectionFacts } from './events.js';

/** AWS's WebSocket frame size quota: longer messages go out in several frames. */
export const MAX_FRAME_BYTES = 32 * 1024;

/** Why the server closed a connection (the $disconnect event's code and reason). */
export interface ServerClose {
  code: number;
  reason: string;
}

export class Connection {
  readonly facts: ConnectionFacts;
  readonly socket: WebSocket;
  /** The Host header the client connected with ($disconnect's Host header). */
  readonly host: string;
  lastActiveAt: number;
  /** Set when the server closes the connection (idle, lifetime, DeleteConnection, shutdown). */
  serverClose?: ServerClose;
  readonly #timers: NodeJS.Timeout[];

  constructor(facts: ConnectionFacts, socket: WebSocket, host: string, limits: { idleMs: number; maxMs: number }) {
    this.facts = facts;
    this.socket = socket;
    this.host = host;
    this.lastActiveAt = facts.connectedAt;
    this.#timers = [
      setTimeout(() => this.close({ code: 1001, reason: 'Going away' }), limits.idleMs).unref(),
      setTimeout(() => this.close({ code: 1001, reason: 'Going away' }), limits.maxMs).unref(),
    ];
  }

  get open(): boolean {
    return this.socket.readyState === this.socket.OPEN;
  }

  /** The client did something: the idle timer starts again. */
  touch(now: number): void {
    this.lastActiveAt = now;
    this.#timers[0].refresh();
  }

  send(data: Buffer | string): void {
    const bytes = typeof data === 'string' ? Buffer.from(data) : data;
    const binary = typeof data !== 'string' && !isUtf8(bytes);
    if (bytes.length <= MAX_FRAME_BYTES) return this.socket.send(bytes, { binary });
    for (let at = 0; at < bytes.length; at += MAX_FRAME_BYTES) {
      this.socket.send(bytes.subarray(at, at + MAX_FRAME_BYTES), { binary, fin: at + MAX_FRAME_BYTES >= bytes.length });
    }
  }

  close(why: ServerClose): void {
    this.serverClose ??= why;
    this.socket.close(why.code, why.reason);
    // A client that does not answer the close frame is cut off.
    setTimeout(() => this.socket.terminate(), 2000).unref();
  }

  stopTimers(): void {
    for (const t of this.#timers) clearTimeout(t);
  }
}
