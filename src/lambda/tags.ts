// Tags on functions (AWS doesn't tag versions or aliases).
import type { HandlerTable } from '../aws/protocols/rest-json.js';
import type { Operations } from '../aws/generated/lambda.js';
import type { LambdaDeps } from './deps.js';
import { functionNotFound, invalidParameter } from './errors.js';
import { arnOf, resolveRef } from './names.js';
import type { RequestContext } from '../aws/request-context.js';
import type { ServiceModel } from '../aws/model.js';
import { awsError } from '../core/errors.js';
import { parseFunctionName } from '../core/arn.js';
import { isMappingArn, type MappingTags } from './event-source-mappings/tags.js';

type H = HandlerTable<Operations>;
const MAX_TAGS = 50;

/**
 * The tag value constraints Lambda checks and its published model leaves out (AWS's answer, as
 * users report it: "Value '{…}' at 'tags' failed to satisfy constraint: Map value must satisfy
 * constraint: [Member must have length less than or equal to 256, Member must have length greater
 * than or equal to 0, Member must satisfy regular expression pattern: ^([\p{L}\p{Z}\p{N}_.:/=+\-@]*)$]").
 */
export function withTagConstraints(model: ServiceModel): ServiceModel {
  return { ...model, shapes: { ...model.shapes, TagValue: { ...model.shapes.TagValue, max: 256, min: 0, pattern: '^([\\p{L}\\p{Z}\\p{N}_.:/=+\\-@]*)$', listedWithoutNotNull: true } } };
}

/**
 * Capacity providers are taggable on AWS but not served here: none exists, so their ARNs get
 * AWS's not-found answer (recorded: TestLambdaTag::test_tag_exceptions).
 */
const UNSERVED_RESOURCES: ReadonlyArray<[RegExp, string]> = [
  [/^arn:[^:]+:lambda:[^:]+:\d{12}:capacity-provider:/, 'Capacity provider not found'],
];

function functionOf(ctx: RequestContext, resource: string) {
  for (const [arn, message] of UNSERVED_RESOURCES) if (arn.test(resource)) throw awsError('ResourceNotFoundException', `${message}: ${resource}`);
  const ref = resolveRef(ctx, resource, undefined, parseFunctionName);
  if (ref.qualifier !== undefined) throw invalidParameter('Tags on function aliases and versions are not supported. Please specify a function ARN.');
  return ref;
}

/** `mappings`: event source mappings' tags (their ARNs are refused as not found without it). */
export function tagHandlers(deps: LambdaDeps, mappings?: MappingTags): H {
  const { store, cache } = deps;
  const mappingOf = (resource: string): MappingTags | undefined => {
    if (!isMappingArn(resource)) return undefined;
    if (!mappings) throw awsError('ResourceNotFoundException', `Event source mapping not found: ${resource}`);
    return mappings;
  };
  const addTags = (current: Record<string, string>, tags: Record<string, string>) => {
    const merged = { ...current, ...tags };
    if (Object.keys(merged).length > MAX_TAGS) throw invalidParameter('Number of tags exceeds resource tag limit.');
    return merged;
  };
  const removeTags = (current: Record<string, string>, keys: string[] | undefined) => {
    const tags = { ...current };
    for (const key of keys ?? []) delete tags[key];
    return tags;
  };
  return {
    async TagResource(input, ctx) {
      const tagged = mappingOf(input.Resource);
      if (tagged) {
        if (!input.Tags || Object.keys(input.Tags).length === 0) throw invalidParameter('An error occurred and the request cannot be processed.');
        return void (await tagged.change(input.Resource, (current) => addTags(current, input.Tags!)));
      }
      const ref = functionOf(ctx, input.Resource);
      if (!input.Tags || Object.keys(input.Tags).length === 0) throw invalidParameter('An error occurred and the request cannot be processed.');
      const found = await store.changeTags(ref, (current) => addTags(current, input.Tags!));
      cache.invalidate(ref);
      if (!found) throw functionNotFound(arnOf(ref));
    },

    async UntagResource(input, ctx) {
      const tagged = mappingOf(input.Resource);
      if (tagged) return void (await tagged.change(input.Resource, (current) => removeTags(current, input.TagKeys)));
      const ref = functionOf(ctx, input.Resource);
      const found = await store.changeTags(ref, (current) => removeTags(current, input.TagKeys));
      cache.invalidate(ref);
      if (!found) throw functionNotFound(arnOf(ref));
    },

    async ListTags(input, ctx) {
      const tagged = mappingOf(input.Resource);
      if (tagged) return { Tags: await tagged.get(input.Resource) };
      const ref = functionOf(ctx, input.Resource);
      const fn = await store.getFunction(ref);
      if (!fn) throw functionNotFound(arnOf(ref));
      return { Tags: fn.tags };
    },
  };
}
