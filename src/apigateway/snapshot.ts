// What CreateDeployment freezes: every resource with its methods (integrations and responses
// included), the API's authorizers, customised gateway responses, models and request validators,
// and the API-level settings that only take effect on deployment. The result is plain
// JSON stored once and never changed; later edits to the API are not served until redeployed.
import type { ApiGatewayStore, DeploymentSnapshot, MethodSnapshotMap, RestApiRecord, SnapshotResource } from '../store/apigateway-store.js';
import { badRequest } from './errors.js';

export async function takeSnapshot(store: ApiGatewayStore, api: RestApiRecord): Promise<DeploymentSnapshot> {
  const [resources, methods, authorizers, gatewayResponses, models, requestValidators] = await Promise.all([
    store.listResources(api.id), store.listMethods(api.id), store.listAuthorizers(api.id), store.listGatewayResponses(api.id),
    store.listModels(api.id), store.listRequestValidators(api.id),
  ]);
  if (methods.length === 0) throw badRequest("The REST API doesn't contain any methods");
  if (methods.some((m) => !m.method.methodIntegration)) throw badRequest('No integration defined for method');
  const byResource = new Map<string, SnapshotResource['resourceMethods']>();
  for (const { resourceId, method } of methods) {
    const map = byResource.get(resourceId) ?? {};
    map[method.httpMethod] = method;
    byResource.set(resourceId, map);
  }
  const snapshotResources: SnapshotResource[] = resources
    .map((r) => ({ ...r, resourceMethods: byResource.get(r.id) ?? {} }))
    .sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  const settings: DeploymentSnapshot['api'] = {
    binaryMediaTypes: [...api.binaryMediaTypes],
    apiKeySource: api.apiKeySource,
    disableExecuteApiEndpoint: api.disableExecuteApiEndpoint,
  };
  if (api.minimumCompressionSize !== undefined) settings.minimumCompressionSize = api.minimumCompressionSize;
  if (api.policy !== undefined) settings.policy = api.policy;
  const snapshot: DeploymentSnapshot = { api: settings, resources: snapshotResources, authorizers: Object.fromEntries(authorizers.map((a) => [a.id, a])) };
  // Left out when nothing is customised, so the data plane's error path has nothing to look at.
  if (gatewayResponses.length) snapshot.gatewayResponses = Object.fromEntries(gatewayResponses.map((r) => [r.responseType, r]));
  if (models.length) snapshot.models = Object.fromEntries(models.map((m) => [m.name, m]));
  if (requestValidators.length) snapshot.requestValidators = Object.fromEntries(requestValidators.map((v) => [v.id, v]));
  return snapshot;
}

/** GetDeployment's embed=apisummary: path → method → { authorizationType, apiKeyRequired }. */
export function apiSummary(snapshot: DeploymentSnapshot): Record<string, MethodSnapshotMap> {
  const summary: Record<string, MethodSnapshotMap> = {};
  for (const r of snapshot.resources) {
    const methods = Object.values(r.resourceMethods);
    if (!methods.length) continue;
    summary[r.path] = Object.fromEntries(methods.map((m) => [m.httpMethod, { authorizationType: m.authorizationType, apiKeyRequired: m.apiKeyRequired ?? false }]));
  }
  return summary;
}

/** Deep-freezes a value so a cached snapshot can be shared by every request without copies. */
export function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const v of Object.values(value as object)) deepFreeze(v);
  }
  return value;
}
