// Code signing configs (Create/Get/Update/Delete/List CodeSigningConfig(s)), attaching one to a
// function (Put/Get/DeleteFunctionCodeSigningConfig, CreateFunction's CodeSigningConfigArn) and
// ListFunctionsByCodeSigningConfig, with the status codes and messages recorded on AWS. There is no
// AWS Signer here: configs are stored, returned and attached, and code is never verified, so
// UntrustedArtifactOnDeployment Enforce refuses nothing.
import { randomBytes } from 'node:crypto';
import type { HandlerTable } from '../aws/protocols/rest-json.js';
import type { CodeSigningConfig, Operations } from '../aws/generated/lambda.js';
import type { RequestContext } from '../aws/request-context.js';
import type { CodeSigningConfigKey, CodeSigningConfigRecord } from '../store/lambda-store.js';
import { awsError, type AwsError } from '../core/errors.js';
import { lambdaTimestamp } from '../core/ids.js';
import type { LambdaDeps } from './deps.js';
import { functionNotFound, unqualifiedOnly } from './errors.js';
import { arnOf, resolveRef } from './names.js';
import { pageAfter } from './paging.js';

type H = HandlerTable<Operations>;

const DEFAULT_PAGE = 50;
const ARN = /^arn:aws[a-zA-Z-]*:lambda:([a-z0-9-]+):(\d{12}):code-signing-config:(csc-[a-z0-9]{17})$/;

export const codeSigningConfigArn = (key: CodeSigningConfigKey): string => `arn:aws:lambda:${key.region}:${key.accountId}:code-signing-config:${key.id}`;

// (recorded without the `Type` member Lambda's other ResourceNotFoundExceptions carry)
const notFound = (arn: string): AwsError => awsError('ResourceNotFoundException', `The Lambda code signing configuration ${arn} can not be found.`, { untyped: true });
export const codeSigningConfigNotFound = (arn: string): AwsError =>
  awsError('CodeSigningConfigNotFoundException', `The code signing configuration cannot be found. Check that the provided configuration is not deleted: ${arn}.`);

/** The config an ARN names in the caller's account and region; undefined for any other ARN (none of ours). */
export function codeSigningConfigKey(ctx: RequestContext, arn: string): CodeSigningConfigKey | undefined {
  const m = ARN.exec(arn);
  if (!m || m[1] !== ctx.region || m[2] !== ctx.accountId) return undefined;
  return { accountId: ctx.accountId, region: ctx.region, id: m[3] };
}

/** The id of the existing config `arn` names, or CodeSigningConfigNotFoundException (as PutFunctionCodeSigningConfig and CreateFunction answer). */
export async function attachableConfigId(deps: LambdaDeps, ctx: RequestContext, arn: string): Promise<string> {
  const key = codeSigningConfigKey(ctx, arn);
  if (!key || !(await deps.store.getCodeSigningConfig(key))) throw codeSigningConfigNotFound(arn);
  return key.id;
}

function toWire(record: CodeSigningConfigRecord): CodeSigningConfig {
  return {
    CodeSigningConfigId: record.id,
    CodeSigningConfigArn: codeSigningConfigArn(record),
    Description: record.description,
    AllowedPublishers: { SigningProfileVersionArns: record.signingProfileVersionArns },
    CodeSigningPolicies: { UntrustedArtifactOnDeployment: record.untrustedArtifactOnDeployment as 'Warn' | 'Enforce' },
    LastModified: record.lastModified,
  };
}

export function codeSigningHandlers(deps: LambdaDeps): H {
  const { store, cache } = deps;

  async function existing(ctx: RequestContext, arn: string): Promise<CodeSigningConfigRecord> {
    const key = codeSigningConfigKey(ctx, arn);
    const record = key && (await store.getCodeSigningConfig(key));
    if (!record) throw notFound(arn);
    return record;
  }

  return {
    async CreateCodeSigningConfig(input, ctx) {
      const record: CodeSigningConfigRecord = {
        accountId: ctx.accountId, region: ctx.region, id: `csc-${randomBytes(9).toString('hex').slice(0, 17)}`,
        description: input.Description ?? '',
        signingProfileVersionArns: input.AllowedPublishers.SigningProfileVersionArns,
        untrustedArtifactOnDeployment: input.CodeSigningPolicies?.UntrustedArtifactOnDeployment ?? 'Warn',
        lastModified: lambdaTimestamp(),
      };
      await store.createCodeSigningConfig(record);
      return { CodeSigningConfig: toWire(record) };
    },

    async GetCodeSigningConfig(input, ctx) {
      return { CodeSigningConfig: toWire(await existing(ctx, input.CodeSigningConfigArn)) };
    },

    async UpdateCodeSigningConfig(input, ctx) {
      const key = codeSigningConfigKey(ctx, input.CodeSigningConfigArn);
      const updated = key && (await store.updateCodeSigningConfig(key, (current) => {
        const changed = input.Description !== undefined || input.AllowedPublishers !== undefined || input.CodeSigningPolicies?.UntrustedArtifactOnDeployment !== undefined;
        return {
          ...current,
          description: input.Description ?? current.description,
          signingProfileVersionArns: input.AllowedPublishers?.SigningProfileVersionArns ?? current.signingProfileVersionArns,
          untrustedArtifactOnDeployment: input.CodeSigningPolicies?.UntrustedArtifactOnDeployment ?? current.untrustedArtifactOnDeployment,
          lastModified: changed ? lambdaTimestamp() : current.lastModified,
        };
      }));
      if (!updated) throw notFound(input.CodeSigningConfigArn);
      return { CodeSigningConfig: toWire(updated) };
    },

    async DeleteCodeSigningConfig(input, ctx) {
      const key = codeSigningConfigKey(ctx, input.CodeSigningConfigArn);
      const result = key ? await store.deleteCodeSigningConfig(key) : 'not-found';
      if (result === 'not-found') throw notFound(input.CodeSigningConfigArn);
      if (result === 'in-use') {
        throw awsError('ResourceConflictException', `The code signing configuration ${input.CodeSigningConfigArn} cannot be deleted because it is used by one or more functions.`);
      }
      return {};
    },

    async ListCodeSigningConfigs(input, ctx) {
      const all = await store.listCodeSigningConfigs(ctx.accountId, ctx.region);
      const page = pageAfter(all, (r) => r.id, input.Marker, input.MaxItems ?? DEFAULT_PAGE);
      return { CodeSigningConfigs: page.items.map(toWire), NextMarker: page.nextMarker };
    },

    async ListFunctionsByCodeSigningConfig(input, ctx) {
      const record = await existing(ctx, input.CodeSigningConfigArn);
      const names = await store.listFunctionsByCodeSigningConfig(record);
      const page = pageAfter(names, (name) => name, input.Marker, input.MaxItems ?? DEFAULT_PAGE);
      return { FunctionArns: page.items.map((name) => arnOf({ ...ctx, name })), NextMarker: page.nextMarker };
    },

    // The config is checked before the function (recorded: both missing answers CodeSigningConfigNotFoundException).
    async PutFunctionCodeSigningConfig(input, ctx) {
      const ref = resolveRef(ctx, input.FunctionName);
      const key = codeSigningConfigKey(ctx, input.CodeSigningConfigArn);
      if (!key) throw codeSigningConfigNotFound(input.CodeSigningConfigArn);
      if (ref.qualifier !== undefined) throw unqualifiedOnly();
      const result = await store.setFunctionCodeSigningConfig(ref, key.id);
      if (result === 'config-not-found') throw codeSigningConfigNotFound(input.CodeSigningConfigArn);
      if (result === 'function-not-found') throw functionNotFound(arnOf(ref));
      cache.invalidate(ref);
      return { CodeSigningConfigArn: codeSigningConfigArn(key), FunctionName: ref.name };
    },

    // A function without one answers 200 with neither member (recorded).
    async GetFunctionCodeSigningConfig(input, ctx) {
      const ref = resolveRef(ctx, input.FunctionName);
      if (ref.qualifier !== undefined) throw unqualifiedOnly();
      const fn = await store.getFunction(ref);
      if (!fn) throw functionNotFound(arnOf(ref));
      if (fn.codeSigningConfigId === undefined) return {} as { CodeSigningConfigArn: string; FunctionName: string };
      return { CodeSigningConfigArn: codeSigningConfigArn({ ...ref, id: fn.codeSigningConfigId }), FunctionName: ref.name };
    },

    // Detaching from a function that has none is a 204 too (recorded).
    async DeleteFunctionCodeSigningConfig(input, ctx) {
      const ref = resolveRef(ctx, input.FunctionName);
      if (ref.qualifier !== undefined) throw unqualifiedOnly();
      if ((await store.setFunctionCodeSigningConfig(ref, undefined)) === 'function-not-found') throw functionNotFound(arnOf(ref));
      cache.invalidate(ref);
    },
  };
}
