// StackExportsStore on PostgreSQL: the same rows, shared by the nodes of a cluster.
import type { ReplaceOutcome, StackExport, StackExportsStore } from '../stack-exports-store.js';
import { exportsOf, STACK_EXPORTS_SQL, type ExportRow, type ImportRow } from '../rows/stack-exports.js';
import { UNIQUE_VIOLATION, type PgDb } from './database.js';

export class PgStackExportsStore implements StackExportsStore {
  readonly #db: PgDb;

  constructor(db: PgDb) {
    this.#db = db;
  }

  async list(region: string): Promise<StackExport[]> {
    return exportsOf(await this.#db.all<ExportRow>(STACK_EXPORTS_SQL.list, [region]), await this.#db.all<ImportRow>(STACK_EXPORTS_SQL.imports, [region]));
  }

  async imports(region: string): Promise<{ stackName: string; exportName: string }[]> {
    return (await this.#db.all<ImportRow>(STACK_EXPORTS_SQL.imports, [region])).map((r) => ({ stackName: r.stack_name, exportName: r.export_name }));
  }

  async replace(region: string, stackName: string, exports: readonly { name: string; value: string }[], imports: readonly string[]): Promise<ReplaceOutcome> {
    try {
      await this.#db.tx(async (sql) => {
        await sql.run(STACK_EXPORTS_SQL.deleteExports, [region, stackName]);
        for (const e of exports) await sql.run(STACK_EXPORTS_SQL.insertExport, [region, e.name, e.value, stackName]);
        await sql.run(STACK_EXPORTS_SQL.deleteImports, [region, stackName]);
        for (const name of imports) await sql.run(STACK_EXPORTS_SQL.insertImport, [region, name, stackName]);
      });
      return 'recorded';
    } catch (e) {
      // Another node's stack holds one of the names: its insert committed first (ours waited for it).
      if ((e as { code?: string }).code === UNIQUE_VIOLATION) return 'taken';
      throw e;
    }
  }
}
