// Row shape of the API Gateway resource table and its records, shared by the SQLite and
// PostgreSQL stores (everything else is stored as a JSON document).
import type { ResourceRecord } from '../apigateway-store.js';

export interface ResourceRow { id: string; parent_id: string | null; path_part: string | null; path: string }

export const toResource = (row: ResourceRow): ResourceRecord => {
  const r: ResourceRecord = { id: row.id, path: row.path };
  if (row.parent_id !== null) r.parentId = row.parent_id;
  if (row.path_part !== null) r.pathPart = row.path_part;
  return r;
};
