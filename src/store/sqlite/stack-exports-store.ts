// StackExportsStore on SQLite: cloudformation_exports and cloudformation_imports. A record is
// checked and written in one IMMEDIATE transaction: it holds the file's write lock from the start,
// so no other writer (another process on the file) changes the rows between check and write.
import type { RecordCheck, ReplaceOutcome, StackExport, StackExportsStore } from '../stack-exports-store.js';
import { exportsOf, STACK_EXPORTS_SQL, type ExportRow, type ImportRow } from '../rows/stack-exports.js';
import type { SqliteDb } from './database.js';

export class SqliteStackExportsStore implements StackExportsStore {
  readonly #db: SqliteDb;
  readonly #s;

  constructor(db: SqliteDb) {
    this.#db = db;
    const q = STACK_EXPORTS_SQL;
    this.#s = {
      list: db.prepare(q.list), imports: db.prepare(q.imports), deleteExports: db.prepare(q.deleteExports), insertExport: db.prepare(q.insertExport),
      deleteImports: db.prepare(q.deleteImports), insertImport: db.prepare(q.insertImport),
    };
  }

  async list(region: string): Promise<StackExport[]> {
    return this.#list(region);
  }

  #list(region: string): StackExport[] {
    return exportsOf(this.#s.list.all(region) as ExportRow[], this.#s.imports.all(region) as ImportRow[]);
  }

  async imports(region: string): Promise<{ stackName: string; exportName: string }[]> {
    return (this.#s.imports.all(region) as ImportRow[]).map((r) => ({ stackName: r.stack_name, exportName: r.export_name }));
  }

  async replace(region: string, stackName: string, exports: readonly { name: string; value: string }[], imports: readonly string[], check?: RecordCheck): Promise<ReplaceOutcome> {
    try {
      return this.#db.transaction((): ReplaceOutcome => {
        const refused = check ? check(this.#list(region)) : [];
        if (refused.length) return { refused };
        this.#s.deleteExports.run(region, stackName);
        for (const e of exports) this.#s.insertExport.run(region, e.name, e.value, stackName);
        this.#s.deleteImports.run(region, stackName);
        for (const name of imports) this.#s.insertImport.run(region, name, stackName);
        return 'recorded';
      }).immediate();
    } catch (e) {
      // Another stack holds one of the names, which no check refused: rolled back.
      if ((e as { code?: string }).code === 'SQLITE_CONSTRAINT_PRIMARYKEY') return 'taken';
      throw e;
    }
  }
}
