// VpcLinkStore on PostgreSQL: the same rows as on SQLite, shared by the nodes of a cluster.
import type { ApiScope } from '../apigateway-store.js';
import type { VpcLinkKind, VpcLinkRecord, VpcLinkStore } from '../vpc-link-store.js';
import { VPC_LINK_SQL as SQL, insertParams, vpcLinkKey, vpcLinkOf } from '../rows/vpc-links.js';
import type { PgDb } from './database.js';

export class PgVpcLinkStore implements VpcLinkStore {
  readonly #db: PgDb;

  constructor(db: PgDb) {
    this.#db = db;
  }

  async createVpcLink(link: VpcLinkRecord): Promise<boolean> {
    return (await this.#db.run(SQL.insert, insertParams(link))) > 0;
  }

  async getVpcLink(scope: ApiScope, kind: VpcLinkKind, id: string): Promise<VpcLinkRecord | undefined> {
    const row = await this.#db.get<{ config: string }>(SQL.get, vpcLinkKey({ ...scope, kind, id }));
    return row && vpcLinkOf(row.config);
  }

  async listVpcLinks(scope: ApiScope, kind: VpcLinkKind): Promise<VpcLinkRecord[]> {
    return (await this.#db.all<{ config: string }>(SQL.list, [scope.accountId, scope.region, kind])).map((r) => vpcLinkOf(r.config));
  }

  async updateVpcLink(link: VpcLinkRecord): Promise<boolean> {
    return (await this.#db.run(SQL.update, [JSON.stringify(link), ...vpcLinkKey(link)])) > 0;
  }

  async deleteVpcLink(scope: ApiScope, kind: VpcLinkKind, id: string): Promise<boolean> {
    return (await this.#db.run(SQL.delete, vpcLinkKey({ ...scope, kind, id }))) > 0;
  }
}
