// Stored records as API Gateway returns them on the wire (members AWS leaves out stay out).
import type { Deployment, Resource, RestApi, Stage } from '../aws/generated/apigateway.js';
import type { DeploymentSummary, MethodRecord, ResourceRecord, RestApiRecord, StageRecord } from '../store/apigateway-store.js';

/** `tagsAlways`: UpdateRestApi answers with `tags: {}` even when the API has none (recorded AWS behaviour). */
export function restApiView(api: RestApiRecord, options: { tagsAlways?: boolean } = {}): RestApi {
  const view: RestApi = {
    id: api.id,
    name: api.name,
    createdDate: new Date(api.createdDate),
    apiKeySource: api.apiKeySource,
    endpointConfiguration: {
      types: [...api.endpointConfiguration.types],
      ipAddressType: api.endpointConfiguration.ipAddressType,
      ...(api.endpointConfiguration.vpcEndpointIds?.length ? { vpcEndpointIds: [...api.endpointConfiguration.vpcEndpointIds] } : {}),
    },
    disableExecuteApiEndpoint: api.disableExecuteApiEndpoint,
    rootResourceId: api.rootResourceId,
  };
  if (api.description !== undefined) view.description = api.description;
  if (api.version !== undefined) view.version = api.version;
  if (api.binaryMediaTypes.length) view.binaryMediaTypes = [...api.binaryMediaTypes];
  if (api.minimumCompressionSize !== undefined) view.minimumCompressionSize = api.minimumCompressionSize;
  if (api.policy !== undefined) view.policy = api.policy;
  if (Object.keys(api.tags).length || options.tagsAlways) view.tags = { ...api.tags };
  return view;
}

/**
 * A resource; `methods` lists its methods. With `embed` the methods are returned whole, else as
 * empty objects keyed by HTTP method (as GetResources does without `embed=methods`).
 */
export function resourceView(resource: ResourceRecord, methods: MethodRecord[], embed: boolean): Resource {
  const view: Resource = { id: resource.id };
  if (resource.parentId !== undefined) view.parentId = resource.parentId;
  if (resource.pathPart !== undefined) view.pathPart = resource.pathPart;
  view.path = resource.path;
  if (methods.length) view.resourceMethods = Object.fromEntries(methods.map((m) => [m.httpMethod, embed ? m : {}]));
  return view;
}

export function stageView(stage: StageRecord): Stage {
  const view: Stage = {
    deploymentId: stage.deploymentId,
    stageName: stage.stageName,
    cacheClusterEnabled: stage.cacheClusterEnabled,
    cacheClusterStatus: stage.cacheClusterEnabled ? 'AVAILABLE' : 'NOT_AVAILABLE',
    methodSettings: stage.methodSettings,
    tracingEnabled: stage.tracingEnabled,
    createdDate: new Date(stage.createdDate),
    lastUpdatedDate: new Date(stage.lastUpdatedDate),
  };
  if (stage.description !== undefined) view.description = stage.description;
  if (stage.cacheClusterSize !== undefined) view.cacheClusterSize = stage.cacheClusterSize as Stage['cacheClusterSize'];
  if (stage.clientCertificateId !== undefined) view.clientCertificateId = stage.clientCertificateId;
  if (stage.variables && Object.keys(stage.variables).length) view.variables = stage.variables;
  if (stage.documentationVersion !== undefined) view.documentationVersion = stage.documentationVersion;
  if (stage.accessLogSettings && Object.keys(stage.accessLogSettings).length) view.accessLogSettings = stage.accessLogSettings;
  if (stage.canarySettings) view.canarySettings = stage.canarySettings;
  if (stage.tags && Object.keys(stage.tags).length) view.tags = stage.tags;
  return view;
}

export function deploymentView(d: DeploymentSummary): Deployment {
  const view: Deployment = { id: d.id, createdDate: new Date(d.createdDate) };
  if (d.description !== undefined) view.description = d.description;
  return view;
}
