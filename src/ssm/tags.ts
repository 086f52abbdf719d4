// AddTagsToResource, RemoveTagsFromResource, ListTagsForResource for parameters (ResourceType
// Parameter, ResourceId the parameter's name or ARN). Other resource types are not served here.
import type { HandlerTable } from '../aws/protocols/json-rpc.js';
import type { Operations } from '../aws/generated/ssm.js';
import type { ParameterTag } from '../store/ssm-store.js';
import { updateDocument } from '../store/named-documents.js';
import { invalidResourceId, invalidResourceType, tooManyTags } from './errors.js';
import { parseReference } from './names.js';
import { scopeOf, type SsmDeps } from './resources.js';

const MAX_TAGS = 50;

function retag(deps: SsmDeps, ctx: Parameters<typeof scopeOf>[0], type: string, id: string, change: (tags: ParameterTag[]) => ParameterTag[]): Promise<ParameterTag[]> {
  if (type !== 'Parameter') throw invalidResourceType();
  const scope = scopeOf(ctx);
  const [name] = parseReference(scope, id).names;
  return updateDocument(deps.store, scope, name, (found) => {
    if (!found) throw invalidResourceId();
    const tags = change(found.doc.tags);
    if (tags.length > MAX_TAGS) throw tooManyTags();
    return { doc: tags === found.doc.tags ? undefined : { ...found.doc, tags }, result: tags };
  });
}

export function tagHandlers(deps: SsmDeps): HandlerTable<Operations> {
  return {
    async AddTagsToResource(input, ctx) {
      await retag(deps, ctx, input.ResourceType, input.ResourceId, (tags) => {
        const merged = new Map(tags.map((t) => [t.Key, t.Value]));
        for (const t of input.Tags) merged.set(t.Key, t.Value);
        return [...merged].map(([Key, Value]) => ({ Key, Value }));
      });
      return {};
    },
    async RemoveTagsFromResource(input, ctx) {
      await retag(deps, ctx, input.ResourceType, input.ResourceId, (tags) => tags.filter((t) => !input.TagKeys.includes(t.Key)));
      return {};
    },
    async ListTagsForResource(input, ctx) {
      return { TagList: await retag(deps, ctx, input.ResourceType, input.ResourceId, (tags) => tags) };
    },
  };
}
