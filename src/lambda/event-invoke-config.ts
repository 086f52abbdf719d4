// Asynchronous invocation settings per function qualifier: Put/Update/Get/Delete/List
// FunctionEventInvokeConfig(s), with AWS's checks and messages (recorded on AWS): Put replaces
// every setting, Update changes only those given; destinations are validated when set.
import type { HandlerTable } from '../aws/protocols/rest-json.js';
import type { DestinationConfig, FunctionEventInvokeConfig, Operations } from '../aws/generated/lambda.js';
import type { EventInvokeConfigRecord, FunctionKey } from '../store/lambda-store.js';
import type { LambdaDeps } from './deps.js';
import { functionDoesNotExist, invalidParameter, noEventInvokeConfig } from './errors.js';
import { arnOf, isVersionNumber, resolveRef, type FunctionRef } from './names.js';
import { destinationTarget } from './destinations.js';
import { pageAfter } from './paging.js';

type H = HandlerTable<Operations>;

interface Settings {
  MaximumRetryAttempts?: number;
  MaximumEventAgeInSeconds?: number;
  DestinationConfig?: DestinationConfig;
}

const DEFAULT_PAGE = 50;

/** True when the function exists and, for a qualified ref, so does that version or alias. */
async function exists(deps: LambdaDeps, ref: FunctionRef): Promise<boolean> {
  if (!(await deps.store.getFunction(ref))) return false;
  const q = ref.qualifier;
  if (q === undefined || q === '$LATEST') return true;
  return Boolean(isVersionNumber(q) ? await deps.store.getVersion(ref, q) : await deps.store.getAlias(ref, q));
}

function requireSomeSetting(input: Settings): void {
  if (input.MaximumRetryAttempts === undefined && input.MaximumEventAgeInSeconds === undefined && input.DestinationConfig === undefined) {
    throw invalidParameter('You must specify at least one of error handling or destination setting.');
  }
}

/** AWS prints the config it refuses the way its Java model prints it. */
function describe(config: DestinationConfig): string {
  const part = (type: string, d: { Destination?: string } | undefined) => (d ? `${type}(destination=${d.Destination ?? 'null'})` : 'null');
  return `DestinationConfig(onSuccess=${part('OnSuccess', config.OnSuccess)}, onFailure=${part('OnFailure', config.OnFailure)})`;
}

async function checkDestinations(deps: LambdaDeps, source: FunctionKey, config: DestinationConfig): Promise<void> {
  for (const on of ['onSuccess', 'onFailure'] as const) {
    const arn = (on === 'onSuccess' ? config.OnSuccess : config.OnFailure)?.Destination;
    if (!arn) continue;
    const target = destinationTarget(arn, on);
    if (!target) throw invalidParameter(`The provided destination config ${describe(config)} is invalid.`);
    if (target.kind !== 'function') continue;
    const { ref } = target;
    if (ref.accountId === source.accountId && ref.region === source.region && ref.name === source.name) {
      throw invalidParameter("You can't specify the function as a destination for itself.");
    }
    const local = ref.accountId === source.accountId && ref.region === source.region;
    if (!local || !(await exists(deps, ref))) throw invalidParameter(`The destination ARN ${arn} is invalid.`);
  }
}

function toRecord(qualifier: string, input: Settings, base?: EventInvokeConfigRecord): EventInvokeConfigRecord {
  const record: EventInvokeConfigRecord = { ...base, qualifier, lastModifiedMs: Date.now() };
  if (input.MaximumRetryAttempts !== undefined) record.maximumRetryAttempts = input.MaximumRetryAttempts;
  if (input.MaximumEventAgeInSeconds !== undefined) record.maximumEventAgeInSeconds = input.MaximumEventAgeInSeconds;
  const destinations = input.DestinationConfig;
  if (destinations?.OnSuccess !== undefined) record.onSuccess = destinations.OnSuccess.Destination || undefined;
  if (destinations?.OnFailure !== undefined) record.onFailure = destinations.OnFailure.Destination || undefined;
  return record;
}

function view(ref: FunctionKey, r: EventInvokeConfigRecord): FunctionEventInvokeConfig {
  return {
    LastModified: new Date(r.lastModifiedMs),
    FunctionArn: arnOf(ref, r.qualifier),
    MaximumRetryAttempts: r.maximumRetryAttempts,
    MaximumEventAgeInSeconds: r.maximumEventAgeInSeconds,
    DestinationConfig: {
      OnSuccess: r.onSuccess ? { Destination: r.onSuccess } : {},
      OnFailure: r.onFailure ? { Destination: r.onFailure } : {},
    },
  };
}

export function eventInvokeConfigHandlers(deps: LambdaDeps): H {
  const { store } = deps;

  /** Put and Update share everything but the starting point: nothing (Put) or the current settings (Update). */
  const save = async (ref: FunctionRef, input: Settings, base: EventInvokeConfigRecord | undefined) => {
    if (input.DestinationConfig) await checkDestinations(deps, ref, input.DestinationConfig);
    const record = toRecord(ref.qualifier ?? '$LATEST', input, base);
    if ((await store.putEventInvokeConfig(ref, record)) === 'not-found') throw functionDoesNotExist();
    return view(ref, record);
  };

  return {
    async PutFunctionEventInvokeConfig(input, ctx) {
      const ref = resolveRef(ctx, input.FunctionName, input.Qualifier);
      requireSomeSetting(input);
      if (!(await exists(deps, ref))) throw functionDoesNotExist();
      return save(ref, input, undefined);
    },

    async UpdateFunctionEventInvokeConfig(input, ctx) {
      const ref = resolveRef(ctx, input.FunctionName, input.Qualifier);
      requireSomeSetting(input);
      if (!(await store.getFunction(ref))) throw functionDoesNotExist();
      const qualifier = ref.qualifier ?? '$LATEST';
      const current = await store.getEventInvokeConfig(ref, qualifier);
      if (!current) throw noEventInvokeConfig(arnOf(ref, qualifier));
      return save(ref, input, current);
    },

    async GetFunctionEventInvokeConfig(input, ctx) {
      const ref = resolveRef(ctx, input.FunctionName, input.Qualifier);
      const qualifier = ref.qualifier ?? '$LATEST';
      const record = await store.getEventInvokeConfig(ref, qualifier);
      if (!record) throw noEventInvokeConfig(arnOf(ref, qualifier));
      return view(ref, record);
    },

    async DeleteFunctionEventInvokeConfig(input, ctx) {
      const ref = resolveRef(ctx, input.FunctionName, input.Qualifier);
      const qualifier = ref.qualifier ?? '$LATEST';
      if (!(await store.deleteEventInvokeConfig(ref, qualifier))) throw noEventInvokeConfig(arnOf(ref, qualifier));
    },

    async ListFunctionEventInvokeConfigs(input, ctx) {
      const ref = resolveRef(ctx, input.FunctionName);
      if (!(await store.getFunction(ref))) throw functionDoesNotExist();
      const page = pageAfter(await store.listEventInvokeConfigs(ref), (r) => r.qualifier, input.Marker, input.MaxItems ?? DEFAULT_PAGE);
      return { FunctionEventInvokeConfigs: page.items.map((r) => view(ref, r)), NextMarker: page.nextMarker };
    },
  };
}
