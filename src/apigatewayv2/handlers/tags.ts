// Tags on HTTP APIs and their stages by ARN (TagResource, UntagResource, GetTags under /v2/tags),
// as Terraform and the CLI manage them: arn:aws:apigateway:{region}::/apis/{apiId} and
// …/apis/{apiId}/stages/{stageName}. The same tags CreateApi and CreateStage take and GetApi and
// GetStage answer.
import type { HandlerTable } from '../../aws/protocols/rest-json.js';
import type { RequestContext } from '../../aws/request-context.js';
import type { Operations } from '../../aws/generated/apigatewayv2.js';
import { badRequest, notFound } from '../../apigateway/errors.js';
import { withApiLock, type Deps } from '../context.js';

const TAGGABLE = /^arn:aws[a-zA-Z-]*:apigateway:([a-z0-9-]+)::\/apis\/([^/]+)(?:\/stages\/([^/]+))?$/;

type Tagged = { get(): Record<string, string>; set(tags: Record<string, string>): Promise<void> };

const parse = (arn: string) => {
  const m = TAGGABLE.exec(arn);
  if (!m) throw badRequest('Invalid ARN specified in the request');
  return { region: m[1], apiId: m[2], stageName: m[3] === undefined ? undefined : decodeURIComponent(m[3]) };
};

async function taggable(deps: Deps, ctx: RequestContext, arn: string): Promise<Tagged> {
  const { region, apiId, stageName } = parse(arn);
  const api = region === ctx.region ? await deps.store.getApi({ accountId: ctx.accountId, region: ctx.region }, apiId) : undefined;
  if (!api) throw notFound('Invalid resource ARN specified');
  if (stageName === undefined) return { get: () => api.tags, set: (tags) => deps.store.updateApi({ ...api, tags }) };
  const stage = await deps.store.getItem(apiId, 'stage', stageName);
  if (!stage) throw notFound('Invalid resource ARN specified');
  return { get: () => stage.tags, set: (tags) => deps.store.writeItems(apiId, [{ kind: 'stage', id: stage.stageName, value: { ...stage, tags } }]) };
}

export function tagHandlers(deps: Deps): HandlerTable<Operations> {
  // Writes take the API's lock, as every other change to the API and its stages does.
  const locked = <T>(arn: string, fn: () => Promise<T>) => withApiLock(deps, parse(arn).apiId, fn);
  return {
    async GetTags(input, ctx) {
      return { Tags: { ...(await taggable(deps, ctx, input.ResourceArn)).get() } };
    },

    TagResource: (input, ctx) => locked(input.ResourceArn, async () => {
      const target = await taggable(deps, ctx, input.ResourceArn);
      await target.set({ ...target.get(), ...input.Tags });
      return {};
    }),

    UntagResource: (input, ctx) => locked(input.ResourceArn, async () => {
      const target = await taggable(deps, ctx, input.ResourceArn);
      const tags = { ...target.get() };
      for (const key of input.TagKeys) delete tags[key];
      await target.set(tags);
    }),
  };
}
