// StackExportsStore on PostgreSQL: the same rows, shared by the nodes of a cluster. A record is
// checked and written in one transaction under an advisory lock on its region, so another node
// can't delete or change an export between the check that saw it and the import that names it.
import type { RecordCheck, ReplaceOutcome, StackExport, StackExportsStore } from '../stack-exports-store.js';
import { exportsOf, STACK_EXPORTS_SQL, type ExportRow, type ImportRow } from '../rows/stack-exports.js';
import { UNIQUE_VIOLATION, type PgDb, type Sql } from './database.js';

/** The region's lock (namespaced as src/store/postgres/advisory-lock.ts keeps its keys). */
const lockKey = (region: string) => `stagecraft:cloudformation-exports:${region}`;

export class PgStackExportsStore implements StackExportsStore {
  readonly #db: PgDb;

  constructor(db: PgDb) {
    this.#db = db;
  }

  list(region: string): Promise<StackExport[]> {
    return listOn(this.#db, region);
  }

  async imports(region: string): Promise<{ stackName: string; exportName: string }[]> {
    return (await this.#db.all<ImportRow>(STACK_EXPORTS_SQL.imports, [region])).map((r) => ({ stackName: r.stack_name, exportName: r.export_name }));
  }

  async replace(region: string, stackName: string, exports: readonly { name: string; value: string }[], imports: readonly string[], check?: RecordCheck): Promise<ReplaceOutcome> {
    try {
      return await this.#db.tx(async (sql): Promise<ReplaceOutcome> => {
        // Held until commit: the region's next record reads the rows this one wrote (read committed).
        await sql.run('SELECT pg_advisory_xact_lock(hashtextextended(?, 0))', [lockKey(region)]);
        const refused = check ? check(await listOn(sql, region)) : [];
        if (refused.length) return { refused };
        await sql.run(STACK_EXPORTS_SQL.deleteExports, [region, stackName]);
        for (const e of exports) await sql.run(STACK_EXPORTS_SQL.insertExport, [region, e.name, e.value, stackName]);
        await sql.run(STACK_EXPORTS_SQL.deleteImports, [region, stackName]);
        for (const name of imports) await sql.run(STACK_EXPORTS_SQL.insertImport, [region, name, stackName]);
        return 'recorded';
      });
    } catch (e) {
      // Another stack holds one of the names, which no check refused: rolled back.
      if ((e as { code?: string }).code === UNIQUE_VIOLATION) return 'taken';
      throw e;
    }
  }
}

async function listOn(sql: Sql, region: string): Promise<StackExport[]> {
  return exportsOf(await sql.all<ExportRow>(STACK_EXPORTS_SQL.list, [region]), await sql.all<ImportRow>(STACK_EXPORTS_SQL.imports, [region]));
}
