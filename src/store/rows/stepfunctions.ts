// The SfnStore over SQL both backends speak (SQLite through sqliteRunner, PostgreSQL's pool as is).
// Machines and executions are JSON bodies under their ARNs; an execution's lease is claimed with a
// conditional UPDATE, so of several nodes exactly one resumes a RUNNING execution.
import type { ExecutionStatus, SfnStore, StoredExecution, StoredHistoryEvent, StoredStateMachine } from '../stepfunctions-store.js';
import type { SqlRunner } from './metric-filters.js';

type ExecRow = { arn: string; state_machine_arn: string; status: string; start_ms: number | string; body: string };
type ExecBody = Omit<StoredExecution, 'arn' | 'stateMachineArn' | 'status' | 'startMs'>;

const execFromRow = (r: ExecRow): StoredExecution => ({
  ...(JSON.parse(r.body) as ExecBody), arn: r.arn, stateMachineArn: r.state_machine_arn, status: r.status as ExecutionStatus, startMs: Number(r.start_ms),
});
const execBody = ({ arn: _a, stateMachineArn: _s, status: _t, startMs: _m, ...body }: StoredExecution): string => JSON.stringify(body);
const EXEC_COLUMNS = 'arn, state_machine_arn, status, start_ms, body';
const TAKEABLE = '(claimed_by IS NULL OR claimed_by = ? OR lease_until_ms < ?)';
const byCodePoint = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

export class SqlSfnStore implements SfnStore {
  constructor(private readonly sql: SqlRunner) {}

  async createStateMachine(sm: StoredStateMachine): Promise<boolean> {
    return (await this.sql.run('INSERT INTO sfn_state_machines (arn, account_id, region, name, body) VALUES (?, ?, ?, ?, ?) ON CONFLICT DO NOTHING',
      [sm.arn, sm.accountId, sm.region, sm.name, JSON.stringify(sm)])) === 1;
  }

  async getStateMachine(arn: string): Promise<StoredStateMachine | undefined> {
    const row = await this.sql.get<{ body: string }>('SELECT body FROM sfn_state_machines WHERE arn = ?', [arn]);
    return row && (JSON.parse(row.body) as StoredStateMachine);
  }

  async listStateMachines(accountId: string, region: string): Promise<StoredStateMachine[]> {
    const rows = await this.sql.all<{ body: string }>('SELECT body FROM sfn_state_machines WHERE account_id = ? AND region = ?', [accountId, region]);
    return rows.map((r) => JSON.parse(r.body) as StoredStateMachine).sort((a, b) => byCodePoint(a.name, b.name));
  }

  async updateStateMachine(sm: StoredStateMachine): Promise<void> {
    await this.sql.run('UPDATE sfn_state_machines SET body = ? WHERE arn = ?', [JSON.stringify(sm), sm.arn]);
  }

  async deleteStateMachine(arn: string): Promise<void> {
    await this.sql.run('DELETE FROM sfn_state_machines WHERE arn = ?', [arn]);
  }

  async createExecution(e: StoredExecution, nodeId: string, leaseUntilMs: number): Promise<boolean> {
    return (await this.sql.run(`INSERT INTO sfn_executions (${EXEC_COLUMNS}, claimed_by, lease_until_ms) VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING`,
      [e.arn, e.stateMachineArn, e.status, e.startMs, execBody(e), nodeId, leaseUntilMs])) === 1;
  }

  async getExecution(arn: string): Promise<StoredExecution | undefined> {
    const row = await this.sql.get<ExecRow>(`SELECT ${EXEC_COLUMNS} FROM sfn_executions WHERE arn = ?`, [arn]);
    return row && execFromRow(row);
  }

  async listExecutions(stateMachineArn: string, status?: ExecutionStatus): Promise<StoredExecution[]> {
    const rows = status
      ? await this.sql.all<ExecRow>(`SELECT ${EXEC_COLUMNS} FROM sfn_executions WHERE state_machine_arn = ? AND status = ? ORDER BY start_ms DESC, arn DESC`, [stateMachineArn, status])
      : await this.sql.all<ExecRow>(`SELECT ${EXEC_COLUMNS} FROM sfn_executions WHERE state_machine_arn = ? ORDER BY start_ms DESC, arn DESC`, [stateMachineArn]);
    return rows.map(execFromRow);
  }

  async updateExecution(e: StoredExecution): Promise<boolean> {
    const release = e.status === 'RUNNING' ? '' : ', claimed_by = NULL, lease_until_ms = NULL';
    return (await this.sql.run(`UPDATE sfn_executions SET status = ?, body = ?${release} WHERE arn = ? AND status = 'RUNNING'`, [e.status, execBody(e), e.arn])) === 1;
  }

  async appendHistory(executionArn: string, events: StoredHistoryEvent[]): Promise<void> {
    for (const ev of events) {
      await this.sql.run('INSERT INTO sfn_history (execution_arn, event_id, body) VALUES (?, ?, ?) ON CONFLICT DO NOTHING', [executionArn, ev.id, JSON.stringify(ev)]);
    }
  }

  async history(executionArn: string): Promise<StoredHistoryEvent[]> {
    const rows = await this.sql.all<{ body: string }>('SELECT body FROM sfn_history WHERE execution_arn = ? ORDER BY event_id', [executionArn]);
    return rows.map((r) => JSON.parse(r.body) as StoredHistoryEvent);
  }

  async claimRunning(nodeId: string, nowMs: number, leaseUntilMs: number): Promise<StoredExecution[]> {
    const candidates = await this.sql.all<ExecRow>(`SELECT ${EXEC_COLUMNS} FROM sfn_executions WHERE status = 'RUNNING' AND ${TAKEABLE} ORDER BY start_ms`, [nodeId, nowMs]);
    const claimed: StoredExecution[] = [];
    for (const row of candidates) {
      const won = await this.sql.run(`UPDATE sfn_executions SET claimed_by = ?, lease_until_ms = ? WHERE arn = ? AND status = 'RUNNING' AND ${TAKEABLE}`,
        [nodeId, leaseUntilMs, row.arn, nodeId, nowMs]);
      if (won === 1) claimed.push(execFromRow(row));
    }
    return claimed;
  }

  async renewLeases(nodeId: string, leaseUntilMs: number): Promise<void> {
    await this.sql.run("UPDATE sfn_executions SET lease_until_ms = ? WHERE claimed_by = ? AND status = 'RUNNING'", [leaseUntilMs, nodeId]);
  }

  async releaseLeases(nodeId: string): Promise<void> {
    await this.sql.run('UPDATE sfn_executions SET claimed_by = NULL, lease_until_ms = NULL WHERE claimed_by = ?', [nodeId]);
  }
}
