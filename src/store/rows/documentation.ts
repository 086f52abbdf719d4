// The SQL both stores run on the documentation tables (the dialects agree here), and their rows.
import type { DocumentationPartRecord, DocumentationVersionRecord, DocumentationVersionSummary } from '../apigateway-documentation-store.js';

export const DOCUMENTATION_SQL = {
  listParts: 'SELECT config FROM apigw_documentation_parts WHERE api_id = ? ORDER BY seq, id',
  getPart: 'SELECT config FROM apigw_documentation_parts WHERE api_id = ? AND id = ?',
  // The location key is unique per API: a second part at one location is refused by the database.
  insertPart: `INSERT INTO apigw_documentation_parts (api_id, id, seq, location_key, config)
    VALUES (?, ?, (SELECT COALESCE(MAX(seq), 0) + 1 FROM apigw_documentation_parts WHERE api_id = ?), ?, ?) ON CONFLICT DO NOTHING`,
  updatePart: 'UPDATE apigw_documentation_parts SET config = ? WHERE api_id = ? AND id = ?',
  deletePart: 'DELETE FROM apigw_documentation_parts WHERE api_id = ? AND id = ?',
  deleteAllParts: 'DELETE FROM apigw_documentation_parts WHERE api_id = ?',
  listVersions: 'SELECT version, created_ms, description FROM apigw_documentation_versions WHERE api_id = ? ORDER BY version',
  getVersion: 'SELECT version, created_ms, description, parts FROM apigw_documentation_versions WHERE api_id = ? AND version = ?',
  insertVersion: `INSERT INTO apigw_documentation_versions (api_id, version, created_ms, description, parts)
    VALUES (?, ?, ?, ?, ?) ON CONFLICT DO NOTHING`,
  describeVersion: 'UPDATE apigw_documentation_versions SET description = ? WHERE api_id = ? AND version = ?',
  deleteVersion: 'DELETE FROM apigw_documentation_versions WHERE api_id = ? AND version = ?',
};

export interface VersionRow { version: string; created_ms: number; description: string | null; parts?: string }

export const toVersionSummary = (row: VersionRow): DocumentationVersionSummary => {
  const v: DocumentationVersionSummary = { version: row.version, createdDate: Number(row.created_ms) };
  if (row.description !== null) v.description = row.description;
  return v;
};

export const toVersion = (row: VersionRow): DocumentationVersionRecord =>
  ({ ...toVersionSummary(row), parts: JSON.parse(row.parts ?? '[]') as DocumentationPartRecord[] });

export const partOf = (config: string): DocumentationPartRecord => JSON.parse(config) as DocumentationPartRecord;
