// HttpApiStore on PostgreSQL: the statements of src/store/rows/httpapi.ts. A write tells this
// node's listeners once committed and the other nodes through the change feed, in the
// transaction that makes it, so every node's data-plane cache drops the API it changed.
import type { PgDb, Sql } from './database.js';
import type { PgChangeFeed } from './change-feed.js';
import type { ApiScope } from '../apigateway-store.js';
import type { HttpApiItemKind, HttpApiItemPut, HttpApiItemRef, HttpApiItems, HttpApiRecord, HttpApiStore } from '../httpapi-store.js';
import { HTTPAPI_SQL as SQL, apiRow, itemRow } from '../rows/httpapi.js';

export const HTTPAPI_TOPIC = 'httpapi';

type ConfigRow = { config: string };
const parsed = <T>(row: ConfigRow | undefined): T | undefined => (row ? (JSON.parse(row.config) as T) : undefined);

export class PgHttpApiStore implements HttpApiStore {
  readonly #db: PgDb;
  readonly #feed?: PgChangeFeed;
  readonly #listeners = new Set<(apiId: string) => void>();

  constructor(db: PgDb, feed?: PgChangeFeed) {
    this.#db = db;
    this.#feed = feed;
    // Another node's change reaches this node's listeners as if made here; a feed that lost messages means anything changed.
    feed?.subscribe(HTTPAPI_TOPIC, (m) => this.#tell((m as { apiId: string }).apiId), () => this.#tell(''));
  }

  onChange(listener: (apiId: string) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  #tell(apiId: string): void {
    for (const l of this.#listeners) l(apiId);
  }

  /** Runs a write of one API in a transaction; when it changed something, everyone hears of it. */
  async #write<T>(apiId: string, fn: (sql: Sql) => Promise<T>, changed: (result: T) => boolean = () => true): Promise<T> {
    const result = this.#feed
      ? await this.#feed.transaction(this.#db, async (sql, send) => {
        const out = await fn(sql);
        if (changed(out)) await send(HTTPAPI_TOPIC, { apiId });
        return out;
      })
      : await this.#db.tx(fn);
    if (changed(result)) this.#tell(apiId);
    return result;
  }

  createApi(api: HttpApiRecord, items: HttpApiItemPut[]): Promise<boolean> {
    return this.#write(api.apiId, async (sql) => {
      if ((await sql.run(SQL.insertApi, apiRow(api))) === 0) return false;
      for (const item of items) await sql.run(SQL.putItem, itemRow(api.apiId, item));
      return true;
    }, (created) => created);
  }

  async getApi(scope: ApiScope, apiId: string): Promise<HttpApiRecord | undefined> {
    return parsed(await this.#db.get<ConfigRow>(SQL.getApi, [apiId, scope.accountId, scope.region]));
  }

  async findApi(apiId: string): Promise<HttpApiRecord | undefined> {
    return parsed(await this.#db.get<ConfigRow>(SQL.findApi, [apiId]));
  }

  async listApis(scope: ApiScope): Promise<HttpApiRecord[]> {
    return (await this.#db.all<ConfigRow>(SQL.listApis, [scope.accountId, scope.region])).map((r) => JSON.parse(r.config) as HttpApiRecord);
  }

  async listApiIds(): Promise<string[]> {
    return (await this.#db.all<{ id: string }>(SQL.listApiIds)).map((r) => r.id);
  }

  async updateApi(api: HttpApiRecord): Promise<void> {
    await this.#write(api.apiId, (sql) => sql.run(SQL.updateApi, [JSON.stringify(api), api.apiId, api.accountId, api.region]));
  }

  deleteApi(scope: ApiScope, apiId: string): Promise<boolean> {
    return this.#write(apiId, async (sql) => (await sql.run(SQL.deleteApi, [apiId, scope.accountId, scope.region])) > 0, (deleted) => deleted);
  }

  async getItem<K extends HttpApiItemKind>(apiId: string, kind: K, id: string): Promise<HttpApiItems[K] | undefined> {
    return parsed(await this.#db.get<ConfigRow>(SQL.getItem, [apiId, kind, id]));
  }

  async listItems<K extends HttpApiItemKind>(apiId: string, kind: K): Promise<HttpApiItems[K][]> {
    return (await this.#db.all<ConfigRow>(SQL.listItems, [apiId, kind])).map((r) => JSON.parse(r.config) as HttpApiItems[K]);
  }

  async writeItems(apiId: string, puts: HttpApiItemPut[], deletes: HttpApiItemRef[] = [], api?: HttpApiRecord): Promise<void> {
    await this.#write(apiId, async (sql) => {
      if (api) await sql.run(SQL.updateApi, [JSON.stringify(api), api.apiId, api.accountId, api.region]);
      for (const d of deletes) await sql.run(SQL.deleteItem, [apiId, d.kind, d.id]);
      for (const item of puts) await sql.run(SQL.putItem, itemRow(apiId, item));
    });
  }
}
