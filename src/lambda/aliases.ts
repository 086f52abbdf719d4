// Aliases: named pointers to a version, optionally splitting traffic with a second version.
import type { HandlerTable } from '../aws/protocols/rest-json.js';
import type { AliasConfiguration, AliasRoutingConfiguration, Operations } from '../aws/generated/lambda.js';
import { awsError } from '../core/errors.js';
import { newRevisionId } from '../core/ids.js';
import type { FunctionKey } from '../store/lambda-store.js';
import type { LambdaDeps } from './deps.js';
import { functionNotFound, invalidParameter, retryingLostRaces, revisionMismatch } from './errors.js';
import { arnOf, isVersionNumber, resolveRef } from './names.js';
import { pageAfter } from './paging.js';

type H = HandlerTable<Operations>;

/** Checks the target version and routing config against AWS's rules (existence included). */
async function checkTargets(deps: LambdaDeps, ref: FunctionKey, version: string, routing: AliasRoutingConfiguration | undefined): Promise<void> {
  const weights = routing?.AdditionalVersionWeights ?? {};
  const extra = Object.keys(weights);
  if (extra.length > 1) throw invalidParameter('Number of items in AdditionalVersionWeights cannot be greater than 1');
  if (extra.length && version === '$LATEST') throw invalidParameter('$LATEST is not supported for an alias pointing to more than 1 version');
  if (!(await deps.store.getFunction(ref))) throw functionNotFound(arnOf(ref, version));
  if (version !== '$LATEST' && !(await deps.store.getVersion(ref, version))) throw functionNotFound(arnOf(ref, version));
  for (const v of extra) {
    if (v === version) throw invalidParameter(`Invalid function version ${v}. Function version ${v} is already included in routing configuration.`);
    if (!isVersionNumber(v) || !(await deps.store.getVersion(ref, v))) throw functionNotFound(arnOf(ref, v));
  }
}

function toAlias(ref: FunctionKey, name: string, version: string, description: string, routing: AliasRoutingConfiguration | undefined): AliasConfiguration {
  const alias: AliasConfiguration = { AliasArn: arnOf(ref, name), Name: name, FunctionVersion: version, Description: description, RevisionId: newRevisionId() };
  if (routing?.AdditionalVersionWeights && Object.keys(routing.AdditionalVersionWeights).length) alias.RoutingConfig = routing;
  return alias;
}

export function aliasHandlers(deps: LambdaDeps): H {
  const { store, cache } = deps;
  const notFound = (ref: FunctionKey, name: string) => awsError('ResourceNotFoundException', `Cannot find alias arn: ${arnOf(ref, name)}`);
  return {
    async CreateAlias(input, ctx) {
      const ref = resolveRef(ctx, input.FunctionName);
      await checkTargets(deps, ref, input.FunctionVersion, input.RoutingConfig);
      const alias = toAlias(ref, input.Name, input.FunctionVersion, input.Description ?? '', input.RoutingConfig);
      const result = await store.createAlias(ref, alias);
      cache.invalidate(ref);
      if (result === 'conflict') throw awsError('ResourceConflictException', `Alias already exists: ${arnOf(ref, input.Name)}`);
      if (result === 'not-found') throw functionNotFound(arnOf(ref));
      return alias;
    },

    async GetAlias(input, ctx) {
      const ref = resolveRef(ctx, input.FunctionName);
      const alias = await store.getAlias(ref, input.Name);
      if (!alias) throw notFound(ref, input.Name);
      return alias;
    },

    async ListAliases(input, ctx) {
      const ref = resolveRef(ctx, input.FunctionName);
      if (!(await store.getFunction(ref))) throw functionNotFound(arnOf(ref));
      let aliases = await store.listAliases(ref);
      if (input.FunctionVersion) aliases = aliases.filter((a) => a.FunctionVersion === input.FunctionVersion);
      const page = pageAfter(aliases, (a) => a.Name!, input.Marker, input.MaxItems ?? 50);
      return { Aliases: page.items, NextMarker: page.nextMarker };
    },

    async UpdateAlias(input, ctx) {
      const ref = resolveRef(ctx, input.FunctionName);
      return retryingLostRaces(input.RevisionId, async () => {
        const current = await store.getAlias(ref, input.Name);
        if (!current) throw awsError('ResourceNotFoundException', `Alias not found: ${arnOf(ref, input.Name)}`);
        if (input.RevisionId && input.RevisionId !== current.RevisionId) throw revisionMismatch();
        const version = input.FunctionVersion ?? current.FunctionVersion!;
        const routing = input.RoutingConfig !== undefined ? input.RoutingConfig : current.RoutingConfig;
        await checkTargets(deps, ref, version, routing);
        const next = toAlias(ref, input.Name, version, input.Description ?? current.Description ?? '', routing);
        const result = await store.updateAlias(ref, current.RevisionId!, next);
        cache.invalidate(ref);
        if (result === 'revision-mismatch') throw revisionMismatch();
        if (result === 'not-found') throw awsError('ResourceNotFoundException', `Alias not found: ${arnOf(ref, input.Name)}`);
        return next;
      });
    },

    async DeleteAlias(input, ctx) {
      const ref = resolveRef(ctx, input.FunctionName);
      await store.deleteAlias(ref, input.Name);
      cache.invalidate(ref);
    },
  };
}
