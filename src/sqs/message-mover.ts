// Runs message move tasks (StartMessageMoveTask) in the background. A node claims a running task
// whose lease ran out (one just started, or one whose node died or restarted), then moves visible
// messages from the dead-letter queue — to the task's destination, or each back to the queue it came
// from — at most MaxNumberOfMessagesPerSecond a second, renewing its lease with each batch. Each move
// is one conditional UPDATE, so a message is moved once even if two nodes ever ran the same task.
// After a restart the node takes its own running task back at once; another node's after its lease.
import { randomUUID } from 'node:crypto';
import { logger } from '../core/logger.js';
import type { SqsStore, StoredMoveTask } from '../store/sqs-store.js';

/** How long a node holds a task without renewing it; a task of a node that stopped resumes after it. */
export const MOVE_LEASE_MS = 30_000;
/** AWS's "system optimized" rate when no MaxNumberOfMessagesPerSecond is given. */
const DEFAULT_RATE = 500;
const POLL_MS = 1_000;

export class MessageMover {
  #timer: NodeJS.Timeout | undefined;
  #running: Promise<void> | undefined;
  #closed = false;

  /** `nodeId`: the node's stable id (the same after a restart, so it takes its running task back at once). */
  constructor(private readonly store: SqsStore, private readonly nodeId: string = randomUUID(), private readonly now: () => number = Date.now) {}

  start(): void {
    this.#timer = setInterval(() => this.kick(), POLL_MS);
    this.#timer.unref();
  }

  /** Looks for a task to run now (after StartMessageMoveTask). */
  kick(): void {
    if (this.#closed || this.#running) return;
    this.#running = this.#pass().catch((e: unknown) => logger.warn('SQS message move pass failed', { error: e instanceof Error ? e.message : String(e) }))
      .finally(() => { this.#running = undefined; });
  }

  async #pass(): Promise<void> {
    for (;;) {
      const task = await this.store.moveTasks.claim(this.nodeId, this.now(), this.now() + MOVE_LEASE_MS);
      if (!task || this.#closed) return;
      await this.#run(task);
    }
  }

  async #run(task: StoredMoveTask): Promise<void> {
    const rate = task.maxPerSecond ?? DEFAULT_RATE;
    let moved = task.moved;
    while (!this.#closed) {
      const secondStart = this.now();
      const batch = await this.store.candidates(task.sourceArn, secondStart, Math.min(rate, task.toMove - moved), false);
      if (!batch.length || moved >= task.toMove) {
        await this.store.moveTasks.update(task.taskId, this.nodeId, moved, 'COMPLETED', this.now());
        return;
      }
      for (const m of batch) {
        const to = task.destinationArn ?? m.originArn;
        const failure = !to ? 'CouldNotDetermineMessageSource' : !(await this.store.getQueueByArn(to)) ? 'DestinationQueueDoesNotExist' : undefined;
        if (failure) {
          await this.store.moveTasks.update(task.taskId, this.nodeId, moved, 'FAILED', this.now(), failure);
          return;
        }
        if (await this.store.moveMessage(m.seq, task.sourceArn, to!, this.now())) moved++;
      }
      // Progress, and a renewed lease; false when the task was cancelled (or, after a long stall, taken over).
      if (!(await this.store.moveTasks.update(task.taskId, this.nodeId, moved, 'RUNNING', this.now() + MOVE_LEASE_MS))) return;
      const rest = 1_000 - (this.now() - secondStart);
      if (rest > 0) await new Promise((resolve) => setTimeout(resolve, rest).unref());
    }
  }

  /** Stops taking tasks; the one running keeps its lease and resumes after it, here or on another node. */
  async close(): Promise<void> {
    this.#closed = true;
    clearInterval(this.#timer);
    await this.#running;
  }
}
