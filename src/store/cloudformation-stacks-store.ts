// CloudFormation stacks run on the server (src/cloudformation/stack-operations.ts): each stack's
// template, parameters, status, outputs and resources, its events, and its change sets. Scoped by
// account and region. A stack is kept after DELETE_COMPLETE (DescribeStacks by its ID and
// ListStacks still show it, as CloudFormation does); its name is free again for a new stack.

export type StackStatus =
  | 'REVIEW_IN_PROGRESS' | 'CREATE_IN_PROGRESS' | 'CREATE_COMPLETE' | 'CREATE_FAILED'
  | 'UPDATE_IN_PROGRESS' | 'UPDATE_COMPLETE_CLEANUP_IN_PROGRESS' | 'UPDATE_COMPLETE' | 'UPDATE_FAILED'
  | 'DELETE_IN_PROGRESS' | 'DELETE_COMPLETE' | 'DELETE_FAILED'
  | 'ROLLBACK_IN_PROGRESS' | 'ROLLBACK_COMPLETE' | 'ROLLBACK_FAILED'
  | 'UPDATE_ROLLBACK_IN_PROGRESS' | 'UPDATE_ROLLBACK_COMPLETE_CLEANUP_IN_PROGRESS' | 'UPDATE_ROLLBACK_COMPLETE' | 'UPDATE_ROLLBACK_FAILED';

/** What a failed create does (CreateStack's OnFailure; DisableRollback is DO_NOTHING); a failed update rolls back unless DO_NOTHING. */
export type OnFailure = 'ROLLBACK' | 'DELETE' | 'DO_NOTHING';

/** The stack as its last successful operation left it: what a failed update rolls back to. */
export interface StableState {
  templateBody: string;
  description?: string;
  parameters: KeyValue[];
  tags: KeyValue[];
  capabilities: string[];
}

export interface StackScope {
  accountId: string;
  region: string;
}

export interface KeyValue {
  key: string;
  value: string;
}

export interface StackOutputRecord {
  key: string;
  value: string;
  description?: string;
  exportName?: string;
}

export interface StackResourceRecord {
  logicalId: string;
  physicalId?: string;
  type: string;
  status: string;
  statusReason?: string;
  updatedMs: number;
}

export interface StoredStack {
  stackId: string;
  scope: StackScope;
  stackName: string;
  status: StackStatus;
  statusReason?: string;
  description?: string;
  templateBody: string;
  parameters: KeyValue[];
  outputs: StackOutputRecord[];
  resources: StackResourceRecord[];
  tags: KeyValue[];
  capabilities: string[];
  /** EnableTerminationProtection: DeleteStack is refused while it is on. */
  terminationProtection?: boolean;
  /** The failure option of the stack's last create or update (undefined: ROLLBACK); DescribeStacks' DisableRollback is DO_NOTHING. */
  onFailure?: OnFailure;
  /** Set when an update starts from a stable status; a rollback redeploys it. */
  stableState?: StableState;
  createdMs: number;
  updatedMs?: number;
  deletedMs?: number;
  /** The node that runs (or last ran) an operation on it. */
  nodeId: string;
}

export interface StackEventRecord {
  eventId: string;
  stackId: string;
  timestampMs: number;
  logicalId: string;
  physicalId?: string;
  resourceType: string;
  status: string;
  statusReason?: string;
}

export interface StoredChangeSet {
  changeSetId: string;
  stackId: string;
  name: string;
  type: 'CREATE' | 'UPDATE';
  status: 'CREATE_COMPLETE' | 'FAILED' | 'DELETE_COMPLETE';
  statusReason?: string;
  executionStatus: 'AVAILABLE' | 'UNAVAILABLE' | 'EXECUTE_IN_PROGRESS' | 'EXECUTE_COMPLETE' | 'EXECUTE_FAILED' | 'OBSOLETE';
  description?: string;
  templateBody: string;
  parameters: KeyValue[];
  tags: KeyValue[];
  capabilities: string[];
  /** CreateChangeSet's OnStackFailure (a CREATE change set's failure option). */
  onStackFailure?: OnFailure;
  /** JSON of the ResourceChange list DescribeChangeSet answers. */
  changes: string;
  createdMs: number;
}

/** The statuses of a stack an operation is running on. */
export const IN_PROGRESS: readonly StackStatus[] = [
  'CREATE_IN_PROGRESS', 'UPDATE_IN_PROGRESS', 'UPDATE_COMPLETE_CLEANUP_IN_PROGRESS', 'DELETE_IN_PROGRESS', 'ROLLBACK_IN_PROGRESS', 'UPDATE_ROLLBACK_IN_PROGRESS', 'UPDATE_ROLLBACK_COMPLETE_CLEANUP_IN_PROGRESS',
];

/** What the fields a stack's update may change. */
export type StackChanges = Partial<Pick<StoredStack, 'status' | 'statusReason' | 'description' | 'templateBody' | 'parameters' | 'outputs' | 'resources' | 'tags' | 'capabilities' | 'terminationProtection' | 'onFailure' | 'stableState' | 'updatedMs' | 'deletedMs' | 'nodeId'>>;

export interface CloudFormationStacksStore {
  /** Adds a stack; false (nothing added) when the scope has a stack of that name that is not DELETE_COMPLETE. */
  create(stack: StoredStack): Promise<boolean>;
  /** By stack ID (deleted ones too) or by name (the one not deleted). */
  get(scope: StackScope, nameOrId: string): Promise<StoredStack | undefined>;
  /** The scope's stacks, deleted ones too, newest first. */
  list(scope: StackScope): Promise<StoredStack[]>;
  /**
   * Changes a stack; with `whenStatus`, only while its status is one of them (one operation at a
   * time: the check and the write are one statement). False when nothing changed.
   */
  update(stackId: string, changes: StackChanges, whenStatus?: readonly StackStatus[]): Promise<boolean>;
  /** Removes a stack and everything of it (a REVIEW_IN_PROGRESS stack whose change set is deleted). */
  remove(stackId: string): Promise<void>;
  addEvent(event: StackEventRecord): Promise<void>;
  /** A stack's events, newest first. */
  events(stackId: string): Promise<StackEventRecord[]>;
  /** The stacks of `nodeId` with an operation running (at start: the node stopped during them). */
  inProgressOf(nodeId: string): Promise<StoredStack[]>;
  putChangeSet(changeSet: StoredChangeSet): Promise<void>;
  /** By ARN, or by name within the stack. */
  getChangeSet(stackId: string | undefined, nameOrArn: string): Promise<StoredChangeSet | undefined>;
  listChangeSets(stackId: string): Promise<StoredChangeSet[]>;
  updateChangeSet(changeSetId: string, changes: Partial<Pick<StoredChangeSet, 'status' | 'statusReason' | 'executionStatus'>>): Promise<void>;
  deleteChangeSet(changeSetId: string): Promise<void>;
}
