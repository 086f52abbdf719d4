// DocumentationStore on SQLite: parts and versions of REST APIs (one row each); an import is one transaction.
import { locationKey, type DocumentationPartRecord, type DocumentationStore, type DocumentationVersionRecord, type DocumentationVersionSummary } from '../apigateway-documentation-store.js';
import { DOCUMENTATION_SQL as SQL, partOf, toVersion, toVersionSummary, type VersionRow } from '../rows/documentation.js';
import type { SqliteDb } from './database.js';

export class SqliteDocumentationStore implements DocumentationStore {
  readonly #db: SqliteDb;
  readonly #s;

  constructor(db: SqliteDb) {
    this.#db = db;
    this.#s = {
      listParts: db.prepare(SQL.listParts).pluck(),
      getPart: db.prepare(SQL.getPart).pluck(),
      insertPart: db.prepare(SQL.insertPart),
      updatePart: db.prepare(SQL.updatePart),
      deletePart: db.prepare(SQL.deletePart),
      deleteAllParts: db.prepare(SQL.deleteAllParts),
      listVersions: db.prepare(SQL.listVersions),
      getVersion: db.prepare(SQL.getVersion),
      insertVersion: db.prepare(SQL.insertVersion),
      describeVersion: db.prepare(SQL.describeVersion),
      deleteVersion: db.prepare(SQL.deleteVersion),
    };
  }

  async listParts(apiId: string): Promise<DocumentationPartRecord[]> {
    return (this.#s.listParts.all(apiId) as string[]).map(partOf);
  }

  async getPart(apiId: string, id: string): Promise<DocumentationPartRecord | undefined> {
    const config = this.#s.getPart.get(apiId, id) as string | undefined;
    return config === undefined ? undefined : partOf(config);
  }

  async createPart(apiId: string, part: DocumentationPartRecord): Promise<boolean> {
    return this.#insert(apiId, part);
  }

  #insert(apiId: string, part: DocumentationPartRecord): boolean {
    return this.#s.insertPart.run(apiId, part.id, apiId, locationKey(part.location), JSON.stringify(part)).changes > 0;
  }

  async updatePart(apiId: string, id: string, properties: string): Promise<boolean> {
    // Read and write with no await between them: nothing else runs on this connection in between.
    const config = this.#s.getPart.get(apiId, id) as string | undefined;
    if (config === undefined) return false;
    return this.#s.updatePart.run(JSON.stringify({ ...partOf(config), properties }), apiId, id).changes > 0;
  }

  async deletePart(apiId: string, id: string): Promise<boolean> {
    return this.#s.deletePart.run(apiId, id).changes > 0;
  }

  async putParts(apiId: string, parts: DocumentationPartRecord[], replaceAll: boolean): Promise<void> {
    this.#db.transaction(() => {
      if (replaceAll) this.#s.deleteAllParts.run(apiId);
      for (const part of parts) {
        if (this.#s.updatePart.run(JSON.stringify(part), apiId, part.id).changes === 0) this.#insert(apiId, part);
      }
    }).immediate();
  }

  async listVersions(apiId: string): Promise<DocumentationVersionSummary[]> {
    return (this.#s.listVersions.all(apiId) as VersionRow[]).map(toVersionSummary);
  }

  async getVersion(apiId: string, version: string): Promise<DocumentationVersionRecord | undefined> {
    const row = this.#s.getVersion.get(apiId, version) as VersionRow | undefined;
    return row && toVersion(row);
  }

  async createVersion(apiId: string, v: DocumentationVersionRecord): Promise<boolean> {
    return this.#s.insertVersion.run(apiId, v.version, v.createdDate, v.description ?? null, JSON.stringify(v.parts)).changes > 0;
  }

  async updateVersionDescription(apiId: string, version: string, description: string | undefined): Promise<boolean> {
    return this.#s.describeVersion.run(description ?? null, apiId, version).changes > 0;
  }

  async deleteVersion(apiId: string, version: string): Promise<boolean> {
    return this.#s.deleteVersion.run(apiId, version).changes > 0;
  }
}
