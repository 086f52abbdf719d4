// The cluster's change feed on PostgreSQL LISTEN/NOTIFY. Each node keeps one connection that
// LISTENs on one channel; a message names its topic and the node that sent it. A store sends its
// messages inside the transaction of the write they describe, so they are delivered exactly when
// the write commits and never for a write that rolled back. The write is answered only once every
// other node has confirmed that its subscribers have acted on the messages, so a client that turns
// to another node finds that node told already. PostgreSQL hands a notification to each listening
// backend separately, and a busy node may read it later than the writer hears its own echo, so
// confirmations are needed: each node names its listening connection
// `stagecraft-feed:<node id>`, the write reads which nodes listen (pg_stat_activity) in its
// transaction, and each of them answers every message with an acknowledgement on the same
// channel. A node that stops answering holds writes up for at most ACK_WAIT_MS, once: writes then
// stop waiting for it until it answers again (a node whose host died leaves its listening
// connection in pg_stat_activity until PostgreSQL's keepalives find it dead). When the listening
// connection drops, the node reconnects and tells every subscriber to resynchronise, since messages
// sent in between are lost.
import pg from 'pg';
import { randomUUID } from 'node:crypto';
import { logger } from '../../core/logger.js';
import type { ChangeFeed } from '../change-feed.js';
import { CONNECT_TIMEOUT_MS, type PgDb, type Sql } from './database.js';

const CHANNEL = 'stagecraft_changes';
/** The listening connection's application_name is this prefix and the node id. */
export const LISTENER_NAME_PREFIX = 'stagecraft-feed:';
const RECONNECT_MS = [100, 500, 1000, 2000, 5000];
/** A write waits at most this long for confirmations (a node that hangs must not stall writes for long). */
const ACK_WAIT_MS = 2000;
/**
 * The listening connection only receives, so a database that went silent without closing it (a
 * network partition, a host that died) would leave the node deaf, serving stale caches, for as
 * long as TCP takes to notice. It asks for a heartbeat this often and reconnects (then
 * resynchronises) when one is not answered in time.
 */
const HEARTBEAT_MS = 5000;
const HEARTBEAT_TIMEOUT_MS = 5000;
/**
 * The listening connection's own TCP settings on the database's side, so PostgreSQL ends it within
 * about 30 s when this node's host dies (by default it keeps a silent peer's backend for hours, and
 * the other nodes would find it among the listeners). tcp_user_timeout covers notifications sent
 * but never acknowledged, the keepalives an idle connection.
 */
const SERVER_SIDE_LIVENESS = 'SET tcp_keepalives_idle = 10; SET tcp_keepalives_interval = 5; SET tcp_keepalives_count = 3; SET tcp_user_timeout = 30000';

interface Message {
  /** Sending node. */
  n: string;
  /** Message id, unique per node. */
  i: number;
  /** Topic. */
  t: string;
  /** Message. */
  m: unknown;
}

interface Ack {
  /** Confirming node. */
  n: string;
  /** The node whose message is confirmed. */
  to: string;
  /** The confirmed message's id. */
  a: number;
}

type Envelope = Message | Ack;

interface Confirmation {
  node: string;
  done: boolean;
  promise: Promise<void>;
}

interface Subscriber {
  topic: string;
  onMessage(message: unknown): void;
  onResync(): void;
}

export class PgChangeFeed implements ChangeFeed {
  readonly nodeId: string;
  readonly #db: PgDb;
  readonly #subscribers = new Set<Subscriber>();
  #client?: pg.Client;
  #closed = false;
  #failures = 0;
  #timer?: NodeJS.Timeout;
  #heartbeat?: NodeJS.Timeout;
  #nextId = 1;
  /** Confirmations awaited, by `<node id>/<message id>` (this node's own echo included). */
  readonly #awaited = new Map<string, () => void>();
  /** Nodes that let a confirmation time out and have not been heard from since: writes do not wait for them. */
  readonly #unresponsive = new Set<string>();

  /** `nodeId`: the node's lasting id (the one /_stagecraft/health shows), so operators can tell which node is unresponsive. */
  constructor(db: PgDb, nodeId: string = randomUUID()) {
    this.#db = db;
    this.nodeId = nodeId;
  }

  /** Connects and listens; resolves once messages from now on will be heard. */
  async start(): Promise<void> {
    const client = new pg.Client({
      connectionString: this.#db.url,
      application_name: LISTENER_NAME_PREFIX + this.nodeId,
      connectionTimeoutMillis: CONNECT_TIMEOUT_MS,
      query_timeout: HEARTBEAT_TIMEOUT_MS,
      keepAlive: true,
    });
    client.on('notification', (n) => this.#deliver(n.payload));
    client.on('error', (e) => this.#lost(client, e));
    client.on('end', () => this.#lost(client));
    try {
      await client.connect();
      await client.query(SERVER_SIDE_LIVENESS);
      await client.query(`LISTEN ${CHANNEL}`);
    } catch (e) {
      await client.end().catch(() => undefined);
      throw e;
    }
    this.#client = client;
    this.#failures = 0;
    this.#beat(client);
  }

  #beat(client: pg.Client): void {
    clearTimeout(this.#heartbeat);
    this.#heartbeat = setTimeout(() => {
      if (this.#client !== client) return;
      client.query('SELECT 1').then(() => this.#beat(client), (e: Error) => this.#lost(client, e));
    }, HEARTBEAT_MS);
    this.#heartbeat.unref();
  }

  /** Whether messages are being heard now (false while reconnecting). */
  get listening(): boolean {
    return this.#client !== undefined;
  }

  /** Nodes writes have stopped waiting for (see #confirmed). */
  get unresponsiveNodes(): string[] {
    return [...this.#unresponsive];
  }

  subscribe(topic: string, onMessage: (message: unknown) => void, onResync: () => void): () => void {
    const s = { topic, onMessage, onResync };
    this.#subscribers.add(s);
    return () => this.#subscribers.delete(s);
  }

  /**
   * Runs `fn` in a transaction of `db`; the messages it sends reach the other nodes when it commits.
   * Resolves once every node listening at that moment has confirmed them (or after a bounded wait).
   */
  async transaction<T>(db: PgDb, fn: (sql: Sql, send: (topic: string, message: unknown) => Promise<void>) => Promise<T>): Promise<T> {
    let confirmations: Confirmation[] = [];
    const keys: string[] = [];
    try {
      const result = await db.tx((sql) => {
        confirmations = []; // a transaction that runs again sends its messages again
        let nodes: string[] | undefined;
        return fn(sql, async (topic, message) => {
          // The nodes listening now hear this message when the transaction commits (a node that starts
          // listening later reads the committed state anyway); this node hears its own echo.
          nodes ??= [this.nodeId, ...(await this.#otherListeners(sql)).filter((n) => !this.#unresponsive.has(n))];
          const id = this.#nextId++;
          for (const node of nodes) {
            const key = `${node}/${id}`;
            keys.push(key);
            const confirmation: Confirmation = { node, done: false, promise: Promise.resolve() };
            confirmation.promise = new Promise<void>((resolve) => this.#awaited.set(key, () => {
              confirmation.done = true;
              resolve();
            }));
            confirmations.push(confirmation);
          }
          const envelope: Message = { n: this.nodeId, i: id, t: topic, m: message };
          await sql.run('SELECT pg_notify(?, ?)', [CHANNEL, JSON.stringify(envelope)]);
        });
      });
      if (confirmations.length) await this.#confirmed(confirmations);
      return result;
    } finally {
      for (const key of keys) this.#awaited.delete(key);
    }
  }

  async #otherListeners(sql: Sql): Promise<string[]> {
    const rows = await sql.all<{ name: string }>(
      'SELECT application_name AS name FROM pg_stat_activity WHERE datname = current_database() AND starts_with(application_name, ?)', [LISTENER_NAME_PREFIX]);
    // A node that reconnected may still be listed with its old connection too: once is enough.
    return [...new Set(rows.map((r) => r.name.slice(LISTENER_NAME_PREFIX.length)))].filter((id) => id !== this.nodeId);
  }

  /** Sends a message that belongs to no write (it reaches the other nodes at once). */
  publish(topic: string, message: unknown): Promise<void> {
    return this.transaction(this.#db, (_sql, send) => send(topic, message));
  }

  async #confirmed(confirmations: Confirmation[]): Promise<void> {
    if (!this.#client) return;
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([Promise.all(confirmations.map((c) => c.promise)), new Promise<void>((resolve) => (timer = setTimeout(resolve, ACK_WAIT_MS)))]);
    clearTimeout(timer);
    for (const c of confirmations) {
      if (c.done || c.node === this.nodeId || this.#unresponsive.has(c.node)) continue;
      this.#unresponsive.add(c.node);
      logger.warn('change feed: a node did not confirm a change in time; it may serve stale data, and writes stop waiting for it until it answers again', { node: c.node, waitedMs: ACK_WAIT_MS });
    }
  }

  async close(): Promise<void> {
    this.#closed = true;
    clearTimeout(this.#timer);
    clearTimeout(this.#heartbeat);
    await this.#client?.end().catch(() => undefined);
  }

  #deliver(payload: string | undefined): void {
    let envelope: Envelope;
    try {
      envelope = JSON.parse(payload ?? '') as Envelope;
    } catch {
      return;
    }
    if (this.#unresponsive.delete(envelope.n)) logger.info('change feed: a node answers again', { node: envelope.n });
    if ('to' in envelope) {
      if (envelope.to === this.nodeId) this.#awaited.get(`${envelope.n}/${envelope.a}`)?.();
      return;
    }
    if (envelope.n === this.nodeId) {
      this.#awaited.get(`${this.nodeId}/${envelope.i}`)?.();
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
    // Subscribers act synchronously, so the change is in effect here once this is sent.
    const ack: Ack = { n: this.nodeId, to: envelope.n, a: envelope.i };
    this.#client?.query('SELECT pg_notify($1, $2)', [CHANNEL, JSON.stringify(ack)]).catch(() => undefined);
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
