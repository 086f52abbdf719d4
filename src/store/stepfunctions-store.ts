// Step Functions' state: state machines, executions and their history events. A RUNNING execution
// is held by one node at a time through a lease on its row (claimed_by, lease_until_ms): the node
// that runs it renews the lease, and when a node dies another claims the execution once it runs out.

export interface SfnTag {
  key: string;
  value: string;
}

export interface StoredStateMachine {
  arn: string;
  accountId: string;
  region: string;
  name: string;
  definition: string;
  roleArn: string;
  type: 'STANDARD' | 'EXPRESS';
  createdMs: number;
  updatedMs?: number;
  revisionId?: string;
  description?: string;
  loggingConfiguration?: unknown;
  tracingConfiguration?: unknown;
  tags: SfnTag[];
}

export type ExecutionStatus = 'RUNNING' | 'SUCCEEDED' | 'FAILED' | 'TIMED_OUT' | 'ABORTED';

export interface StoredExecution {
  arn: string;
  stateMachineArn: string;
  name: string;
  status: ExecutionStatus;
  input: string;
  startMs: number;
  stopMs?: number;
  output?: string;
  error?: string;
  cause?: string;
  /** Where a resumed run starts again: the top-level state and its input (JSON, src/stepfunctions/runner.ts). */
  checkpoint?: string;
}

export interface StoredHistoryEvent {
  id: number;
  previousEventId: number;
  timestampMs: number;
  type: string;
  /** The event's details member (e.g. `taskSucceededEventDetails`) and its value. */
  details?: Record<string, unknown>;
}

export interface SfnStore {
  /** False when a state machine of that ARN exists. */
  createStateMachine(sm: StoredStateMachine): Promise<boolean>;
  getStateMachine(arn: string): Promise<StoredStateMachine | undefined>;
  /** The account's and region's state machines, by name (code-point order). */
  listStateMachines(accountId: string, region: string): Promise<StoredStateMachine[]>;
  updateStateMachine(sm: StoredStateMachine): Promise<void>;
  deleteStateMachine(arn: string): Promise<void>;
  /** False when an execution of that ARN exists. The creator holds its lease until `leaseUntilMs`. */
  createExecution(e: StoredExecution, nodeId: string, leaseUntilMs: number): Promise<boolean>;
  getExecution(arn: string): Promise<StoredExecution | undefined>;
  /** A state machine's executions, newest first. */
  listExecutions(stateMachineArn: string, status?: ExecutionStatus): Promise<StoredExecution[]>;
  /**
   * Writes a RUNNING execution's status, output and checkpoint (a finished one lets go of its lease);
   * false when it is no longer RUNNING (stopped, or finished, meanwhile): it is then left as it is.
   */
  updateExecution(e: StoredExecution): Promise<boolean>;
  appendHistory(executionArn: string, events: StoredHistoryEvent[]): Promise<void>;
  /** The execution's events, by id. */
  history(executionArn: string): Promise<StoredHistoryEvent[]>;
  /** RUNNING executions free, held by this node, or whose lease ran out: claimed for `nodeId` until `leaseUntilMs`. */
  claimRunning(nodeId: string, nowMs: number, leaseUntilMs: number): Promise<StoredExecution[]>;
  /** Extends this node's leases on the executions it runs. */
  renewLeases(nodeId: string, leaseUntilMs: number): Promise<void>;
  /** Lets go of this node's leases (at shutdown): another node may resume them at once. */
  releaseLeases(nodeId: string): Promise<void>;
}
