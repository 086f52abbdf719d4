// DocumentationStore on PostgreSQL: the same rows as on SQLite, shared by the nodes of a cluster.
import { locationKey, type DocumentationPartRecord, type DocumentationStore, type DocumentationVersionRecord, type DocumentationVersionSummary } from '../apigateway-documentation-store.js';
import { DOCUMENTATION_SQL as SQL, partOf, toVersion, toVersionSummary, type VersionRow } from '../rows/documentation.js';
import type { PgDb, Sql } from './database.js';

const insertPart = async (sql: Sql, apiId: string, part: DocumentationPartRecord): Promise<boolean> =>
  (await sql.run(SQL.insertPart, [apiId, part.id, apiId, locationKey(part.location), JSON.stringify(part)])) > 0;

export class PgDocumentationStore implements DocumentationStore {
  readonly #db: PgDb;

  constructor(db: PgDb) {
    this.#db = db;
  }

  async listParts(apiId: string): Promise<DocumentationPartRecord[]> {
    return (await this.#db.all<{ config: string }>(SQL.listParts, [apiId])).map((r) => partOf(r.config));
  }

  async getPart(apiId: string, id: string): Promise<DocumentationPartRecord | undefined> {
    const row = await this.#db.get<{ config: string }>(SQL.getPart, [apiId, id]);
    return row && partOf(row.config);
  }

  createPart(apiId: string, part: DocumentationPartRecord): Promise<boolean> {
    return insertPart(this.#db, apiId, part);
  }

  async updatePart(apiId: string, id: string, properties: string): Promise<boolean> {
    return this.#db.tx(async (sql) => {
      const row = await sql.get<{ config: string }>(`${SQL.getPart} FOR UPDATE`, [apiId, id]);
      if (!row) return false;
      return (await sql.run(SQL.updatePart, [JSON.stringify({ ...partOf(row.config), properties }), apiId, id])) > 0;
    });
  }

  async deletePart(apiId: string, id: string): Promise<boolean> {
    return (await this.#db.run(SQL.deletePart, [apiId, id])) > 0;
  }

  async putParts(apiId: string, parts: DocumentationPartRecord[], replaceAll: boolean): Promise<void> {
    await this.#db.tx(async (sql) => {
      if (replaceAll) await sql.run(SQL.deleteAllParts, [apiId]);
      for (const part of parts) {
        if ((await sql.run(SQL.updatePart, [JSON.stringify(part), apiId, part.id])) === 0) await insertPart(sql, apiId, part);
      }
    });
  }

  async listVersions(apiId: string): Promise<DocumentationVersionSummary[]> {
    return (await this.#db.all<VersionRow>(SQL.listVersions, [apiId])).map(toVersionSummary);
  }

  async getVersion(apiId: string, version: string): Promise<DocumentationVersionRecord | undefined> {
    const row = await this.#db.get<VersionRow>(SQL.getVersion, [apiId, version]);
    return row && toVersion(row);
  }

  async createVersion(apiId: string, v: DocumentationVersionRecord): Promise<boolean> {
    return (await this.#db.run(SQL.insertVersion, [apiId, v.version, v.createdDate, v.description ?? null, JSON.stringify(v.parts)])) > 0;
  }

  async updateVersionDescription(apiId: string, version: string, description: string | undefined): Promise<boolean> {
    return (await this.#db.run(SQL.describeVersion, [description ?? null, apiId, version])) > 0;
  }

  async deleteVersion(apiId: string, version: string): Promise<boolean> {
    return (await this.#db.run(SQL.deleteVersion, [apiId, version])) > 0;
  }
}
