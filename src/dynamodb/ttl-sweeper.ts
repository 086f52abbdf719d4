// Time to live: every interval, the items of tables with TTL enabled whose TTL attribute (a Number,
// epoch seconds) lies in the past are deleted, as AWS's background process does (AWS leaves alone
// values more than five years in the past). Each deletion is a compare-and-set on the item as read,
// so an item written again meanwhile stays; in a cluster every node sweeps, and a deletion another
// node made first simply finds nothing to do.
import type { DynamoDbStore } from '../store/dynamodb-store.js';
import type { Item } from './attribute-value.js';
import { definitionOf } from './table-definition.js';
import { logger } from '../core/logger.js';

const BATCH = 200;
const FIVE_YEARS_MS = 5 * 365 * 24 * 3600 * 1000;

export class TtlSweeper {
  readonly #store: DynamoDbStore;
  readonly #now: () => number;
  #timer: NodeJS.Timeout | undefined;
  #running: Promise<unknown> | undefined;

  constructor(store: DynamoDbStore, now: () => number = Date.now) {
    this.#store = store;
    this.#now = now;
  }

  start(intervalMs: number): void {
    this.#timer = setInterval(() => {
      this.#running ??= this.sweep().catch((e: unknown) => logger.error('dynamodb ttl sweep failed', { error: e instanceof Error ? e.stack : String(e) }))
        .finally(() => { this.#running = undefined; });
    }, intervalMs);
    this.#timer.unref();
  }

  async close(): Promise<void> {
    clearInterval(this.#timer);
    await this.#running;
  }

  /** One pass over every table with TTL enabled; answers how many items it deleted. */
  async sweep(): Promise<number> {
    let deleted = 0;
    for (const table of await this.#store.allTables()) {
      const ttl = definitionOf(table).ttl;
      if (!ttl?.enabled) continue;
      const now = this.#now();
      let cursor: { pk: string; sk: string } | undefined;
      for (;;) {
        const rows = await this.#store.scan(table.tableId, cursor, BATCH);
        for (const row of rows) {
          const value = (JSON.parse(row.json) as Item)[ttl.attributeName];
          const expiresMs = value && 'N' in value ? Number(value.N) * 1000 : NaN;
          if (!(expiresMs <= now && expiresMs > now - FIVE_YEARS_MS)) continue;
          if (await this.#store.commit([{ tableId: table.tableId, pk: row.pk, sk: row.sk, expectedVersion: row.version }])) deleted++;
        }
        if (rows.length < BATCH) break;
        cursor = rows[rows.length - 1];
      }
    }
    return deleted;
  }
}
