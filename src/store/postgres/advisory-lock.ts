// The API Gateway per-API write lock across a cluster: a PostgreSQL advisory lock per key, held by
// a transaction on a connection of its own pool for as long as the locked work runs (the work's
// own queries use the main pool, so lock holders can never take every connection the work needs).
// Within a node, calls for one key first queue on an in-process mutex, so a node holds at most one
// connection per key.
import { KeyedMutex, type KeyedLock } from '../../apigateway/locks.js';
import { PgDb, connectionLost } from './database.js';

/** Keeps PostgreSQL's 64-bit lock space apart from other users of advisory locks in the same database. */
const NAMESPACE = 'stagecraft:';
const LOCK_WAIT_TIMEOUT_MS = 120_000;

export class PgAdvisoryLock implements KeyedLock {
  readonly #local = new KeyedMutex();
  readonly #db: PgDb;

  /** `url`: the cluster's database; `max`: how many keys this node may hold at once. */
  constructor(url: string, max = 8) {
    // Waiting for the lock lasts as long as another node's locked work: longer than any one query.
    this.#db = new PgDb(url, { max, queryTimeoutMs: LOCK_WAIT_TIMEOUT_MS });
  }

  run<T>(key: string, fn: () => Promise<T>): Promise<T> {
    return this.#local.run(key, async () => {
      // Taking the lock may be tried again (a lost connection, a deadlock); the locked work, which
      // writes through the main pool, runs at most once.
      let started = false;
      let done: { value: T } | undefined;
      try {
        return await this.#db.tx(async (sql) => {
          await sql.run('SELECT pg_advisory_xact_lock(hashtextextended(?, 0))', [NAMESPACE + key]);
          started = true;
          done = { value: await fn() };
          return done.value;
        }, { mayRunAgain: () => !started });
      } catch (e) {
        // The lock's transaction writes nothing: once the work is done, losing its connection loses nothing.
        if (done && connectionLost(e)) return done.value;
        throw e;
      }
    });
  }

  close(): Promise<void> {
    return this.#db.close();
  }
}
