// Tags on REST APIs, stages, API keys, usage plans and client certificates (TagResource, UntagResource, GetTags), GetAccount and
// UpdateAccount, and
// TestInvokeMethod, which runs through the execute-api chain (src/execute-api/test-invoke.ts).
import type { HandlerTable } from '../../aws/protocols/rest-json.js';
import type { RequestContext } from '../../aws/request-context.js';
import type { Account, Operations } from '../../aws/generated/apigateway.js';
import type { ApiGatewayAccountRecord } from '../../store/apigateway-store.js';
import { awsError } from '../../core/errors.js';
import { badRequest, invalidPatchPath, notFound, onlyReplace } from '../errors.js';
import { requireMethod, scopeOf, withApiLock, type Deps } from './context.js';
import { USAGE_LOCK } from './api-keys.js';
import { stageClientCertificate } from './client-certificates.js';

const TAGGABLE = /^arn:aws[a-zA-Z-]*:apigateway:([a-z0-9-]+)::\/restapis\/([^/]+)(?:\/stages\/([^/]+))?$/;
const USAGE_TAGGABLE = /^arn:aws[a-zA-Z-]*:apigateway:([a-z0-9-]+)::\/(apikeys|usageplans|clientcertificates)\/([^/]+)$/;

type Tagged = { get(): Record<string, string>; set(tags: Record<string, string>): Promise<void> };

/** An API key, usage plan or client certificate by ARN (they belong to the account and region, not to an API). */
async function usageTaggable(deps: Deps, ctx: RequestContext, m: RegExpExecArray): Promise<Tagged> {
  const [, region, kind, id] = m;
  const scope = scopeOf(ctx);
  if (region === ctx.region && kind === 'apikeys') {
    const key = await deps.store.getApiKey(scope, id);
    if (key) return { get: () => key.tags, set: (tags) => deps.store.updateApiKey({ ...key, tags }) };
  } else if (region === ctx.region && kind === 'clientcertificates') {
    const certificate = await deps.clientCertificates?.getClientCertificate(scope, id);
    if (certificate) return { get: () => certificate.tags, set: (tags) => deps.clientCertificates!.updateClientCertificate({ ...certificate, tags }).then(() => undefined) };
  } else if (region === ctx.region) {
    const plan = await deps.store.getUsagePlan(scope, id);
    if (plan) return { get: () => plan.tags, set: (tags) => deps.store.updateUsagePlan({ ...plan, tags }) };
  }
  throw notFound('Invalid resource ARN specified');
}

async function taggable(deps: Deps, ctx: RequestContext, arn: string): Promise<Tagged> {
  const usage = USAGE_TAGGABLE.exec(arn);
  if (usage) return usageTaggable(deps, ctx, usage);
  const m = TAGGABLE.exec(arn);
  if (!m) throw badRequest('Invalid ARN specified in the request');
  const [, region, apiId, stageName] = m;
  const api = region === ctx.region ? await deps.store.getRestApi(scopeOf(ctx), apiId) : undefined;
  if (!api) throw notFound('Invalid resource ARN specified');
  if (stageName === undefined) {
    return { get: () => api.tags, set: (tags) => deps.store.updateRestApi({ ...api, tags }) };
  }
  const stage = await deps.store.getStage(apiId, decodeURIComponent(stageName));
  if (!stage) throw notFound('Invalid resource ARN specified');
  return { get: () => stage.tags ?? {}, set: (tags) => deps.store.updateStage(apiId, { ...stage, tags }) };
}

/** The account's settings with what API Gateway fixes for every account (AWS's defaults). */
function accountView(settings: ApiGatewayAccountRecord | undefined): Account {
  const view: Account = { throttleSettings: { burstLimit: 5000, rateLimit: 10000.0 }, features: ['UsagePlans'], apiKeyVersion: '4' };
  return settings?.cloudwatchRoleArn ? { cloudwatchRoleArn: settings.cloudwatchRoleArn, ...view } : view;
}
const ACCOUNT_LOCK = 'account-settings';

/** The lock a tag write takes: its API's, or the one keys and plans share. */
const lockOf = (arn: string) => (USAGE_TAGGABLE.test(arn) ? USAGE_LOCK : TAGGABLE.exec(arn)?.[2] ?? arn);

export function miscHandlers(deps: Deps): HandlerTable<Operations> {
  return {
    async GetTags(input, ctx) {
      return { tags: { ...(await taggable(deps, ctx, input.resourceArn)).get() } };
    },

    async TagResource(input, ctx) {
      await withApiLock(deps, lockOf(input.resourceArn), async () => {
        const target = await taggable(deps, ctx, input.resourceArn);
        await target.set({ ...target.get(), ...input.tags });
      });
    },

    async UntagResource(input, ctx) {
      await withApiLock(deps, lockOf(input.resourceArn), async () => {
        const target = await taggable(deps, ctx, input.resourceArn);
        const tags = { ...target.get() };
        for (const key of input.tagKeys) delete tags[key];
        await target.set(tags);
      });
    },

    async GetAccount(_input, ctx) {
      return accountView(await deps.store.getAccountSettings(scopeOf(ctx)));
    },

    // The CloudWatch role is stored as given (an empty value clears it): nothing here writes to CloudWatch with it.
    UpdateAccount: (input, ctx) => withApiLock(deps, ACCOUNT_LOCK, async () => {
      const scope = scopeOf(ctx);
      const settings: ApiGatewayAccountRecord = { ...(await deps.store.getAccountSettings(scope)) };
      for (const op of input.patchOperations ?? []) {
        if (op.path !== '/cloudwatchRoleArn') throw invalidPatchPath(op.path);
        if (op.op !== 'replace') throw onlyReplace();
        if (op.value) settings.cloudwatchRoleArn = op.value;
        else delete settings.cloudwatchRoleArn;
      }
      await deps.store.putAccountSettings(scope, settings);
      return accountView(settings);
    }),

    async TestInvokeMethod(input, ctx) {
      const { api, resource, method } = await requireMethod(deps, ctx, input.restApiId, input.resourceId, input.httpMethod.toUpperCase());
      if (!deps.testInvoke) throw awsError('UnknownOperationException', 'TestInvokeMethod needs the execute-api data plane, which is not running.', { status: 501 });
      const clientCertificate = input.clientCertificateId ? await stageClientCertificate(deps, ctx, input.clientCertificateId) : undefined;
      return deps.testInvoke({ api, resource, method, request: input, sourceIp: ctx.sourceIp, clientCertificate });
    },
  };
}
