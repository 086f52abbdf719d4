// The SQL both HTTP API stores run (`?` placeholders suit better-sqlite3 and our PostgreSQL helper
// alike), so the two backends cannot drift apart statement by statement.
import type { HttpApiItemPut, HttpApiRecord } from '../httpapi-store.js';

export const HTTPAPI_SQL = {
  insertApi: 'INSERT INTO apigw2_apis (id, account_id, region, created_ms, config) VALUES (?, ?, ?, ?, ?) ON CONFLICT DO NOTHING',
  getApi: 'SELECT config FROM apigw2_apis WHERE id = ? AND account_id = ? AND region = ?',
  findApi: 'SELECT config FROM apigw2_apis WHERE id = ?',
  listApis: 'SELECT config FROM apigw2_apis WHERE account_id = ? AND region = ? ORDER BY created_ms, id',
  listApiIds: 'SELECT id FROM apigw2_apis',
  updateApi: 'UPDATE apigw2_apis SET config = ? WHERE id = ? AND account_id = ? AND region = ?',
  deleteApi: 'DELETE FROM apigw2_apis WHERE id = ? AND account_id = ? AND region = ?',
  getItem: 'SELECT config FROM apigw2_items WHERE api_id = ? AND kind = ? AND id = ?',
  listItems: 'SELECT config FROM apigw2_items WHERE api_id = ? AND kind = ? ORDER BY seq, id',
  // A replaced record keeps its place in creation order.
  putItem: `INSERT INTO apigw2_items (api_id, kind, id, seq, config)
    VALUES (?, ?, ?, (SELECT COALESCE(MAX(seq), 0) + 1 FROM apigw2_items WHERE api_id = ?), ?)
    ON CONFLICT (api_id, kind, id) DO UPDATE SET config = excluded.config`,
  deleteItem: 'DELETE FROM apigw2_items WHERE api_id = ? AND kind = ? AND id = ?',
} as const;

export const apiRow = (api: HttpApiRecord): unknown[] => [api.apiId, api.accountId, api.region, api.createdDate, JSON.stringify(api)];
export const itemRow = (apiId: string, put: HttpApiItemPut): unknown[] => [apiId, put.kind, put.id, apiId, JSON.stringify(put.value)];
