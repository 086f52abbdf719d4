// The SQL both stores run on cloudformation_exports and cloudformation_imports (the dialects agree here).
export const STACK_EXPORTS_SQL = {
  list: 'SELECT name, value, stack_name FROM cloudformation_exports WHERE region = ? ORDER BY name',
  imports: 'SELECT stack_name, export_name FROM cloudformation_imports WHERE region = ? ORDER BY export_name, stack_name',
  deleteExports: 'DELETE FROM cloudformation_exports WHERE region = ? AND stack_name = ?',
  insertExport: 'INSERT INTO cloudformation_exports (region, name, value, stack_name) VALUES (?, ?, ?, ?)',
  deleteImports: 'DELETE FROM cloudformation_imports WHERE region = ? AND stack_name = ?',
  insertImport: 'INSERT INTO cloudformation_imports (region, export_name, stack_name) VALUES (?, ?, ?) ON CONFLICT DO NOTHING',
};

export interface ExportRow { name: string; value: string; stack_name: string }
export interface ImportRow { stack_name: string; export_name: string }

/** The rows as the store answers them: each export with the stacks importing it. */
export function exportsOf(rows: ExportRow[], imports: ImportRow[]): { name: string; value: string; stackName: string; importers: string[] }[] {
  return rows.map((r) => ({ name: r.name, value: r.value, stackName: r.stack_name, importers: imports.filter((i) => i.export_name === r.name).map((i) => i.stack_name) }));
}
