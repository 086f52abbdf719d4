// Scheduled rules' timer. Every node polls the scheduled rules; for an enabled rule whose latest
// due tick is after the tick it last claimed, the node claims that tick in the database (one
// conditional UPDATE) and, when it wins, sends AWS's Scheduled Event to the rule's targets. So a
// tick fires once across a cluster, a tick missed while every node was down fires once at restart
// (never a backlog), and a disabled rule's ticks are passed over (EnableRule resumes from then).
import { logger } from '../core/logger.js';
import type { EventsStore, ScheduledRule } from '../store/events-store.js';
import type { EventDispatcher } from './dispatch.js';
import { scheduledEvent } from './envelope.js';
import { ruleArn } from './resources.js';
import { latestDueTick, parseSchedule, type Schedule } from './schedule.js';

/** How often the rules are polled (wall clock): well within AWS's one-minute granularity. */
const POLL_MS = 5_000;

export interface ScheduleClockSettings { anchorMs: number; scale: number }

/** The scheduler's clock: the wall clock, or one running `scale` times faster from `anchorMs` on (tests). */
export function scheduleClock(settings: ScheduleClockSettings | undefined, wall: () => number = Date.now): () => number {
  if (!settings) return wall;
  return () => settings.anchorMs + (wall() - settings.anchorMs) * settings.scale;
}

export class EventScheduler {
  readonly #schedules = new Map<string, Schedule>();
  #timer: NodeJS.Timeout | undefined;
  #running: Promise<void> | undefined;

  constructor(readonly store: EventsStore, readonly dispatcher: EventDispatcher, readonly clock: () => number, readonly pollMs = POLL_MS) {}

  start(): void {
    this.#timer = setInterval(() => void this.poll(), this.pollMs);
    this.#timer.unref();
    void this.poll();
  }

  /** One pass over the scheduled rules (a pass still running is not overlapped). */
  poll(): Promise<void> {
    this.#running ??= this.#pass().catch((e: unknown) => logger.warn('EventBridge scheduler pass failed', { error: e instanceof Error ? e.message : String(e) }))
      .finally(() => { this.#running = undefined; });
    return this.#running;
  }

  async #pass(): Promise<void> {
    const now = this.clock();
    for (const rule of await this.store.scheduledRules()) {
      if (rule.state === 'DISABLED' || !rule.scheduleExpression) continue;
      const due = latestDueTick(this.#schedule(rule.scheduleExpression), rule.lastTickMs, rule.scheduleAnchorMs ?? rule.createdMs, now);
      if (due === undefined) continue;
      if (await this.store.claimTick(rule.scope, rule.busName, rule.name, due)) await this.#fire(rule, due);
    }
  }

  async #fire(rule: ScheduledRule, tickMs: number): Promise<void> {
    const arn = ruleArn(rule.scope, rule.busName, rule.name);
    await this.dispatcher.sendToTargets(rule.scope, rule, scheduledEvent(rule.scope, arn, tickMs));
  }

  #schedule(expression: string): Schedule {
    let s = this.#schedules.get(expression);
    if (!s) this.#schedules.set(expression, (s = parseSchedule(expression)));
    return s;
  }

  async close(): Promise<void> {
    clearInterval(this.#timer);
    await this.#running;
  }
}
