// CreateRestApi's cloneFrom: a copy of the source API's resource tree and methods with new
// resource ids, parents before children, ready to be written with the new API in one transaction.
// Authorizers are copied with their ids (ids are per API), so cloned CUSTOM methods still name theirs;
// customised gateway responses, models and request validators are copied as they are (a model's
// references to others in the source API are left naming the source API).
import type { ResourceRecord, RestApiContents } from '../../store/apigateway-store.js';
import { newShortId } from '../../core/ids.js';
import type { Deps } from './context.js';

export async function cloneTree(deps: Deps, sourceApiId: string, sourceRootId: string, targetRootId: string):
  Promise<{ resources: ResourceRecord[]; contents: RestApiContents }> {
  const resources = await deps.store.listResources(sourceApiId);
  const methods = await deps.store.listMethods(sourceApiId);
  const authorizers = await deps.store.listAuthorizers(sourceApiId);
  const gatewayResponses = await deps.store.listGatewayResponses(sourceApiId);
  const models = await deps.store.listModels(sourceApiId);
  const requestValidators = await deps.store.listRequestValidators(sourceApiId);
  const ids = new Map<string, string>([[sourceRootId, targetRootId]]);
  const copies: ResourceRecord[] = [{ id: targetRootId, path: '/' }];
  const byDepth = [...resources].sort((a, b) => a.path.split('/').length - b.path.split('/').length);
  for (const r of byDepth) {
    if (r.id === sourceRootId || r.parentId === undefined) continue;
    const id = newShortId();
    ids.set(r.id, id);
    copies.push({ id, parentId: ids.get(r.parentId)!, pathPart: r.pathPart, path: r.path });
  }
  return {
    resources: copies,
    contents: {
      authorizers,
      gatewayResponses,
      models,
      requestValidators,
      methods: methods.map(({ resourceId, method }) => {
        const copy = structuredClone(method);
        const newId = ids.get(resourceId)!;
        if (copy.methodIntegration?.cacheNamespace === resourceId) copy.methodIntegration.cacheNamespace = newId;
        return { resourceId: newId, method: copy };
      }),
    },
  };
}
