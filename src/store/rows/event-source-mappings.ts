// The EventSourceMappingStore over SQL both backends speak (SQLite through sqliteRunner, PostgreSQL's pool).
import type { EventSourceMappingStore, StoredEventSourceMapping } from '../event-source-mapping-store.js';
import type { SqlRunner } from './metric-filters.js';

const parse = (rows: { body: string }[]): StoredEventSourceMapping[] => rows.map((r) => JSON.parse(r.body) as StoredEventSourceMapping);

export class SqlEventSourceMappingStore implements EventSourceMappingStore {
  constructor(private readonly db: SqlRunner) {}

  async create(mapping: StoredEventSourceMapping): Promise<{ created: true } | { created: false; existing: StoredEventSourceMapping }> {
    const inserted = await this.db.run(`INSERT INTO lambda_event_source_mappings (uuid, account_id, region, event_source_arn, function_arn, body)
      VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING`,
    [mapping.uuid, mapping.accountId, mapping.region, mapping.eventSourceArn, mapping.functionArn, JSON.stringify(mapping)]);
    if (inserted === 1) return { created: true };
    const row = await this.db.get<{ body: string }>('SELECT body FROM lambda_event_source_mappings WHERE event_source_arn = ? AND function_arn = ?',
      [mapping.eventSourceArn, mapping.functionArn]);
    if (!row) throw new Error(`event source mapping ${mapping.uuid} conflicts with none`);
    return { created: false, existing: JSON.parse(row.body) as StoredEventSourceMapping };
  }

  async get(uuid: string): Promise<StoredEventSourceMapping | undefined> {
    const row = await this.db.get<{ body: string }>('SELECT body FROM lambda_event_source_mappings WHERE uuid = ?', [uuid]);
    return row && (JSON.parse(row.body) as StoredEventSourceMapping);
  }

  async update(mapping: StoredEventSourceMapping): Promise<boolean> {
    return (await this.db.run('UPDATE lambda_event_source_mappings SET body = ? WHERE uuid = ?', [JSON.stringify(mapping), mapping.uuid])) === 1;
  }

  async delete(uuid: string): Promise<boolean> {
    return (await this.db.run('DELETE FROM lambda_event_source_mappings WHERE uuid = ?', [uuid])) === 1;
  }

  async list(accountId: string, region: string): Promise<StoredEventSourceMapping[]> {
    return parse(await this.db.all('SELECT body FROM lambda_event_source_mappings WHERE account_id = ? AND region = ? ORDER BY uuid', [accountId, region]));
  }

  async listAll(): Promise<StoredEventSourceMapping[]> {
    return parse(await this.db.all('SELECT body FROM lambda_event_source_mappings ORDER BY uuid'));
  }
}
