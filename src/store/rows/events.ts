// The EventsStore over SQL both backends speak (SQLite through sqliteRunner, PostgreSQL's pool as
// is). Rules, buses and targets are JSON bodies under their keys; a schedule tick is claimed with
// one conditional UPDATE, so of several nodes exactly one wins it, and a rule's write never moves
// its last tick back (a claim made since the rule was read stays).
import { byCodePoint, type EventsScope, type EventsStore, type ScheduledRule, type StoredBus, type StoredRule, type StoredTarget, type Tag, type TargetRetry } from '../events-store.js';
import type { SqlRunner } from './metric-filters.js';
import { SqlDueRows, type DueRow } from './due-rows.js';

interface RuleRow {
  account_id: string;
  region: string;
  bus_name: string;
  name: string;
  body: string;
  last_tick_ms: number | string;
}

type RuleBody = Omit<StoredRule, 'busName' | 'name' | 'lastTickMs'>;

const ruleFromRow = (r: RuleRow): StoredRule => ({ ...(JSON.parse(r.body) as RuleBody), busName: r.bus_name, name: r.name, lastTickMs: Number(r.last_tick_ms) });
type RetryRow = DueRow & { body: string };
const retryFromRow = (r: RetryRow): TargetRetry => ({ id: r.id, dueMs: Number(r.due_ms), attempts: Number(r.attempts), body: r.body });

const RULE_COLUMNS = 'account_id, region, bus_name, name, body, last_tick_ms';

export class SqlEventsStore implements EventsStore {
  readonly #sql: SqlRunner;
  readonly #retries: SqlDueRows<RetryRow>;

  constructor(sql: SqlRunner) {
    this.#sql = sql;
    this.#retries = new SqlDueRows(sql, 'events_target_retries', 'id, due_ms, attempts, body');
  }

  async createBus({ accountId, region }: EventsScope, bus: StoredBus): Promise<boolean> {
    const { name, ...body } = bus;
    return (await this.#sql.run('INSERT INTO events_buses (account_id, region, name, body) VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING',
      [accountId, region, name, JSON.stringify(body)])) === 1;
  }

  async getBus({ accountId, region }: EventsScope, name: string): Promise<StoredBus | undefined> {
    const row = await this.#sql.get<{ body: string }>('SELECT body FROM events_buses WHERE account_id = ? AND region = ? AND name = ?', [accountId, region, name]);
    return row && { name, ...(JSON.parse(row.body) as Omit<StoredBus, 'name'>) };
  }

  async listBuses({ accountId, region }: EventsScope): Promise<StoredBus[]> {
    const rows = await this.#sql.all<{ name: string; body: string }>('SELECT name, body FROM events_buses WHERE account_id = ? AND region = ?', [accountId, region]);
    return rows.map((r) => ({ name: r.name, ...(JSON.parse(r.body) as Omit<StoredBus, 'name'>) })).sort((a, b) => byCodePoint(a.name, b.name));
  }

  async deleteBus({ accountId, region }: EventsScope, name: string): Promise<void> {
    const key = [accountId, region, name];
    await this.#sql.run('DELETE FROM events_targets WHERE account_id = ? AND region = ? AND bus_name = ?', key);
    await this.#sql.run('DELETE FROM events_rules WHERE account_id = ? AND region = ? AND bus_name = ?', key);
    await this.#sql.run('DELETE FROM events_buses WHERE account_id = ? AND region = ? AND name = ?', key);
  }

  async updateBusTags(scope: EventsScope, name: string, tags: Tag[]): Promise<void> {
    const bus = await this.getBus(scope, name);
    if (!bus) return;
    const { name: _name, ...body } = { ...bus, tags };
    await this.#sql.run('UPDATE events_buses SET body = ? WHERE account_id = ? AND region = ? AND name = ?', [JSON.stringify(body), scope.accountId, scope.region, name]);
  }

  async putRule({ accountId, region }: EventsScope, rule: StoredRule): Promise<void> {
    const { busName, name, lastTickMs, ...body } = rule;
    await this.#sql.run(`INSERT INTO events_rules (account_id, region, bus_name, name, body, scheduled, last_tick_ms) VALUES (?, ?, ?, ?, ?, ?, ?)
      ON CONFLICT (account_id, region, bus_name, name) DO UPDATE SET body = excluded.body, scheduled = excluded.scheduled,
        last_tick_ms = CASE WHEN excluded.last_tick_ms > events_rules.last_tick_ms THEN excluded.last_tick_ms ELSE events_rules.last_tick_ms END`,
    [accountId, region, busName, name, JSON.stringify(body), rule.scheduleExpression ? 1 : 0, lastTickMs]);
  }

  async getRule({ accountId, region }: EventsScope, busName: string, name: string): Promise<StoredRule | undefined> {
    const row = await this.#sql.get<RuleRow>(`SELECT ${RULE_COLUMNS} FROM events_rules WHERE account_id = ? AND region = ? AND bus_name = ? AND name = ?`,
      [accountId, region, busName, name]);
    return row && ruleFromRow(row);
  }

  async listRules({ accountId, region }: EventsScope, busName: string): Promise<StoredRule[]> {
    const rows = await this.#sql.all<RuleRow>(`SELECT ${RULE_COLUMNS} FROM events_rules WHERE account_id = ? AND region = ? AND bus_name = ?`, [accountId, region, busName]);
    return rows.map(ruleFromRow).sort((a, b) => byCodePoint(a.name, b.name));
  }

  async deleteRule({ accountId, region }: EventsScope, busName: string, name: string): Promise<void> {
    const key = [accountId, region, busName, name];
    await this.#sql.run('DELETE FROM events_targets WHERE account_id = ? AND region = ? AND bus_name = ? AND rule_name = ?', key);
    await this.#sql.run('DELETE FROM events_rules WHERE account_id = ? AND region = ? AND bus_name = ? AND name = ?', key);
  }

  async scheduledRules(): Promise<ScheduledRule[]> {
    const rows = await this.#sql.all<RuleRow>(`SELECT ${RULE_COLUMNS} FROM events_rules WHERE scheduled = 1`);
    return rows.map((r) => ({ ...ruleFromRow(r), scope: { accountId: r.account_id, region: r.region } }));
  }

  async claimTick({ accountId, region }: EventsScope, busName: string, name: string, tickMs: number): Promise<boolean> {
    return (await this.#sql.run('UPDATE events_rules SET last_tick_ms = ? WHERE account_id = ? AND region = ? AND bus_name = ? AND name = ? AND last_tick_ms < ?',
      [tickMs, accountId, region, busName, name, tickMs])) === 1;
  }

  async putTargets({ accountId, region }: EventsScope, busName: string, ruleName: string, targets: StoredTarget[]): Promise<void> {
    for (const t of targets) {
      await this.#sql.run(`INSERT INTO events_targets (account_id, region, bus_name, rule_name, target_id, body) VALUES (?, ?, ?, ?, ?, ?)
        ON CONFLICT (account_id, region, bus_name, rule_name, target_id) DO UPDATE SET body = excluded.body`,
      [accountId, region, busName, ruleName, t.Id, JSON.stringify(t)]);
    }
  }

  async removeTargets({ accountId, region }: EventsScope, busName: string, ruleName: string, ids: string[]): Promise<void> {
    for (const id of ids) {
      await this.#sql.run('DELETE FROM events_targets WHERE account_id = ? AND region = ? AND bus_name = ? AND rule_name = ? AND target_id = ?',
        [accountId, region, busName, ruleName, id]);
    }
  }

  async listTargets({ accountId, region }: EventsScope, busName: string, ruleName: string): Promise<StoredTarget[]> {
    const rows = await this.#sql.all<{ body: string }>('SELECT body FROM events_targets WHERE account_id = ? AND region = ? AND bus_name = ? AND rule_name = ?',
      [accountId, region, busName, ruleName]);
    return rows.map((r) => JSON.parse(r.body) as StoredTarget).sort((a, b) => byCodePoint(a.Id, b.Id));
  }

  async listBusTargets({ accountId, region }: EventsScope, busName: string): Promise<{ ruleName: string; target: StoredTarget }[]> {
    const rows = await this.#sql.all<{ rule_name: string; body: string }>('SELECT rule_name, body FROM events_targets WHERE account_id = ? AND region = ? AND bus_name = ?',
      [accountId, region, busName]);
    return rows.map((r) => ({ ruleName: r.rule_name, target: JSON.parse(r.body) as StoredTarget }))
      .sort((a, b) => byCodePoint(a.ruleName, b.ruleName) || byCodePoint(a.target.Id, b.target.Id));
  }

  async enqueueRetry(retry: TargetRetry): Promise<void> {
    await this.#sql.run('INSERT INTO events_target_retries (id, due_ms, attempts, body) VALUES (?, ?, ?, ?)', [retry.id, retry.dueMs, retry.attempts, retry.body]);
  }

  async claimDueRetries(nodeId: string, nowMs: number, leaseUntilMs: number, limit: number, skip: ReadonlySet<string>): Promise<TargetRetry[]> {
    return (await this.#retries.claimDue(nodeId, nowMs, leaseUntilMs, limit, skip)).map(retryFromRow);
  }

  nextRetryDueMs(nodeId: string, skip: ReadonlySet<string>): Promise<number | undefined> {
    return this.#retries.nextDueMs(nodeId, skip);
  }

  rescheduleRetry(id: string, dueMs: number, attempts: number): Promise<void> {
    return this.#retries.reschedule(id, dueMs, attempts);
  }

  completeRetry(id: string): Promise<void> {
    return this.#retries.complete(id);
  }
}
