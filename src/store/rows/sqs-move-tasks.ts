// SQS message move tasks over SQL both backends speak. A running task is held by the node whose
// lease is current; a partial unique index keeps one running task per source queue.
import type { MoveTaskStatus, MoveTaskStore, StoredMoveTask } from '../sqs-store.js';
import type { SqlRunner } from './metric-filters.js';

interface TaskRow {
  task_id: string; source_arn: string; destination_arn: string | null; max_per_second: number | string | null; status: string;
  moved: number | string; to_move: number | string; failure_reason: string | null; started_ms: number | string;
}

const COLUMNS = 'task_id, source_arn, destination_arn, max_per_second, status, moved, to_move, failure_reason, started_ms';

const toTask = (r: TaskRow): StoredMoveTask => ({
  taskId: r.task_id, sourceArn: r.source_arn, status: r.status as MoveTaskStatus, moved: Number(r.moved), toMove: Number(r.to_move), startedMs: Number(r.started_ms),
  ...(r.destination_arn !== null ? { destinationArn: r.destination_arn } : {}),
  ...(r.max_per_second !== null ? { maxPerSecond: Number(r.max_per_second) } : {}),
  ...(r.failure_reason !== null ? { failureReason: r.failure_reason } : {}),
});

export class SqlMoveTaskStore implements MoveTaskStore {
  constructor(private readonly db: SqlRunner) {}

  async create(t: StoredMoveTask, leaseUntilMs: number): Promise<boolean> {
    return (await this.db.run(`INSERT INTO sqs_move_tasks (${COLUMNS}, node_id, lease_until_ms) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, NULL, ?) ON CONFLICT DO NOTHING`,
      [t.taskId, t.sourceArn, t.destinationArn ?? null, t.maxPerSecond ?? null, t.status, t.moved, t.toMove, t.failureReason ?? null, t.startedMs, leaseUntilMs])) === 1;
  }

  async get(taskId: string): Promise<StoredMoveTask | undefined> {
    const row = await this.db.get<TaskRow>(`SELECT ${COLUMNS} FROM sqs_move_tasks WHERE task_id = ?`, [taskId]);
    return row ? toTask(row) : undefined;
  }

  async list(sourceArn: string, limit: number): Promise<StoredMoveTask[]> {
    return (await this.db.all<TaskRow>(`SELECT ${COLUMNS} FROM sqs_move_tasks WHERE source_arn = ? ORDER BY started_ms DESC, task_id LIMIT ?`, [sourceArn, limit])).map(toTask);
  }

  async claim(nodeId: string, nowMs: number, leaseUntilMs: number): Promise<StoredMoveTask | undefined> {
    const due = await this.db.all<TaskRow & { lease_until_ms: number | string }>(
      `SELECT ${COLUMNS}, lease_until_ms FROM sqs_move_tasks WHERE status = 'RUNNING' AND (lease_until_ms <= ? OR node_id = ?) ORDER BY started_ms LIMIT 5`, [nowMs, nodeId]);
    for (const row of due) {
      const won = await this.db.run(`UPDATE sqs_move_tasks SET node_id = ?, lease_until_ms = ? WHERE task_id = ? AND status = 'RUNNING' AND lease_until_ms = ?`,
        [nodeId, leaseUntilMs, row.task_id, row.lease_until_ms]);
      if (won === 1) return toTask(row);
    }
    return undefined;
  }

  async update(taskId: string, nodeId: string, moved: number, status: MoveTaskStatus, leaseUntilMs: number, failureReason?: string): Promise<boolean> {
    return (await this.db.run(`UPDATE sqs_move_tasks SET moved = ?, status = ?, lease_until_ms = ?, failure_reason = ? WHERE task_id = ? AND node_id = ? AND status = 'RUNNING'`,
      [moved, status, leaseUntilMs, failureReason ?? null, taskId, nodeId])) === 1;
  }

  async cancel(taskId: string): Promise<boolean> {
    return (await this.db.run(`UPDATE sqs_move_tasks SET status = 'CANCELLED' WHERE task_id = ? AND status = 'RUNNING'`, [taskId])) === 1;
  }
}
