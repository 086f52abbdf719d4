// HttpApiStore on SQLite (better-sqlite3, synchronous under the async interface). Listeners hear
// of a change once its transaction has committed.
import type { SqliteDb } from './database.js';
import type { ApiScope } from '../apigateway-store.js';
import type { HttpApiItemKind, HttpApiItemPut, HttpApiItemRef, HttpApiItems, HttpApiRecord, HttpApiStore } from '../httpapi-store.js';
import { HTTPAPI_SQL as SQL, apiRow, itemRow } from '../rows/httpapi.js';

const parse = <T>(text: unknown): T | undefined => (typeof text === 'string' ? (JSON.parse(text) as T) : undefined);

export class SqliteHttpApiStore implements HttpApiStore {
  readonly #db: SqliteDb;
  readonly #listeners = new Set<(apiId: string) => void>();
  readonly #stmt;

  constructor(db: SqliteDb) {
    this.#db = db;
    const pluck = (sql: string) => db.prepare(sql).pluck();
    this.#stmt = {
      insertApi: db.prepare(SQL.insertApi), getApi: pluck(SQL.getApi), findApi: pluck(SQL.findApi), listApis: pluck(SQL.listApis),
      listApiIds: pluck(SQL.listApiIds), updateApi: db.prepare(SQL.updateApi), deleteApi: db.prepare(SQL.deleteApi),
      getItem: pluck(SQL.getItem), listItems: pluck(SQL.listItems), putItem: db.prepare(SQL.putItem), deleteItem: db.prepare(SQL.deleteItem),
    };
  }

  onChange(listener: (apiId: string) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  #tell(apiId: string): void {
    for (const l of this.#listeners) l(apiId);
  }

  async createApi(api: HttpApiRecord, items: HttpApiItemPut[]): Promise<boolean> {
    const created = this.#db.transaction(() => {
      if (this.#stmt.insertApi.run(...apiRow(api)).changes === 0) return false;
      for (const item of items) this.#stmt.putItem.run(...itemRow(api.apiId, item));
      return true;
    })();
    if (created) this.#tell(api.apiId);
    return created;
  }

  async getApi(scope: ApiScope, apiId: string): Promise<HttpApiRecord | undefined> {
    return parse(this.#stmt.getApi.get(apiId, scope.accountId, scope.region));
  }

  async findApi(apiId: string): Promise<HttpApiRecord | undefined> {
    return parse(this.#stmt.findApi.get(apiId));
  }

  async listApis(scope: ApiScope): Promise<HttpApiRecord[]> {
    return (this.#stmt.listApis.all(scope.accountId, scope.region) as string[]).map((t) => JSON.parse(t) as HttpApiRecord);
  }

  async listApiIds(): Promise<string[]> {
    return this.#stmt.listApiIds.all() as string[];
  }

  async updateApi(api: HttpApiRecord): Promise<void> {
    this.#stmt.updateApi.run(JSON.stringify(api), api.apiId, api.accountId, api.region);
    this.#tell(api.apiId);
  }

  async deleteApi(scope: ApiScope, apiId: string): Promise<boolean> {
    const deleted = this.#stmt.deleteApi.run(apiId, scope.accountId, scope.region).changes > 0;
    if (deleted) this.#tell(apiId);
    return deleted;
  }

  async getItem<K extends HttpApiItemKind>(apiId: string, kind: K, id: string): Promise<HttpApiItems[K] | undefined> {
    return parse(this.#stmt.getItem.get(apiId, kind, id));
  }

  async listItems<K extends HttpApiItemKind>(apiId: string, kind: K): Promise<HttpApiItems[K][]> {
    return (this.#stmt.listItems.all(apiId, kind) as string[]).map((t) => JSON.parse(t) as HttpApiItems[K]);
  }

  async writeItems(apiId: string, puts: HttpApiItemPut[], deletes: HttpApiItemRef[] = [], api?: HttpApiRecord): Promise<void> {
    this.#db.transaction(() => {
      if (api) this.#stmt.updateApi.run(JSON.stringify(api), api.apiId, api.accountId, api.region);
      for (const d of deletes) this.#stmt.deleteItem.run(apiId, d.kind, d.id);
      for (const item of puts) this.#stmt.putItem.run(...itemRow(apiId, item));
    })();
    this.#tell(apiId);
  }
}
