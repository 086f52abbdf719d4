// The IamStore over SQL both backends speak (SQLite through sqliteRunner, PostgreSQL's pool). Every
// write that checks before it writes (attach only to an existing role, delete only what nothing
// references) runs inside `serialize(accountId, …)`: an in-process lock on SQLite, whose file one
// process owns, and a transaction under an advisory lock of the account on PostgreSQL, so the
// nodes of a cluster take their turns too. Roles and policies are JSON bodies: IAM's shapes are
// read whole and never queried by field.
import { nameKey, type DeleteOutcome, type IamStore, type StoredPolicy, type StoredRole, type StoredRolePolicy } from '../iam-store.js';
import type { SqlRunner } from './metric-filters.js';

export type Serialize = <T>(accountId: string, fn: (sql: SqlRunner) => Promise<T>) => Promise<T>;

const byKey = (a: { key: string }, b: { key: string }): number => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0);

export class SqlIamStore implements IamStore {
  readonly #db: SqlRunner;
  readonly #serialize: Serialize;

  constructor(db: SqlRunner, serialize: Serialize) {
    this.#db = db;
    this.#serialize = serialize;
  }

  async createRole(accountId: string, role: StoredRole): Promise<boolean> {
    return (await this.#db.run('INSERT INTO iam_roles (account_id, name_key, body) VALUES (?, ?, ?) ON CONFLICT DO NOTHING',
      [accountId, nameKey(role.name), JSON.stringify(role)])) === 1;
  }

  async getRole(accountId: string, name: string): Promise<StoredRole | undefined> {
    const row = await this.#db.get<{ body: string }>('SELECT body FROM iam_roles WHERE account_id = ? AND name_key = ?', [accountId, nameKey(name)]);
    return row && (JSON.parse(row.body) as StoredRole);
  }

  async listRoles(accountId: string): Promise<StoredRole[]> {
    const rows = await this.#db.all<{ name_key: string; body: string }>('SELECT name_key, body FROM iam_roles WHERE account_id = ?', [accountId]);
    return rows.map((r) => ({ key: r.name_key, role: JSON.parse(r.body) as StoredRole })).sort(byKey).map((r) => r.role);
  }

  async updateRole(accountId: string, role: StoredRole): Promise<boolean> {
    return (await this.#db.run('UPDATE iam_roles SET body = ? WHERE account_id = ? AND name_key = ?', [JSON.stringify(role), accountId, nameKey(role.name)])) === 1;
  }

  deleteRole(accountId: string, name: string): Promise<{ outcome: DeleteOutcome; attached?: boolean }> {
    const key = nameKey(name);
    return this.#serialize(accountId, async (sql) => {
      if (!(await sql.get('SELECT 1 AS one FROM iam_roles WHERE account_id = ? AND name_key = ?', [accountId, key]))) return { outcome: 'missing' };
      if (await sql.get('SELECT 1 AS one FROM iam_attachments WHERE account_id = ? AND role_key = ?', [accountId, key])) return { outcome: 'conflict', attached: true };
      if (await sql.get('SELECT 1 AS one FROM iam_role_policies WHERE account_id = ? AND role_key = ?', [accountId, key])) return { outcome: 'conflict', attached: false };
      await sql.run('DELETE FROM iam_roles WHERE account_id = ? AND name_key = ?', [accountId, key]);
      return { outcome: 'deleted' };
    });
  }

  putRolePolicy(accountId: string, roleName: string, policy: StoredRolePolicy): Promise<boolean> {
    const role = nameKey(roleName);
    return this.#serialize(accountId, async (sql) => {
      if (!(await sql.get('SELECT 1 AS one FROM iam_roles WHERE account_id = ? AND name_key = ?', [accountId, role]))) return false;
      await sql.run(`INSERT INTO iam_role_policies (account_id, role_key, name_key, name, document) VALUES (?, ?, ?, ?, ?)
        ON CONFLICT (account_id, role_key, name_key) DO UPDATE SET name = excluded.name, document = excluded.document`,
      [accountId, role, nameKey(policy.name), policy.name, policy.document]);
      return true;
    });
  }

  async listRolePolicies(accountId: string, roleName: string): Promise<StoredRolePolicy[]> {
    const rows = await this.#db.all<{ name_key: string; name: string; document: string }>(
      'SELECT name_key, name, document FROM iam_role_policies WHERE account_id = ? AND role_key = ?', [accountId, nameKey(roleName)]);
    return rows.map((r) => ({ key: r.name_key, name: r.name, document: r.document })).sort(byKey).map(({ name, document }) => ({ name, document }));
  }

  async deleteRolePolicy(accountId: string, roleName: string, policyName: string): Promise<boolean> {
    return (await this.#db.run('DELETE FROM iam_role_policies WHERE account_id = ? AND role_key = ? AND name_key = ?',
      [accountId, nameKey(roleName), nameKey(policyName)])) === 1;
  }

  async createPolicy(accountId: string, policy: StoredPolicy): Promise<boolean> {
    return (await this.#db.run('INSERT INTO iam_policies (account_id, name_key, arn, body) VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING',
      [accountId, nameKey(policy.name), policy.arn, JSON.stringify(policy)])) === 1;
  }

  async getPolicy(accountId: string, arn: string): Promise<StoredPolicy | undefined> {
    const row = await this.#db.get<{ body: string }>('SELECT body FROM iam_policies WHERE account_id = ? AND arn = ?', [accountId, arn]);
    return row && (JSON.parse(row.body) as StoredPolicy);
  }

  async listPolicies(accountId: string): Promise<StoredPolicy[]> {
    const rows = await this.#db.all<{ name_key: string; body: string }>('SELECT name_key, body FROM iam_policies WHERE account_id = ?', [accountId]);
    return rows.map((r) => ({ key: r.name_key, policy: JSON.parse(r.body) as StoredPolicy })).sort(byKey).map((r) => r.policy);
  }

  async updatePolicy(accountId: string, policy: StoredPolicy): Promise<boolean> {
    return (await this.#db.run('UPDATE iam_policies SET body = ? WHERE account_id = ? AND arn = ?', [JSON.stringify(policy), accountId, policy.arn])) === 1;
  }

  deletePolicy(accountId: string, arn: string): Promise<DeleteOutcome> {
    return this.#serialize(accountId, async (sql) => {
      if (!(await sql.get('SELECT 1 AS one FROM iam_policies WHERE account_id = ? AND arn = ?', [accountId, arn]))) return 'missing';
      if (await sql.get('SELECT 1 AS one FROM iam_attachments WHERE account_id = ? AND policy_arn = ?', [accountId, arn])) return 'conflict';
      await sql.run('DELETE FROM iam_policies WHERE account_id = ? AND arn = ?', [accountId, arn]);
      return 'deleted';
    });
  }

  attachRolePolicy(accountId: string, roleName: string, policyArn: string, customer: boolean): Promise<'attached' | 'no-role' | 'no-policy'> {
    const role = nameKey(roleName);
    return this.#serialize(accountId, async (sql) => {
      if (customer && !(await sql.get('SELECT 1 AS one FROM iam_policies WHERE account_id = ? AND arn = ?', [accountId, policyArn]))) return 'no-policy';
      if (!(await sql.get('SELECT 1 AS one FROM iam_roles WHERE account_id = ? AND name_key = ?', [accountId, role]))) return 'no-role';
      await sql.run('INSERT INTO iam_attachments (account_id, role_key, policy_arn) VALUES (?, ?, ?) ON CONFLICT DO NOTHING', [accountId, role, policyArn]);
      return 'attached';
    });
  }

  async detachRolePolicy(accountId: string, roleName: string, policyArn: string): Promise<boolean> {
    return (await this.#db.run('DELETE FROM iam_attachments WHERE account_id = ? AND role_key = ? AND policy_arn = ?', [accountId, nameKey(roleName), policyArn])) === 1;
  }

  async attachedPolicies(accountId: string, roleName: string): Promise<string[]> {
    const rows = await this.#db.all<{ policy_arn: string }>('SELECT policy_arn FROM iam_attachments WHERE account_id = ? AND role_key = ?', [accountId, nameKey(roleName)]);
    return rows.map((r) => r.policy_arn).sort();
  }

  async attachments(accountId: string): Promise<{ roleName: string; policyArn: string }[]> {
    const rows = await this.#db.all<{ body: string; policy_arn: string }>(`SELECT r.body, a.policy_arn FROM iam_attachments a
      JOIN iam_roles r ON r.account_id = a.account_id AND r.name_key = a.role_key WHERE a.account_id = ?`, [accountId]);
    return rows.map((r) => ({ roleName: (JSON.parse(r.body) as StoredRole).name, policyArn: r.policy_arn }));
  }
}
