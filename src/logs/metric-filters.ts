// Metric filter operations: PutMetricFilter (validated against its pattern), DescribeMetricFilters
// (group, name prefix, metric; paging), DeleteMetricFilter and TestMetricFilter. Each change reloads
// what ingestion applies, so the next stored events see it.
import type { HandlerTable } from '../aws/protocols/json-rpc.js';
import type { MetricFilter, MetricTransformation, Operations } from '../aws/generated/logs.js';
import type { MetricFilterRecord } from '../store/metric-filter-store.js';
import { invalidParameter, limitExceeded, logGroupNotFound, metricFilterNotFound } from './errors.js';
import type { CompiledPattern } from './filter-pattern.js';
import { isNumberText, isReference } from './metric-transformation.js';
import { compileOrReject, scopeOf, type LogsDeps } from './resources.js';
import { cursorToken, parseCursorToken } from './tokens.js';

/** AWS's quota of metric filters per log group. */
export const MAX_FILTERS_PER_GROUP = 100;
const MAX_DIMENSIONS = 3;

/** The checks AWS makes of a transformation beyond the model's: values, dimensions and their fields. */
function checkTransformation(t: MetricTransformation, pattern: CompiledPattern): void {
  const value = t.metricValue.trim();
  if (isReference(value) ? !pattern.canReference(value) : !isNumberText(value)) {
    throw invalidParameter(`Invalid metric value: ${t.metricValue}. The metric value must be a number or a field named in the filter pattern.`);
  }
  const dimensions = Object.entries(t.dimensions ?? {});
  if (dimensions.length > MAX_DIMENSIONS) throw invalidParameter(`A metric filter can have at most ${MAX_DIMENSIONS} dimensions.`);
  if (dimensions.length && t.defaultValue !== undefined && t.defaultValue !== null) {
    throw invalidParameter('A metric filter with dimensions cannot have a default value.');
  }
  for (const [name, ref] of dimensions) {
    if (!isReference(ref) || !pattern.canReference(ref)) {
      throw invalidParameter(`Invalid dimension value for ${name}: ${ref}. A dimension value must be a field named in the filter pattern.`);
    }
  }
}

const describe = (f: MetricFilterRecord): MetricFilter => ({
  filterName: f.name,
  filterPattern: f.pattern,
  metricTransformations: f.transformations as MetricTransformation[],
  creationTime: f.createdMs,
  logGroupName: f.groupName,
  applyOnTransformedLogs: false,
});

export function metricFilterHandlers(deps: LogsDeps): HandlerTable<Operations> {
  const { store, filters } = deps;
  return {
    async PutMetricFilter(input, ctx) {
      const pattern = compileOrReject(input.filterPattern);
      for (const t of input.metricTransformations) checkTransformation(t, pattern);
      const transformations = input.metricTransformations.map((t) => ({
        metricName: t.metricName, metricNamespace: t.metricNamespace, metricValue: t.metricValue,
        ...(t.defaultValue !== undefined && t.defaultValue !== null ? { defaultValue: t.defaultValue } : {}),
        ...(t.dimensions && Object.keys(t.dimensions).length ? { dimensions: t.dimensions } : {}),
        ...(t.unit ? { unit: t.unit } : {}),
      }));
      const result = await store.putMetricFilter(scopeOf(ctx), {
        groupName: input.logGroupName, name: input.filterName, pattern: input.filterPattern, transformations, createdMs: deps.now(),
      }, MAX_FILTERS_PER_GROUP);
      if (result === 'no-group') throw logGroupNotFound();
      if (result === 'limit') throw limitExceeded();
      await filters.changed();
    },

    async DescribeMetricFilters(input, ctx) {
      if ((input.metricName === undefined) !== (input.metricNamespace === undefined)) {
        throw invalidParameter('If you specify a metric name, you must also specify a metric namespace, and the other way around.');
      }
      const scope = scopeOf(ctx);
      if (input.logGroupName !== undefined && !(await store.getGroup(scope, input.logGroupName))) throw logGroupNotFound();
      const limit = input.limit ?? 50;
      const after = input.nextToken === undefined ? undefined
        : parseCursorToken<{ g: string; n: string }>(input.nextToken, (v) => typeof v.g === 'string' && typeof v.n === 'string');
      const rows = await store.listMetricFilters(scope, {
        groupName: input.logGroupName,
        namePrefix: input.logGroupName === undefined ? undefined : input.filterNamePrefix, // AWS uses it only with a group
        metric: input.metricName !== undefined ? { name: input.metricName, namespace: input.metricNamespace! } : undefined,
        after: after && { groupName: after.g, name: after.n },
        limit: limit + 1,
      });
      const page = rows.slice(0, limit);
      const last = page[page.length - 1];
      return {
        metricFilters: page.map(describe),
        nextToken: rows.length > limit ? cursorToken({ g: last.groupName, n: last.name }) : undefined,
      };
    },

    async DeleteMetricFilter(input, ctx) {
      const result = await store.deleteMetricFilter(scopeOf(ctx), input.logGroupName, input.filterName);
      if (result === 'no-group') throw logGroupNotFound();
      if (result === 'no-filter') throw metricFilterNotFound();
      await filters.changed();
    },

    async TestMetricFilter(input) {
      const pattern = compileOrReject(input.filterPattern);
      const matches = input.logEventMessages.flatMap((message, i) => {
        const fields = pattern.fields(message);
        return fields ? [{ eventNumber: i + 1, eventMessage: message, extractedValues: fields.extracted }] : [];
      });
      return { matches };
    },
  };
}
