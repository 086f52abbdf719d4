// Quota counts of API keys, kept in the store so that they survive restarts and are shared by the
// nodes of a cluster, without a database write per request. Each node counts admitted requests
// in memory and flushes them in batches (every FLUSH_MS and at close) as `used = used + n`; after
// each flush it re-reads the period totals of the keys it is serving, which brings in what the
// other nodes counted. A request is admitted against this node's view: the shared total at the
// last flush plus what this node counted since. So a cluster may overshoot a quota by what the
// other nodes admit within one flush interval; a single node never does.
import type { ApiGatewayStore, UsageIncrement } from '../store/apigateway-store.js';
import { logger } from '../core/logger.js';
import { dayOf, periodDays, type QuotaInForce } from './usage-periods.js';

const FLUSH_MS = 200;
/** A key not charged for this long (and fully flushed) is no longer re-read at each flush. */
const IDLE_MS = 60_000;

/** This node's view of one key's count in one quota period. */
interface View {
  first: string;
  last: string;
  /** The shared total at the last refresh, less any UpdateUsage extension. */
  base: number;
  /** Counted here, not yet written. */
  unflushed: number;
  /** Written by the flush in progress (or by one whose refresh failed), not yet in `base`. */
  inflight: number;
  touched: number;
}

export class UsageCounts {
  readonly #store: ApiGatewayStore;
  readonly #now: () => number;
  readonly #views = new Map<string, View>();
  readonly #loading = new Map<string, Promise<View>>();
  readonly #pending = new Map<string, UsageIncrement>();
  readonly #timer: NodeJS.Timeout;
  #flushing: Promise<void> = Promise.resolve();

  constructor(store: ApiGatewayStore, options: { now?: () => number; flushMs?: number } = {}) {
    this.#store = store;
    this.#now = options.now ?? Date.now;
    this.#timer = setInterval(() => void this.flush(), options.flushMs ?? FLUSH_MS);
    this.#timer.unref();
  }

  /**
   * Counts one request of `keyId` under the plan's quota and answers true, or false when the
   * quota is used up. Synchronous once the key's current period is known to this node; the first
   * request of a period waits for one read of the store.
   */
  take(planId: string, keyId: string, quota: QuotaInForce): boolean | Promise<boolean> {
    const now = this.#now();
    const id = `${planId}\u0000${keyId}`;
    const { first, last } = periodDays(quota.period, now);
    const view = this.#views.get(id);
    if (view && view.first === first && view.last === last) return this.#count(view, planId, keyId, quota.limit, now);
    return this.#load(id, planId, keyId, first, last).then((loaded) => this.#count(loaded, planId, keyId, quota.limit, this.#now()));
  }

  /** Writes what this node counted and refreshes its views; resolves once everything counted before the call is stored. */
  flush(): Promise<void> {
    this.#flushing = this.#flushing.then(() => this.#flushOnce());
    return this.#flushing;
  }

  /** Stops the timer and writes what is left. */
  async close(): Promise<void> {
    clearInterval(this.#timer);
    await this.flush();
  }

  #count(view: View, planId: string, keyId: string, limit: number, now: number): boolean {
    view.touched = now;
    if (view.base + view.inflight + view.unflushed >= limit) return false;
    view.unflushed++;
    const day = dayOf(now);
    const key = `${planId}\u0000${keyId}\u0000${day}`;
    const pending = this.#pending.get(key);
    if (pending) pending.count++;
    else this.#pending.set(key, { planId, keyId, day, count: 1 });
    return true;
  }

  #load(id: string, planId: string, keyId: string, first: string, last: string): Promise<View> {
    const loadKey = `${id}\u0000${first}\u0000${last}`;
    let loading = this.#loading.get(loadKey);
    if (!loading) {
      loading = this.#read(planId, keyId, first, last).then((base) => {
        const current = this.#views.get(id);
        if (current && current.first === first && current.last === last) return current;
        const view: View = { first, last, base, unflushed: 0, inflight: 0, touched: this.#now() };
        this.#views.set(id, view);
        return view;
      }).finally(() => this.#loading.delete(loadKey));
      this.#loading.set(loadKey, loading);
    }
    return loading;
  }

  /** The period's stored total, less the extension UpdateUsage gave on its first day. */
  async #read(planId: string, keyId: string, first: string, last: string): Promise<number> {
    let total = 0;
    for (const row of await this.#store.listUsage(planId, first, last, keyId)) total += row.used - (row.day === first ? row.granted : 0);
    return total;
  }

  async #flushOnce(): Promise<void> {
    const batch = [...this.#pending.values()];
    this.#pending.clear();
    const views = [...this.#views.entries()];
    for (const [, view] of views) {
      view.inflight += view.unflushed;
      view.unflushed = 0;
    }
    if (batch.length) {
      try {
        await this.#store.addUsage(batch);
      } catch (e) {
        // Kept for the next flush: a count is never dropped.
        for (const u of batch) {
          const key = `${u.planId}\u0000${u.keyId}\u0000${u.day}`;
          const pending = this.#pending.get(key);
          if (pending) pending.count += u.count;
          else this.#pending.set(key, u);
        }
        for (const [, view] of views) {
          view.unflushed += view.inflight;
          view.inflight = 0;
        }
        logger.warn('usage counts not written; retrying at the next flush', { error: e instanceof Error ? e.message : String(e) });
        return;
      }
    }
    const now = this.#now();
    await Promise.all(views.map(async ([id, view]) => {
      if (now - view.touched > IDLE_MS && view.unflushed === 0) {
        if (this.#views.get(id) === view) this.#views.delete(id);
        return;
      }
      const [planId, keyId] = id.split('\u0000') as [string, string];
      try {
        const base = await this.#read(planId, keyId, view.first, view.last);
        view.base = base;
        view.inflight = 0;
      } catch {
        // The view stays as it was (base plus inflight is still right); the next flush re-reads.
      }
    }));
  }
}
