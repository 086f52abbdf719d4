// EventBridge's state: event buses, rules and their targets, per account and region. A scheduled
// rule carries the latest schedule tick claimed for it, so of several nodes exactly one fires a tick.

export interface EventsScope {
  accountId: string;
  region: string;
}

export interface Tag {
  Key: string;
  Value: string;
}

export interface StoredBus {
  name: string;
  description?: string;
  tags: Tag[];
  createdMs: number;
  lastModifiedMs: number;
}

export interface StoredRule {
  busName: string;
  name: string;
  eventPattern?: string;
  scheduleExpression?: string;
  state: 'ENABLED' | 'DISABLED';
  description?: string;
  roleArn?: string;
  tags: Tag[];
  createdMs: number;
  /** Where a rate schedule counts its periods from (when the schedule was set). */
  scheduleAnchorMs?: number;
  /** The latest schedule tick (epoch ms) fired or passed over (0 for unscheduled rules). */
  lastTickMs: number;
}

/** A target as PutTargets gave it (Id, Arn, Input, InputPath, InputTransformer, …). */
export type StoredTarget = { Id: string; Arn: string } & Record<string, unknown>;

export interface ScheduledRule extends StoredRule {
  scope: EventsScope;
}

/** A target delivery waiting for its next try (its body is the events module's). */
export interface TargetRetry {
  id: string;
  dueMs: number;
  /** Retries made so far. */
  attempts: number;
  body: string;
}

export interface EventsStore {
  /** Creates a bus; false when one of the name exists. */
  createBus(scope: EventsScope, bus: StoredBus): Promise<boolean>;
  getBus(scope: EventsScope, name: string): Promise<StoredBus | undefined>;
  /** The scope's created buses, by name (code-point order). */
  listBuses(scope: EventsScope): Promise<StoredBus[]>;
  /** Deletes a bus with its rules and their targets. */
  deleteBus(scope: EventsScope, name: string): Promise<void>;
  updateBusTags(scope: EventsScope, name: string, tags: Tag[]): Promise<void>;

  /** Creates or replaces a rule (its targets stay); its last tick only ever moves forward. */
  putRule(scope: EventsScope, rule: StoredRule): Promise<void>;
  getRule(scope: EventsScope, busName: string, name: string): Promise<StoredRule | undefined>;
  /** A bus's rules, by name (code-point order). */
  listRules(scope: EventsScope, busName: string): Promise<StoredRule[]>;
  /** Deletes a rule and its targets. */
  deleteRule(scope: EventsScope, busName: string, name: string): Promise<void>;
  /** Every scheduled rule of every scope (the scheduler's view). */
  scheduledRules(): Promise<ScheduledRule[]>;
  /**
   * Claims a schedule tick for a rule: true for exactly one caller, and only when the rule still
   * exists and its last tick is earlier (compare-and-set on last_tick_ms).
   */
  claimTick(scope: EventsScope, busName: string, name: string, tickMs: number): Promise<boolean>;

  /** Creates or replaces targets of a rule by Id. */
  putTargets(scope: EventsScope, busName: string, ruleName: string, targets: StoredTarget[]): Promise<void>;
  removeTargets(scope: EventsScope, busName: string, ruleName: string, ids: string[]): Promise<void>;
  /** A rule's targets, by Id (code-point order). */
  listTargets(scope: EventsScope, busName: string, ruleName: string): Promise<StoredTarget[]>;
  /** Every target of a bus with its rule's name (ListRuleNamesByTarget). */
  listBusTargets(scope: EventsScope, busName: string): Promise<{ ruleName: string; target: StoredTarget }[]>;

  /** Queues a target delivery to try again at its dueMs. */
  enqueueRetry(retry: TargetRetry): Promise<void>;
  /** Claims up to `limit` due retries for `nodeId` until `leaseUntilMs` (free ones, its own, or ones whose lease ran out), leaving out `skip`. */
  claimDueRetries(nodeId: string, nowMs: number, leaseUntilMs: number, limit: number, skip: ReadonlySet<string>): Promise<TargetRetry[]>;
  /** When the earliest retry not in `skip` can be taken by `nodeId`; undefined when there is none. */
  nextRetryDueMs(nodeId: string, skip: ReadonlySet<string>): Promise<number | undefined>;
  /** Lets a retry go until `dueMs`, with its count of retries made. */
  rescheduleRetry(id: string, dueMs: number, attempts: number): Promise<void>;
  completeRetry(id: string): Promise<void>;
}

/** Code-point order, the same on every backend. */
export const byCodePoint = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);
