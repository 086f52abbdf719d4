// CreateEventSourceMapping, Get, List, Update and Delete for SQS queues. Changes of state are
// asynchronous as on AWS: create answers 202 with State "Creating", update "Updating"/"Enabling"/
// "Disabling", delete "Deleting"; the pollers (pollers.ts) settle the state on their next pass.
import { randomUUID } from 'node:crypto';
import type { HandlerTable } from '../../aws/protocols/rest-json.js';
import type { EventSourceMappingConfiguration, Operations } from '../../aws/generated/lambda.js';
import type { RequestContext } from '../../aws/request-context.js';
import type { EventSourceMappingStore, StoredEventSourceMapping } from '../../store/event-source-mapping-store.js';
import type { QueuePoller } from '../../sqs/queue-sender.js';
import type { LambdaDeps } from '../deps.js';
import { arnOf, resolveRef, type FunctionRef } from '../names.js';
import { resolveQualifier } from '../qualifiers.js';
import { isAwsError } from '../../core/errors.js';
import { pageAfter } from '../paging.js';
import { functionDoesNotExistForMapping, mappingConflict, mappingNotFound, queueDoesNotExistForMapping, visibilityShorterThanTimeout } from './errors.js';
import { checkBatching, checkEventSource, checkFilterCriteria, checkSqsOnlySettings, isFifoQueueArn, SQS_DEFAULT_BATCH_SIZE } from './validation.js';

type H = HandlerTable<Operations>;
const USER_INITIATED = 'USER_INITIATED';

export interface EventSourceMappingDeps {
  lambda: LambdaDeps;
  store: EventSourceMappingStore;
  queues: QueuePoller;
  /** Tells the pollers a mapping changed on this node (they settle its state and start or stop). */
  changed(): void;
}

export const mappingArn = (m: Pick<StoredEventSourceMapping, 'region' | 'accountId' | 'uuid'>): string =>
  `arn:aws:lambda:${m.region}:${m.accountId}:event-source-mapping:${m.uuid}`;

export function toConfiguration(m: StoredEventSourceMapping): EventSourceMappingConfiguration {
  return {
    UUID: m.uuid,
    BatchSize: m.batchSize,
    MaximumBatchingWindowInSeconds: m.maximumBatchingWindowInSeconds,
    EventSourceArn: m.eventSourceArn,
    ...(m.filterCriteria ? { FilterCriteria: m.filterCriteria } : {}),
    FunctionArn: m.functionArn,
    LastModified: new Date(m.lastModifiedMs),
    State: m.state,
    StateTransitionReason: m.stateTransitionReason,
    FunctionResponseTypes: m.functionResponseTypes,
    ...(m.scalingConfig ? { ScalingConfig: m.scalingConfig } : {}),
    EventSourceMappingArn: mappingArn(m),
  };
}

/** The function (and its timeout) the mapping names; AWS answers "Function does not exist" for a missing one. */
async function functionOf(deps: LambdaDeps, ref: FunctionRef): Promise<{ arn: string; timeout: number }> {
  try {
    const resolved = await resolveQualifier(deps, ref);
    return { arn: arnOf(ref, ref.qualifier), timeout: resolved.config.Timeout ?? 3 };
  } catch (e) {
    if (isAwsError(e) && e.code === 'ResourceNotFoundException') throw functionDoesNotExistForMapping();
    throw e;
  }
}

/** The queue must exist and hide a received message at least as long as the function may run. */
async function checkQueue(queues: QueuePoller, queueArn: string, functionTimeout: number): Promise<void> {
  const attributes = await queues.attributes(queueArn);
  if (!attributes) throw queueDoesNotExistForMapping();
  const visibility = Number(attributes.VisibilityTimeout ?? 30);
  if (visibility < functionTimeout) throw visibilityShorterThanTimeout(visibility, functionTimeout);
}

export function eventSourceMappingHandlers(deps: EventSourceMappingDeps): H {
  const { store, queues } = deps;
  const scoped = async (ctx: RequestContext, uuid: string): Promise<StoredEventSourceMapping> => {
    const m = await store.get(uuid);
    if (!m || m.accountId !== ctx.accountId || m.region !== ctx.region) throw mappingNotFound();
    return m;
  };

  return {
    async CreateEventSourceMapping(input, ctx) {
      const eventSourceArn = checkEventSource(input.EventSourceArn);
      checkSqsOnlySettings(input);
      const ref = resolveRef(ctx, input.FunctionName);
      const fn = await functionOf(deps.lambda, ref);
      const batchSize = input.BatchSize ?? SQS_DEFAULT_BATCH_SIZE;
      const window = input.MaximumBatchingWindowInSeconds ?? 0;
      checkBatching(batchSize, window, isFifoQueueArn(eventSourceArn));
      const filterCriteria = checkFilterCriteria(input.FilterCriteria);
      await checkQueue(queues, eventSourceArn, fn.timeout);
      const mapping: StoredEventSourceMapping = {
        uuid: randomUUID(), accountId: ctx.accountId, region: ctx.region, eventSourceArn, functionArn: fn.arn,
        batchSize, maximumBatchingWindowInSeconds: window, functionResponseTypes: input.FunctionResponseTypes ?? [],
        ...(filterCriteria ? { filterCriteria } : {}), ...(input.ScalingConfig?.MaximumConcurrency ? { scalingConfig: { MaximumConcurrency: input.ScalingConfig.MaximumConcurrency } } : {}),
        enabled: input.Enabled ?? true, state: 'Creating', stateTransitionReason: USER_INITIATED, lastModifiedMs: Date.now(), tags: input.Tags ?? {},
      };
      const outcome = await store.create(mapping);
      if (!outcome.created) throw mappingConflict(eventSourceArn, input.FunctionName, outcome.existing.uuid);
      deps.changed();
      return toConfiguration(mapping);
    },

    async GetEventSourceMapping(input, ctx) {
      return toConfiguration(await scoped(ctx, input.UUID));
    },

    async ListEventSourceMappings(input, ctx) {
      let all = await store.list(ctx.accountId, ctx.region);
      if (input.EventSourceArn !== undefined) all = all.filter((m) => m.eventSourceArn === input.EventSourceArn);
      if (input.FunctionName !== undefined) {
        const ref = resolveRef(ctx, input.FunctionName);
        const arn = arnOf(ref, ref.qualifier);
        all = all.filter((m) => m.functionArn === arn);
      }
      const page = pageAfter(all, (m) => m.uuid, input.Marker, input.MaxItems ?? 100);
      return { EventSourceMappings: page.items.map(toConfiguration), ...(page.nextMarker ? { NextMarker: page.nextMarker } : {}) };
    },

    async UpdateEventSourceMapping(input, ctx) {
      const current = await scoped(ctx, input.UUID);
      checkSqsOnlySettings(input);
      let functionArn = current.functionArn;
      // Only a new function is checked: a mapping whose function was deleted can still be disabled or changed.
      if (input.FunctionName !== undefined) {
        const fn = await functionOf(deps.lambda, resolveRef(ctx, input.FunctionName));
        functionArn = fn.arn;
        const other = (await store.list(ctx.accountId, ctx.region)).find((m) => m.uuid !== current.uuid && m.eventSourceArn === current.eventSourceArn && m.functionArn === functionArn);
        if (other) throw mappingConflict(current.eventSourceArn, input.FunctionName, other.uuid);
        await checkQueue(queues, current.eventSourceArn, fn.timeout);
      }
      const batchSize = input.BatchSize ?? current.batchSize;
      const window = input.MaximumBatchingWindowInSeconds ?? current.maximumBatchingWindowInSeconds;
      checkBatching(batchSize, window, isFifoQueueArn(current.eventSourceArn));
      const filterCriteria = input.FilterCriteria !== undefined ? checkFilterCriteria(input.FilterCriteria) : current.filterCriteria;
      const enabled = input.Enabled ?? current.enabled;
      const state = enabled === current.enabled ? 'Updating' : enabled ? 'Enabling' : 'Disabling';
      const { filterCriteria: _oldFilters, scalingConfig: _oldScaling, ...rest } = current;
      const scalingConfig = input.ScalingConfig !== undefined ? (input.ScalingConfig.MaximumConcurrency ? { MaximumConcurrency: input.ScalingConfig.MaximumConcurrency } : undefined) : current.scalingConfig;
      const updated: StoredEventSourceMapping = {
        ...rest, functionArn, batchSize, maximumBatchingWindowInSeconds: window,
        functionResponseTypes: input.FunctionResponseTypes ?? current.functionResponseTypes,
        ...(filterCriteria ? { filterCriteria } : {}), ...(scalingConfig ? { scalingConfig } : {}),
        enabled, state, stateTransitionReason: USER_INITIATED, lastModifiedMs: Date.now(),
      };
      if (!(await store.update(updated))) throw mappingNotFound();
      deps.changed();
      return toConfiguration(updated);
    },

    async DeleteEventSourceMapping(input, ctx) {
      const current = await scoped(ctx, input.UUID);
      const deleting: StoredEventSourceMapping = { ...current, state: 'Deleting', stateTransitionReason: USER_INITIATED };
      if (!(await store.update(deleting))) throw mappingNotFound();
      deps.changed();
      return toConfiguration(deleting);
    },
  };
}
