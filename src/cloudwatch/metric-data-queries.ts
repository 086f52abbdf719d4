// GetMetricData's queries checked as CloudWatch checks them, before any data is read: ids,
// MetricStat xor Expression, statistics, periods, expressions' syntax, the ids they name, cycles,
// and ReturnData. CloudWatch reports every problem of a request at once, one per line.
import type { MetricDataQuery, MetricStat } from '../aws/generated/cloudwatch.js';
import { checkPeriod, validationError } from './errors.js';
import { parse, references, type Node } from './metric-math/parser.js';
import { MathError } from './metric-math/values.js';

/** A request may hold this many queries (AWS's limit). */
const MAX_QUERIES = 500;

export type CheckedQuery =
  | { kind: 'metric'; query: MetricDataQuery; stat: MetricStat }
  | { kind: 'expression'; query: MetricDataQuery; tree: Node };

/**
 * The queries, checked; throws one ValidationError listing every problem. `field` names the list
 * in messages (PutMetricAlarm's is `Metrics`, which checks its own limits and ReturnData).
 */
export function checkQueries(queries: MetricDataQuery[], isStatistic: (stat: string) => boolean, field = 'MetricDataQueries'): CheckedQuery[] {
  const problems: string[] = [];
  const forRequest = field === 'MetricDataQueries';
  if (forRequest && queries.length > MAX_QUERIES) problems.push(`The collection MetricDataQueries must not have a size greater than ${MAX_QUERIES}.`);
  const checked: CheckedQuery[] = [];
  const ids = new Set<string>();
  let duplicate = false;
  const fail = (message: string) => {
    problems.push(message);
  };
  for (const [i, q] of queries.entries()) {
    const at = `${field}.member.${i + 1}`;
    if (!/^[a-z][a-zA-Z0-9_]*$/.test(q.Id)) fail(`The value ${q.Id} for parameter ${at}.Id is not valid. It must start with a lowercase letter and contain only letters, numbers and underscores.`);
    if (ids.has(q.Id)) duplicate = true;
    ids.add(q.Id);
    if (q.MetricStat !== undefined && q.Expression !== undefined) {
      fail(`The parameters ${at}.MetricStat and ${at}.Expression are mutually exclusive and you have specified both.`);
    } else if (q.MetricStat !== undefined) {
      const stat = q.MetricStat;
      const before = problems.length;
      if (!stat.Metric?.Namespace) fail(`The parameter ${at}.MetricStat.Metric.Namespace is required.`);
      if (!stat.Metric?.MetricName) fail(`The parameter ${at}.MetricStat.Metric.MetricName is required.`);
      if (!isStatistic(stat.Stat)) fail(`The value ${stat.Stat} for parameter ${at}.MetricStat.Stat is not a valid statistic.`);
      collect(() => checkPeriod(stat.Period, `${at}.MetricStat.Period`, validationError), fail);
      if (problems.length === before) checked.push({ kind: 'metric', query: q, stat });
    } else if (q.Expression !== undefined) {
      if (q.Period !== undefined) collect(() => checkPeriod(q.Period!, `${at}.Period`, validationError), fail);
      try {
        checked.push({ kind: 'expression', query: q, tree: parse(q.Expression) });
      } catch (e) {
        if (!(e instanceof MathError)) throw e;
        fail(`Error in expression ${q.Id}: ${e.message}`);
      }
    } else {
      fail(`The parameter ${at}.MetricStat is required.`);
    }
  }
  // Recorded on AWS: one line for any number of repeated ids.
  if (duplicate) fail(`The values for parameter id in ${field} are not unique.`);
  if (!problems.length) checkReferences(checked, fail);
  if (forRequest && !problems.length && queries.length && queries.every((q) => q.ReturnData === false)) {
    fail('At least one of the MetricDataQueries must have ReturnData set to true.');
  }
  // CloudWatch ends each line of the message with a newline, the last one included.
  if (problems.length) throw validationError(problems.map((p) => `${p}\n`).join(''));
  return checked;
}

function collect(check: () => void, fail: (message: string) => void): void {
  try {
    check();
  } catch (e) {
    fail((e as Error).message);
  }
}

/** Every id an expression names exists, and no expression depends on itself. */
function checkReferences(checked: CheckedQuery[], fail: (message: string) => void): void {
  const byId = new Map(checked.map((c) => [c.query.Id, c]));
  const refs = new Map<string, string[]>();
  for (const c of checked) {
    if (c.kind !== 'expression') continue;
    const named = [...references(c.tree)];
    for (const id of named) if (!byId.has(id)) fail(`Error in expression ${c.query.Id}: Unrecognized metric id '${id}'.`);
    refs.set(c.query.Id, named.filter((id) => byId.get(id)?.kind === 'expression'));
  }
  const done = new Set<string>();
  const visit = (id: string, path: string[]): boolean => {
    if (path.includes(id)) {
      fail(`Error in expression ${id}: Circular reference (${[...path.slice(path.indexOf(id)), id].join(' -> ')}).`);
      return false;
    }
    if (done.has(id)) return true;
    const ok = (refs.get(id) ?? []).every((next) => visit(next, [...path, id]));
    done.add(id);
    return ok;
  };
  for (const id of refs.keys()) if (!visit(id, [])) return;
}
