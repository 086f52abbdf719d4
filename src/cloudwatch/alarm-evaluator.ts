// Evaluates every metric alarm on a timer: a single metric's periods, or a metric math alarm's
// expression over the alarm's account and region (./math-alarm.ts). In a cluster every node
// evaluates, from the shared store: a state change is written only if the alarm is still as read (compare-and-set), so
// nodes that agree write once (and record one history item and run the actions once), and an alarm updated meanwhile is
// evaluated again next round. The composite alarms above an alarm that changed follow at once
// (./composite-evaluation.ts); composites themselves are not evaluated on the timer, but a
// composite whose action suppression period is over ends it here (./action-suppression.ts).
import type { CloudWatchStore } from '../store/cloudwatch-store.js';
import { logger } from '../core/logger.js';
import type { MetricReader } from './metric-reader.js';
import { evaluate, evaluateDatapoints, windowStart, type Evaluation } from './alarm-evaluation.js';
import { isComposite, parseAnyAlarm, storedAlarm, type AlarmRecord } from './alarm-record.js';
import { settleComposites } from './composite-evaluation.js';
import { mathAlarmDatapoints, mathAlarmPeriod } from './math-alarm.js';
import { readerSource } from './metric-source.js';
import { canonicalDimensions } from './series-key.js';
import type { AlarmTransitions } from './alarm-actions.js';

export class AlarmEvaluator {
  constructor(private readonly store: CloudWatchStore, private readonly reader: MetricReader, private readonly now: () => number, private readonly transitions: AlarmTransitions) {}

  /** One round over all alarms; how many changed state. */
  async evaluateAll(): Promise<number> {
    let changed = 0;
    for (const stored of await this.store.allAlarms()) {
      try {
        const alarm = parseAnyAlarm(stored);
        if (isComposite(alarm)) {
          // Composites follow their children at once; the tick only looks at their action suppression.
          await this.transitions.tick(alarm);
          continue;
        }
        const t = this.now();
        const result = await this.evaluate(alarm, t);
        if (result.state === alarm.StateValue) continue;
        const next = { ...alarm, StateValue: result.state, StateReason: result.reason, StateReasonData: result.reasonData, stateUpdatedMs: t, stateTransitionedMs: t };
        // Only the node whose compare-and-set wins records the transition: one history item per change.
        if (await this.store.replaceAlarm(storedAlarm(next), stored.body)) {
          changed++;
          await this.transitions.record(alarm, next, t);
          await settleComposites(this.store, alarm, { names: [alarm.AlarmName] }, this.now, this.transitions.record);
        }
      } catch (e) {
        logger.warn('alarm evaluation failed', { alarm: stored.name, error: e instanceof Error ? e.message : String(e) });
      }
    }
    return changed;
  }

  private async evaluate(alarm: AlarmRecord, t: number): Promise<Evaluation> {
    if (alarm.Metrics) {
      const period = mathAlarmPeriod(alarm.Metrics);
      const from = windowStart({ Period: period, EvaluationPeriods: alarm.EvaluationPeriods }, t) - period * 1000;
      const points = await mathAlarmDatapoints(alarm.Metrics, from, t + 1, readerSource(this.reader, alarm));
      return evaluateDatapoints(alarm, points, { period }, t);
    }
    const periodLength = alarm.Period! * 1000;
    const series = { accountId: alarm.accountId, region: alarm.region, namespace: alarm.Namespace!, metricName: alarm.MetricName!, dimensions: canonicalDimensions(alarm.Dimensions) };
    // One period more than the window: the evaluation also looks at the window of complete periods.
    const periods = await this.reader.periods(series, windowStart({ Period: alarm.Period!, EvaluationPeriods: alarm.EvaluationPeriods }, t) - periodLength, t + 1, periodLength, alarm.Unit);
    return evaluate(alarm, periods, t);
  }
}
