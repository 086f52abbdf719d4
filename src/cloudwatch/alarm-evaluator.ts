// Evaluates every metric alarm on a timer. In a cluster every node evaluates, from the shared
// store: a state change is written only if the alarm is still as read (compare-and-set), so
// nodes that agree write once (and record one history item), and an alarm updated meanwhile is
// evaluated again next round.
import type { CloudWatchStore } from '../store/cloudwatch-store.js';
import { logger } from '../core/logger.js';
import type { MetricReader } from './metric-reader.js';
import { evaluate, windowStart } from './alarm-evaluation.js';
import { parseAlarm, storedAlarm } from './alarm-record.js';
import { canonicalDimensions } from './series-key.js';
import { stateItem } from './alarm-history.js';

export class AlarmEvaluator {
  constructor(private readonly store: CloudWatchStore, private readonly reader: MetricReader, private readonly now: () => number) {}

  /** One round over all alarms; how many changed state. */
  async evaluateAll(): Promise<number> {
    let changed = 0;
    for (const stored of await this.store.allAlarms()) {
      try {
        const alarm = parseAlarm(stored);
        const t = this.now();
        const periodMs = alarm.Period * 1000;
        const series = { accountId: alarm.accountId, region: alarm.region, namespace: alarm.Namespace, metricName: alarm.MetricName, dimensions: canonicalDimensions(alarm.Dimensions) };
        // One period more than the window: the evaluation also looks at the window of complete periods.
        const periods = await this.reader.periods(series, windowStart(alarm, t) - periodMs, t + 1, periodMs, alarm.Unit);
        const result = evaluate(alarm, periods, t);
        if (result.state === alarm.StateValue) continue;
        const next = { ...alarm, StateValue: result.state, StateReason: result.reason, StateReasonData: result.reasonData, stateUpdatedMs: t, stateTransitionedMs: t };
        // Only the node whose compare-and-set wins records the transition: one history item per change.
        if (await this.store.replaceAlarm(storedAlarm(next), stored.body)) {
          changed++;
          await this.store.addAlarmHistory(stateItem(alarm, next, t));
        }
      } catch (e) {
        logger.warn('alarm evaluation failed', { alarm: stored.name, error: e instanceof Error ? e.message : String(e) });
      }
    }
    return changed;
  }
}
