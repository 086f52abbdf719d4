// NamedDocuments over SQL both backends speak (SQLite through sqliteRunner, PostgreSQL's pool as
// is): one table per kind of document, (account_id, region, name) → body (JSON) and revision.
import type { DocumentScope, NamedDocuments, Revisioned } from '../named-documents.js';
import type { SqlRunner } from './metric-filters.js';

const byCodePoint = (a: { name: string }, b: { name: string }): number => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);

export class SqlNamedDocuments<T> implements NamedDocuments<T> {
  readonly #sql: SqlRunner;
  readonly #table: string;

  /** `table` is one of the migrations' document tables (a constant, never user input). */
  constructor(sql: SqlRunner, table: 'ssm_parameters' | 'secretsmanager_secrets') {
    this.#sql = sql;
    this.#table = table;
  }

  async get({ accountId, region }: DocumentScope, name: string): Promise<Revisioned<T> | undefined> {
    const row = await this.#sql.get<{ body: string; revision: number | string }>(
      `SELECT body, revision FROM ${this.#table} WHERE account_id = ? AND region = ? AND name = ?`, [accountId, region, name]);
    return row && { doc: JSON.parse(row.body) as T, revision: Number(row.revision) };
  }

  async create({ accountId, region }: DocumentScope, name: string, doc: T): Promise<boolean> {
    return (await this.#sql.run(`INSERT INTO ${this.#table} (account_id, region, name, body, revision) VALUES (?, ?, ?, ?, 1) ON CONFLICT DO NOTHING`,
      [accountId, region, name, JSON.stringify(doc)])) === 1;
  }

  async replace({ accountId, region }: DocumentScope, name: string, doc: T, revision: number): Promise<boolean> {
    return (await this.#sql.run(`UPDATE ${this.#table} SET body = ?, revision = revision + 1 WHERE account_id = ? AND region = ? AND name = ? AND revision = ?`,
      [JSON.stringify(doc), accountId, region, name, revision])) === 1;
  }

  async delete({ accountId, region }: DocumentScope, name: string): Promise<boolean> {
    return (await this.#sql.run(`DELETE FROM ${this.#table} WHERE account_id = ? AND region = ? AND name = ?`, [accountId, region, name])) === 1;
  }

  async list({ accountId, region }: DocumentScope, prefix?: string): Promise<{ name: string; doc: T }[]> {
    const rows = prefix
      ? await this.#sql.all<{ name: string; body: string }>(`SELECT name, body FROM ${this.#table} WHERE account_id = ? AND region = ? AND substr(name, 1, ?) = ?`,
        [accountId, region, [...prefix].length, prefix])
      : await this.#sql.all<{ name: string; body: string }>(`SELECT name, body FROM ${this.#table} WHERE account_id = ? AND region = ?`, [accountId, region]);
    return rows.map((r) => ({ name: r.name, doc: JSON.parse(r.body) as T })).sort(byCodePoint);
  }
}
