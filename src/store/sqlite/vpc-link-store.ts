// VpcLinkStore on SQLite: one row per link, its record as JSON.
import type { ApiScope } from '../apigateway-store.js';
import type { VpcLinkKind, VpcLinkRecord, VpcLinkStore } from '../vpc-link-store.js';
import { VPC_LINK_SQL as SQL, insertParams, vpcLinkKey, vpcLinkOf } from '../rows/vpc-links.js';
import type { SqliteDb } from './database.js';

export class SqliteVpcLinkStore implements VpcLinkStore {
  readonly #s;

  constructor(db: SqliteDb) {
    this.#s = {
      insert: db.prepare(SQL.insert),
      get: db.prepare(SQL.get).pluck(),
      list: db.prepare(SQL.list).pluck(),
      update: db.prepare(SQL.update),
      delete: db.prepare(SQL.delete),
    };
  }

  async createVpcLink(link: VpcLinkRecord): Promise<boolean> {
    return this.#s.insert.run(...insertParams(link)).changes > 0;
  }

  async getVpcLink(scope: ApiScope, kind: VpcLinkKind, id: string): Promise<VpcLinkRecord | undefined> {
    const config = this.#s.get.get(...vpcLinkKey({ ...scope, kind, id })) as string | undefined;
    return config === undefined ? undefined : vpcLinkOf(config);
  }

  async listVpcLinks(scope: ApiScope, kind: VpcLinkKind): Promise<VpcLinkRecord[]> {
    return (this.#s.list.all(scope.accountId, scope.region, kind) as string[]).map(vpcLinkOf);
  }

  async updateVpcLink(link: VpcLinkRecord): Promise<boolean> {
    return this.#s.update.run(JSON.stringify(link), ...vpcLinkKey(link)).changes > 0;
  }

  async deleteVpcLink(scope: ApiScope, kind: VpcLinkKind, id: string): Promise<boolean> {
    return this.#s.delete.run(...vpcLinkKey({ ...scope, kind, id })).changes > 0;
  }
}
