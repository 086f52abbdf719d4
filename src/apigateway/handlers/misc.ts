// Tags on REST APIs and stages (TagResource, UntagResource, GetTags), GetAccount, and
// TestInvokeMethod, which runs through the execute-api chain (src/execute-api/test-invoke.ts).
import type { HandlerTable } from '../../aws/protocols/rest-json.js';
import type { RequestContext } from '../../aws/request-context.js';
import type { Operations } from '../../aws/generated/apigateway.js';
import { awsError } from '../../core/errors.js';
import { badRequest, notFound } from '../errors.js';
import { requireMethod, scopeOf, withApiLock, type Deps } from './context.js';

const TAGGABLE = /^arn:aws[a-zA-Z-]*:apigateway:([a-z0-9-]+)::\/restapis\/([^/]+)(?:\/stages\/([^/]+))?$/;

type Tagged = { get(): Record<string, string>; set(tags: Record<string, string>): Promise<void> };

async function taggable(deps: Deps, ctx: RequestContext, arn: string): Promise<Tagged> {
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

const apiIdOf = (arn: string) => TAGGABLE.exec(arn)?.[2] ?? arn;

export function miscHandlers(deps: Deps): HandlerTable<Operations> {
  return {
    async GetTags(input, ctx) {
      return { tags: { ...(await taggable(deps, ctx, input.resourceArn)).get() } };
    },

    async TagResource(input, ctx) {
      await withApiLock(deps, apiIdOf(input.resourceArn), async () => {
        const target = await taggable(deps, ctx, input.resourceArn);
        await target.set({ ...target.get(), ...input.tags });
      });
    },

    async UntagResource(input, ctx) {
      await withApiLock(deps, apiIdOf(input.resourceArn), async () => {
        const target = await taggable(deps, ctx, input.resourceArn);
        const tags = { ...target.get() };
        for (const key of input.tagKeys) delete tags[key];
        await target.set(tags);
      });
    },

    GetAccount() {
      return { throttleSettings: { burstLimit: 5000, rateLimit: 10000.0 }, features: ['UsagePlans'], apiKeyVersion: '4' };
    },

    async TestInvokeMethod(input, ctx) {
      const { api, resource, method } = await requireMethod(deps, ctx, input.restApiId, input.resourceId, input.httpMethod.toUpperCase());
      if (!deps.testInvoke) throw awsError('UnknownOperationException', 'TestInvokeMethod needs the execute-api data plane, which is not running.', { status: 501 });
      return deps.testInvoke({ api, resource, method, request: input, sourceIp: ctx.sourceIp });
    },
  };
}
