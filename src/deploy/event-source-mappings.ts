// AWS::Lambda::EventSourceMapping resources of a template, put into Stagecraft's Lambda with the
// stack once its functions exist (CreateEventSourceMapping, or UpdateEventSourceMapping of the one
// a previous deploy made). Each mapping carries tags naming its stack and logical ID, so the next
// deploy finds it again and deletes the ones the template no longer has.
import {
  CreateEventSourceMappingCommand, DeleteEventSourceMappingCommand, ListEventSourceMappingsCommand, ListTagsCommand, UpdateEventSourceMappingCommand,
  type EventSourceMappingConfiguration, type FilterCriteria, type LambdaClient, type ScalingConfig,
} from '@aws-sdk/client-lambda';
import { evaluate, NO_VALUE, type Scope } from './intrinsics.js';
import { located } from './other-resources.js';
import type { ActiveResource, StackModel } from './stack-model.js';
import type { ServiceDeploy } from './service-resources.js';
import type { MapNode } from './source.js';

export const EVENT_SOURCE_MAPPING_TYPE = 'AWS::Lambda::EventSourceMapping';
const STACK_TAG = 'stagecraft:stack';
const LOGICAL_ID_TAG = 'stagecraft:logical-id';

export interface MappingInput {
  logicalId: string;
  eventSourceArn: string;
  functionName: string;
  batchSize?: number;
  enabled?: boolean;
  maximumBatchingWindowInSeconds?: number;
  functionResponseTypes?: 'ReportBatchItemFailures'[];
  filterCriteria?: FilterCriteria;
  scalingConfig?: ScalingConfig;
}

const int = (v: unknown): number | undefined => (v === undefined ? undefined : Number(v));
const bool = (v: unknown): boolean | undefined => (v === undefined ? undefined : v === true || v === 'true');

/** The mapping one AWS::Lambda::EventSourceMapping resource asks for. */
export function mappingInput(r: ActiveResource, scope: Scope): MappingInput {
  const props: Record<string, unknown> = {};
  for (const e of (r.properties as MapNode).entries) {
    const value = located(e.value, () => evaluate(e.value, scope));
    if (value !== NO_VALUE && value !== null) props[e.key] = value;
  }
  if (typeof props.EventSourceArn !== 'string') throw new Error(`${r.def.logicalId} needs EventSourceArn (an SQS queue ARN)`);
  if (typeof props.FunctionName !== 'string') throw new Error(`${r.def.logicalId} needs FunctionName (a function name or ARN)`);
  return mappingOf(r.def.logicalId, props.EventSourceArn, props.FunctionName, props);
}

/** A mapping's settings from properties named as AWS::Lambda::EventSourceMapping (and SAM's SQS event) name them. */
export function mappingOf(logicalId: string, eventSourceArn: string, functionName: string, props: Record<string, unknown>): MappingInput {
  return {
    logicalId, eventSourceArn, functionName,
    batchSize: int(props.BatchSize), enabled: bool(props.Enabled), maximumBatchingWindowInSeconds: int(props.MaximumBatchingWindowInSeconds),
    functionResponseTypes: props.FunctionResponseTypes as MappingInput['functionResponseTypes'],
    filterCriteria: props.FilterCriteria as FilterCriteria | undefined,
    scalingConfig: props.ScalingConfig ? { MaximumConcurrency: int((props.ScalingConfig as ScalingConfig).MaximumConcurrency) } : undefined,
  };
}

/** Every mapping, with the stack and logical ID of the ones a deploy made. */
async function ownedMappings(lambda: LambdaClient): Promise<{ mapping: EventSourceMappingConfiguration; stack: string; logicalId: string }[]> {
  const out: { mapping: EventSourceMappingConfiguration; stack: string; logicalId: string }[] = [];
  let marker: string | undefined;
  do {
    const page = await lambda.send(new ListEventSourceMappingsCommand({ Marker: marker }));
    for (const mapping of page.EventSourceMappings ?? []) {
      const { Tags } = await lambda.send(new ListTagsCommand({ Resource: mapping.EventSourceMappingArn! }));
      if (Tags?.[STACK_TAG] && Tags[LOGICAL_ID_TAG]) out.push({ mapping, stack: Tags[STACK_TAG], logicalId: Tags[LOGICAL_ID_TAG] });
    }
    marker = page.NextMarker;
  } while (marker);
  return out;
}

const settings = (input: MappingInput) => ({
  // A setting the template leaves out goes back to AWS's default on update too.
  BatchSize: input.batchSize ?? 10, Enabled: input.enabled ?? true, MaximumBatchingWindowInSeconds: input.maximumBatchingWindowInSeconds ?? 0,
  FunctionResponseTypes: input.functionResponseTypes ?? [], FilterCriteria: input.filterCriteria ?? { Filters: [] }, ScalingConfig: input.scalingConfig ?? {},
});

export interface MappingChange { logicalId: string; kind: 'created' | 'updated' | 'removed'; uuid: string; eventSourceArn: string }

/**
 * Creates or updates the stack's mappings and deletes the ones it no longer has. A mapping whose
 * queue changed is made again (a mapping's event source cannot be updated).
 */
export async function syncEventSourceMappings(lambda: LambdaClient, stackName: string, inputs: MappingInput[], onChange: (change: MappingChange) => void): Promise<Map<string, string>> {
  const ours = (await ownedMappings(lambda)).filter((o) => o.stack === stackName);
  const uuids = new Map<string, string>();
  for (const input of inputs) {
    const existing = ours.find((o) => o.logicalId === input.logicalId);
    if (existing && existing.mapping.EventSourceArn === input.eventSourceArn) {
      await lambda.send(new UpdateEventSourceMappingCommand({ UUID: existing.mapping.UUID, FunctionName: input.functionName, ...settings(input) }));
      uuids.set(input.logicalId, existing.mapping.UUID!);
      onChange({ logicalId: input.logicalId, kind: 'updated', uuid: existing.mapping.UUID!, eventSourceArn: input.eventSourceArn });
      continue;
    }
    if (existing) await lambda.send(new DeleteEventSourceMappingCommand({ UUID: existing.mapping.UUID }));
    const created = await lambda.send(new CreateEventSourceMappingCommand({
      EventSourceArn: input.eventSourceArn, FunctionName: input.functionName, ...settings(input),
      Tags: { [STACK_TAG]: stackName, [LOGICAL_ID_TAG]: input.logicalId },
    }));
    uuids.set(input.logicalId, created.UUID!);
    onChange({ logicalId: input.logicalId, kind: 'created', uuid: created.UUID!, eventSourceArn: input.eventSourceArn });
  }
  for (const o of ours) {
    if (inputs.some((i) => i.logicalId === o.logicalId)) continue;
    await deleteMapping(lambda, o.mapping.UUID!);
    onChange({ logicalId: o.logicalId, kind: 'removed', uuid: o.mapping.UUID!, eventSourceArn: o.mapping.EventSourceArn! });
  }
  return uuids;
}

/** Deletes a mapping; one already gone counts as deleted. */
const deleteMapping = (lambda: LambdaClient, uuid: string) =>
  lambda.send(new DeleteEventSourceMappingCommand({ UUID: uuid })).catch((e: Error) => (e.name === 'ResourceNotFoundException' ? undefined : Promise.reject(e)));

/** A stack's delete: every mapping it made deleted (with `dryRun`, only found), each reported. */
export async function removeStackMappings(lambda: LambdaClient, stackName: string, onRemoved: (change: MappingChange) => void, dryRun = false): Promise<void> {
  for (const o of (await ownedMappings(lambda)).filter((m) => m.stack === stackName)) {
    if (!dryRun) await deleteMapping(lambda, o.mapping.UUID!);
    onRemoved({ logicalId: o.logicalId, kind: 'removed', uuid: o.mapping.UUID!, eventSourceArn: o.mapping.EventSourceArn! });
  }
}

/** The deploy's step for the template's mappings (and its SAM functions' SQS events'); the stack's mappings the template no longer has are deleted. */
export async function deployEventSourceMappings(lambda: LambdaClient, model: StackModel, scope: Scope, d: Pick<ServiceDeploy, 'stackName' | 'log' | 'step'>,
  fromEvents: readonly MappingInput[]): Promise<void> {
  const inputs = [...model.others.values()].filter((r) => r.def.type === EVENT_SOURCE_MAPPING_TYPE).map((r) => mappingInput(r, scope)).concat(fromEvents);
  await d.step('EventSourceMappings', 'putting event source mappings', () => syncEventSourceMappings(lambda, d.stackName, inputs,
    (c) => d.log.report({ subject: c.kind === 'removed' ? 'EventSourceMappings' : c.logicalId, kind: c.kind, message: `event source mapping ${c.uuid} from ${c.eventSourceArn}` })));
}
