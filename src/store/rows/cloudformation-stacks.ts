// The CloudFormationStacksStore over SQL both backends speak (SQLite through sqliteRunner,
// PostgreSQL's pool as is). A stack's status changes in one conditional UPDATE (`AND status IN …`),
// so of two operations started at once on one stack (on any nodes) exactly one wins; creating a
// stack checks for a live one of the name under `serialize` (PostgreSQL: an advisory lock).
import { IN_PROGRESS } from '../cloudformation-stacks-store.js';
import type {
  CloudFormationStacksStore, OnFailure, StackChanges, StackEventRecord, StackScope, StackStatus, StoredChangeSet, StoredStack,
} from '../cloudformation-stacks-store.js';
import type { SqlRunner } from './metric-filters.js';
import type { SerializeByKey } from './insights-queries.js';

interface StackRow {
  stack_id: string;
  account_id: string;
  region: string;
  stack_name: string;
  status: string;
  status_reason: string | null;
  description: string | null;
  template_body: string;
  parameters: string;
  outputs: string;
  resources: string;
  tags: string;
  capabilities: string;
  termination_protection: number | string;
  on_failure: string | null;
  stable_state: string | null;
  created_ms: number | string;
  updated_ms: number | string | null;
  deleted_ms: number | string | null;
  node_id: string;
}

interface EventRow {
  event_id: string;
  stack_id: string;
  timestamp_ms: number | string;
  logical_id: string;
  physical_id: string | null;
  resource_type: string;
  status: string;
  status_reason: string | null;
}

interface ChangeSetRow {
  change_set_id: string;
  stack_id: string;
  name: string;
  change_set_type: string;
  status: string;
  status_reason: string | null;
  execution_status: string;
  description: string | null;
  template_body: string;
  parameters: string;
  tags: string;
  capabilities: string;
  on_stack_failure: string | null;
  changes: string;
  created_ms: number | string;
}

const optional = (v: string | null) => (v === null ? undefined : v);
const optionalMs = (v: number | string | null) => (v === null ? undefined : Number(v));

const stackOf = (r: StackRow): StoredStack => ({
  stackId: r.stack_id,
  scope: { accountId: r.account_id, region: r.region },
  stackName: r.stack_name,
  status: r.status as StackStatus,
  statusReason: optional(r.status_reason),
  description: optional(r.description),
  templateBody: r.template_body,
  parameters: JSON.parse(r.parameters) as StoredStack['parameters'],
  outputs: JSON.parse(r.outputs) as StoredStack['outputs'],
  resources: JSON.parse(r.resources) as StoredStack['resources'],
  tags: JSON.parse(r.tags) as StoredStack['tags'],
  capabilities: JSON.parse(r.capabilities) as string[],
  terminationProtection: Number(r.termination_protection) === 1,
  onFailure: optional(r.on_failure) as OnFailure | undefined,
  stableState: r.stable_state === null ? undefined : JSON.parse(r.stable_state) as StoredStack['stableState'],
  createdMs: Number(r.created_ms),
  updatedMs: optionalMs(r.updated_ms),
  deletedMs: optionalMs(r.deleted_ms),
  nodeId: r.node_id,
});

const changeSetOf = (r: ChangeSetRow): StoredChangeSet => ({
  changeSetId: r.change_set_id,
  stackId: r.stack_id,
  name: r.name,
  type: r.change_set_type as StoredChangeSet['type'],
  status: r.status as StoredChangeSet['status'],
  statusReason: optional(r.status_reason),
  executionStatus: r.execution_status as StoredChangeSet['executionStatus'],
  description: optional(r.description),
  templateBody: r.template_body,
  parameters: JSON.parse(r.parameters) as StoredChangeSet['parameters'],
  tags: JSON.parse(r.tags) as StoredChangeSet['tags'],
  capabilities: JSON.parse(r.capabilities) as string[],
  onStackFailure: optional(r.on_stack_failure) as OnFailure | undefined,
  changes: r.changes,
  createdMs: Number(r.created_ms),
});

/** Column for each StackChanges field; JSON ones are stored as text, flags as 0 or 1. */
const STACK_COLUMNS: Record<keyof StackChanges, { column: string; json?: boolean; flag?: boolean }> = {
  status: { column: 'status' },
  statusReason: { column: 'status_reason' },
  description: { column: 'description' },
  templateBody: { column: 'template_body' },
  parameters: { column: 'parameters', json: true },
  outputs: { column: 'outputs', json: true },
  resources: { column: 'resources', json: true },
  tags: { column: 'tags', json: true },
  capabilities: { column: 'capabilities', json: true },
  terminationProtection: { column: 'termination_protection', flag: true },
  onFailure: { column: 'on_failure' },
  stableState: { column: 'stable_state', json: true },
  updatedMs: { column: 'updated_ms' },
  deletedMs: { column: 'deleted_ms' },
  nodeId: { column: 'node_id' },
};

const CHANGE_SET_COLUMNS = { status: 'status', statusReason: 'status_reason', executionStatus: 'execution_status' } as const;

/** `SET a = ?, b = ?` and its values for the fields given (undefined clears a column). */
function assignments<K extends string>(changes: Partial<Record<K, unknown>>, columns: Record<K, { column: string; json?: boolean; flag?: boolean }>): { set: string; values: unknown[] } {
  const keys = (Object.keys(changes) as K[]).filter((k) => k in columns);
  return {
    set: keys.map((k) => `${columns[k].column} = ?`).join(', '),
    values: keys.map((k) => (columns[k].flag ? (changes[k] ? 1 : 0) : changes[k] === undefined ? null : columns[k].json ? JSON.stringify(changes[k]) : changes[k])),
  };
}

const inList = (values: readonly string[]) => values.map(() => '?').join(', ');

export class SqlCloudFormationStacksStore implements CloudFormationStacksStore {
  readonly #sql: SqlRunner;
  readonly #serialize: SerializeByKey;

  constructor(sql: SqlRunner, serialize?: SerializeByKey) {
    this.#sql = sql;
    this.#serialize = serialize ?? ((_key, fn) => fn(sql));
  }

  async create(s: StoredStack): Promise<boolean> {
    const params = [s.stackId, s.scope.accountId, s.scope.region, s.stackName, s.status, s.statusReason ?? null, s.description ?? null, s.templateBody,
      JSON.stringify(s.parameters), JSON.stringify(s.outputs), JSON.stringify(s.resources), JSON.stringify(s.tags), JSON.stringify(s.capabilities),
      s.terminationProtection ? 1 : 0, s.onFailure ?? null, s.stableState === undefined ? null : JSON.stringify(s.stableState), s.createdMs, s.updatedMs ?? null,
      s.deletedMs ?? null, s.nodeId, s.scope.accountId, s.scope.region, s.stackName];
    const inserted = await this.#serialize(`cloudformation-stacks:${s.scope.accountId}:${s.scope.region}:${s.stackName}`, (sql) => sql.run(
      `INSERT INTO cloudformation_stacks (stack_id, account_id, region, stack_name, status, status_reason, description, template_body,
         parameters, outputs, resources, tags, capabilities, termination_protection, on_failure, stable_state, created_ms, updated_ms, deleted_ms, node_id)
       SELECT ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?
       WHERE NOT EXISTS (SELECT 1 FROM cloudformation_stacks WHERE account_id = ? AND region = ? AND stack_name = ? AND status <> 'DELETE_COMPLETE')`,
      params));
    return inserted > 0;
  }

  async get(scope: StackScope, nameOrId: string): Promise<StoredStack | undefined> {
    const row = nameOrId.startsWith('arn:')
      ? await this.#sql.get<StackRow>('SELECT * FROM cloudformation_stacks WHERE account_id = ? AND region = ? AND stack_id = ?', [scope.accountId, scope.region, nameOrId])
      : await this.#sql.get<StackRow>(`SELECT * FROM cloudformation_stacks WHERE account_id = ? AND region = ? AND stack_name = ? AND status <> 'DELETE_COMPLETE'`,
        [scope.accountId, scope.region, nameOrId]);
    return row && stackOf(row);
  }

  async list(scope: StackScope): Promise<StoredStack[]> {
    const rows = await this.#sql.all<StackRow>('SELECT * FROM cloudformation_stacks WHERE account_id = ? AND region = ? ORDER BY created_ms DESC, stack_id',
      [scope.accountId, scope.region]);
    return rows.map(stackOf);
  }

  async update(stackId: string, changes: StackChanges, whenStatus?: readonly StackStatus[]): Promise<boolean> {
    const { set, values } = assignments(changes, STACK_COLUMNS);
    if (!set) return true;
    const condition = whenStatus ? ` AND status IN (${inList(whenStatus)})` : '';
    return (await this.#sql.run(`UPDATE cloudformation_stacks SET ${set} WHERE stack_id = ?${condition}`, [...values, stackId, ...(whenStatus ?? [])])) > 0;
  }

  async remove(stackId: string): Promise<void> {
    await this.#sql.run('DELETE FROM cloudformation_change_sets WHERE stack_id = ?', [stackId]);
    await this.#sql.run('DELETE FROM cloudformation_stack_events WHERE stack_id = ?', [stackId]);
    await this.#sql.run('DELETE FROM cloudformation_stacks WHERE stack_id = ?', [stackId]);
  }

  async addEvent(e: StackEventRecord): Promise<void> {
    await this.#sql.run(
      `INSERT INTO cloudformation_stack_events (event_id, stack_id, seq, timestamp_ms, logical_id, physical_id, resource_type, status, status_reason)
       SELECT ?, ?, COALESCE(MAX(seq), 0) + 1, ?, ?, ?, ?, ?, ? FROM cloudformation_stack_events WHERE stack_id = ?`,
      [e.eventId, e.stackId, e.timestampMs, e.logicalId, e.physicalId ?? null, e.resourceType, e.status, e.statusReason ?? null, e.stackId]);
  }

  async events(stackId: string): Promise<StackEventRecord[]> {
    const rows = await this.#sql.all<EventRow>('SELECT * FROM cloudformation_stack_events WHERE stack_id = ? ORDER BY seq DESC', [stackId]);
    return rows.map((r) => ({
      eventId: r.event_id, stackId: r.stack_id, timestampMs: Number(r.timestamp_ms), logicalId: r.logical_id, physicalId: optional(r.physical_id),
      resourceType: r.resource_type, status: r.status, statusReason: optional(r.status_reason),
    }));
  }

  async inProgressOf(nodeId: string): Promise<StoredStack[]> {
    const rows = await this.#sql.all<StackRow>(`SELECT * FROM cloudformation_stacks WHERE node_id = ? AND status IN (${inList(IN_PROGRESS)}) ORDER BY created_ms`, [nodeId, ...IN_PROGRESS]);
    return rows.map(stackOf);
  }

  async putChangeSet(c: StoredChangeSet): Promise<void> {
    await this.#sql.run(
      `INSERT INTO cloudformation_change_sets (change_set_id, stack_id, name, change_set_type, status, status_reason, execution_status, description,
         template_body, parameters, tags, capabilities, on_stack_failure, changes, created_ms) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      [c.changeSetId, c.stackId, c.name, c.type, c.status, c.statusReason ?? null, c.executionStatus, c.description ?? null, c.templateBody,
        JSON.stringify(c.parameters), JSON.stringify(c.tags), JSON.stringify(c.capabilities), c.onStackFailure ?? null, c.changes, c.createdMs]);
  }

  async getChangeSet(stackId: string | undefined, nameOrArn: string): Promise<StoredChangeSet | undefined> {
    const row = nameOrArn.startsWith('arn:')
      ? await this.#sql.get<ChangeSetRow>('SELECT * FROM cloudformation_change_sets WHERE change_set_id = ?', [nameOrArn])
      : stackId === undefined ? undefined
        : await this.#sql.get<ChangeSetRow>('SELECT * FROM cloudformation_change_sets WHERE stack_id = ? AND name = ?', [stackId, nameOrArn]);
    return row && changeSetOf(row);
  }

  async listChangeSets(stackId: string): Promise<StoredChangeSet[]> {
    return (await this.#sql.all<ChangeSetRow>('SELECT * FROM cloudformation_change_sets WHERE stack_id = ? ORDER BY created_ms, name', [stackId])).map(changeSetOf);
  }

  async updateChangeSet(changeSetId: string, changes: Partial<Pick<StoredChangeSet, 'status' | 'statusReason' | 'executionStatus'>>): Promise<void> {
    const columns = Object.fromEntries(Object.entries(CHANGE_SET_COLUMNS).map(([k, column]) => [k, { column }])) as Record<keyof typeof CHANGE_SET_COLUMNS, { column: string }>;
    const { set, values } = assignments(changes, columns);
    if (set) await this.#sql.run(`UPDATE cloudformation_change_sets SET ${set} WHERE change_set_id = ?`, [...values, changeSetId]);
  }

  async deleteChangeSet(changeSetId: string): Promise<void> {
    await this.#sql.run('DELETE FROM cloudformation_change_sets WHERE change_set_id = ?', [changeSetId]);
  }
}
