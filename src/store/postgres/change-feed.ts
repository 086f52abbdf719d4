// The cluster's change feed on PostgreSQL LISTEN/NOTIFY. Each node keeps one connection that
// LISTENs on one channel; a message names its topic and the node that sent it. A store sends its
// messages inside the transaction of the write they describe, so they are delivered exactly when
// the write commits and never for a write that rolled back; the write then waits until its own
// messages come back to this node's listener (they reach every node's listener at the same moment),
// so a client that is answered and turns to another node finds that node told already. When the
// listening connection drops, the node reconnects and tells every subscriber to resynchronise,
// since messages sent in between are lost.
import pg from 'pg';
import { randomUUID } from 'node:crypto';
import { logger } from '../../core/logger.js';
import type { ChangeFeed } from '../change-feed.js';
import type { PgDb, Sql } from './database.js';

const CHANNEL = 'stagecraft_changes';
const RECONNECT_MS = [100, 500, 1000, 2000, 5000];
/** A write waits at most this long for its messages to come back (a lost listener must not stall writes). */
const ECHO_WAIT_MS = 2000;

interface Envelope {
  /** Sending node. */
  n: string;
  /** Message id, unique per node. */
  i: number;
  /** Topic. */
  t: string;
  /** Message. */
  m: unknown;
}

interface Subscriber {
  topic: string;
  onMessage(message: unknown): void;
  onResync(): void;
}

export class PgChangeFeed implements ChangeFeed {
  readonly nodeId = randomUUID();
  readonly #db: PgDb;
  readonly #subscribers = new Set<Subscriber>();
  #client?: pg.Client;
  #closed = false;
  #failures = 0;
  #timer?: NodeJS.Timeout;
  #nextId = 1;
  /** This node's messages on their way back to its listener, by id. */
  readonly #echoes = new Map<number, () => void>();

  constructor(db: PgDb) {
    this.#db = db;
  }

  /** Connects and listens; resolves once messages from now on will be heard. */
  async start(): Promise<void> {
    const client = new pg.Client({ connectionString: this.#db.url });
    client.on('notification', (n) => this.#deliver(n.payload));
    client.on('error', (e) => this.#lost(client, e));
    client.on('end', () => this.#lost(client));
    try {
      await client.connect();
      await client.query(`LISTEN ${CHANNEL}`);
    } catch (e) {
      await client.end().catch(() => undefined);
      throw e;
    }
    this.#client = client;
    this.#failures = 0;
  }

  /** Whether messages are being heard now (false while reconnecting). */
  get listening(): boolean {
    return this.#client !== undefined;
  }

  subscribe(topic: string, onMessage: (message: unknown) => void, onResync: () => void): () => void {
    const s = { topic, onMessage, onResync };
    this.#subscribers.add(s);
    return () => this.#subscribers.delete(s);
  }

  /**
   * Runs `fn` in a transaction of `db`; the messages it sends reach the other nodes when it commits.
   * Resolves once they have come back to this node's listener (or after a bounded wait).
   */
  async transaction<T>(db: PgDb, fn: (sql: Sql, send: (topic: string, message: unknown) => Promise<void>) => Promise<T>): Promise<T> {
    let sent: Promise<void>[] = [];
    const ids: number[] = [];
    try {
      const result = await db.tx((sql) => {
        sent = []; // a transaction that runs again sends its messages again
        return fn(sql, async (topic, message) => {
          const id = this.#nextId++;
          ids.push(id);
          sent.push(new Promise<void>((resolve) => this.#echoes.set(id, resolve)));
          const envelope: Envelope = { n: this.nodeId, i: id, t: topic, m: message };
          await sql.run('SELECT pg_notify(?, ?)', [CHANNEL, JSON.stringify(envelope)]);
        });
      });
      if (sent.length) await this.#echoed(sent);
      return result;
    } finally {
      for (const id of ids) this.#echoes.delete(id);
    }
  }

  /** Sends a message that belongs to no write (it reaches the other nodes at once). */
  publish(topic: string, message: unknown): Promise<void> {
    return this.transaction(this.#db, (_sql, send) => send(topic, message));
  }

  async #echoed(sent: Promise<void>[]): Promise<void> {
    if (!this.#client) return;
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([Promise.all(sent), new Promise<void>((resolve) => (timer = setTimeout(resolve, ECHO_WAIT_MS)))]);
    clearTimeout(timer);
  }

  async close(): Promise<void> {
    this.#closed = true;
    clearTimeout(this.#timer);
    await this.#client?.end().catch(() => undefined);
  }

  #deliver(payload: string | undefined): void {
    let envelope: Envelope;
    try {
      envelope = JSON.parse(payload ?? '') as Envelope;
    } catch {
      return;
    }
    if (envelope.n === this.nodeId) {
      this.#echoes.get(envelope.i)?.();
      return;
    }
    for (const s of this.#subscribers) {
      if (s.topic !== envelope.t) continue;
      try {
        s.onMessage(envelope.m);
      } catch (e) {
        logger.error('change feed subscriber failed', { topic: s.topic, error: e instanceof Error ? e.stack : String(e) });
      }
    }
  }

  #lost(client: pg.Client, e?: Error): void {
    if (this.#client !== client || this.#closed) return;
    this.#client = undefined;
    client.end().catch(() => undefined);
    logger.warn('change feed connection lost; reconnecting', { error: e?.message });
    this.#reconnect();
  }

  #reconnect(): void {
    const delay = RECONNECT_MS[Math.min(this.#failures++, RECONNECT_MS.length - 1)];
    this.#timer = setTimeout(() => {
      this.start().then(() => {
        for (const s of this.#subscribers) s.onResync();
      }, () => {
        if (!this.#closed) this.#reconnect();
      });
    }, delay);
    this.#timer.unref();
  }
}
