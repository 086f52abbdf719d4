// Reserved concurrency that holds across the nodes of a cluster. Each invocation of a function with
// reserved concurrency takes one of the function's slots in the shared database and gives it back
// when it ends; a slot of a node that died frees itself when its invocation's time is up. Embedded
// SQLite has one node and counts in memory (src/lambda/concurrency-tracker.ts).
export interface ConcurrencyLeases {
  /** Takes one of `limit` slots of `functionKey` until `untilMs`: the lease's id, or undefined when all are taken. */
  take(functionKey: string, limit: number, nowMs: number, untilMs: number): Promise<string | undefined>;
  /** Gives a slot back. */
  give(leaseId: string): Promise<void>;
  /** Gives up every slot this node holds (at start: a crash ended their invocations). */
  releaseAll(): Promise<void>;
}
