// The cluster's change feed on PostgreSQL LISTEN/NOTIFY. Each node keeps one connection that
// LISTENs on one channel; a message names its topic and the node that sent it (nodes ignore their
// own). A store sends its messages inside the transaction of the write they describe, so they are
// delivered exactly when the write commits and never for a write that rolled back. When the
// listening connection drops, the node reconnects and tells every subscriber to resynchronise,
// since messages sent in between are lost.
import pg from 'pg';
import { randomUUID } from 'node:crypto';
import { logger } from '../../core/logger.js';
import type { ChangeFeed } from '../change-feed.js';
import type { PgDb, Sql } from './database.js';

const CHANNEL = 'stagecraft_changes';
const RECONNECT_MS = [100, 500, 1000, 2000, 5000];

interface Envelope {
  /** Sending node. */
  n: string;
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

  constructor(db: PgDb) {
    this.#db = db;
  }

  /** Connects and listens; resolves once messages from now on will be heard. */
  async start(): Promise<void> {
    const client = new pg.Client({ connectionString: this.#db.url });
    client.on('notification', (n) => this.#deliver(n.payload));
    client.on('error', (e) => this.#lost(client, e));
    client.on('end', () => this.#lost(client));
    await client.connect();
    await client.query(`LISTEN ${CHANNEL}`);
    this.#client = client;
    this.#failures = 0;
  }

  subscribe(topic: string, onMessage: (message: unknown) => void, onResync: () => void): () => void {
    const s = { topic, onMessage, onResync };
    this.#subscribers.add(s);
    return () => this.#subscribers.delete(s);
  }

  /** Queues the message in the transaction `sql` belongs to: the other nodes get it when it commits. */
  async notifyIn(sql: Sql, topic: string, message: unknown): Promise<void> {
    const envelope: Envelope = { n: this.nodeId, t: topic, m: message };
    await sql.run('SELECT pg_notify(?, ?)', [CHANNEL, JSON.stringify(envelope)]);
  }

  /** Sends a message that belongs to no transaction, on a pooled connection. */
  publish(topic: string, message: unknown): Promise<void> {
    return this.notifyIn(this.#db, topic, message);
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
    if (envelope.n === this.nodeId) return;
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
