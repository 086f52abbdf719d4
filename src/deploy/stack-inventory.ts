// Reading what a stack owns from the server, for `stagecraft delete`: the lists of domain names,
// usage plans, API keys and APIs (each carries its tags), the functions tagged with the stack and
// what hangs off them, every layer version's policy statements (layer-ownership.ts), and the
// CloudWatch alarms and dashboards with their tags, and the Logs metric filters a stack owns.
import {
  GetApiKeysCommand, GetAuthorizersCommand, GetBasePathMappingsCommand, GetDomainNamesCommand, GetResourcesCommand, GetUsagePlansCommand,
  type ApiKey, type DomainName, type UsagePlan,
} from '@aws-sdk/client-api-gateway';
import {
  GetApiMappingsCommand, GetAuthorizersCommand as GetHttpAuthorizersCommand, GetIntegrationsCommand, type Api,
} from '@aws-sdk/client-apigatewayv2';
import {
  ListAliasesCommand, ListFunctionEventInvokeConfigsCommand, ListFunctionsCommand, ListFunctionUrlConfigsCommand, ListLayersCommand,
  ListLayerVersionsCommand, ListProvisionedConcurrencyConfigsCommand, ListTagsCommand, type LambdaClient,
} from '@aws-sdk/client-lambda';
import type { AwsClients } from './clients.js';
import { findRestApis } from './apis.js';
import { isNotFound } from './errors.js';
import { layerVersionStatementIds } from './layer-ownership.js';
import { allMarkers, allPages } from './paging.js';
import { calleeOf, ownedBy, type Callee, type ServerInventory } from './stack-deletions.js';
import { allApis } from './http-apis.js';
import { alarmsWithTags } from './cloudwatch-calls.js';
import { dashboardsWithTags } from './dashboards.js';
import { ownedMetricFilters } from './metric-filters.js';
import { ownedSubscriptionFilters } from './subscription-filters.js';

/** The qualifier of a function ARN (`…:function:name:live` → live), undefined when unqualified or $LATEST. */
export function qualifierOf(arn: string | undefined): string | undefined {
  const q = arn?.split(':')[7];
  return q && q !== '$LATEST' ? q : undefined;
}

/** An empty answer when the function went away while being read. */
const unlessGone = <T>(fallback: T) => (e: unknown): T => {
  if (isNotFound(e)) return fallback;
  throw e;
};

async function functionParts(lambda: LambdaClient, name: string, tags: Record<string, string>): Promise<ServerInventory['functions'][number]> {
  const [urls, configs, provisioned, aliases] = await Promise.all([
    allMarkers((Marker) => lambda.send(new ListFunctionUrlConfigsCommand({ FunctionName: name, Marker })).then((p) => ({ items: p.FunctionUrlConfigs ?? [], next: p.NextMarker }))).catch(unlessGone([])),
    allMarkers((Marker) => lambda.send(new ListFunctionEventInvokeConfigsCommand({ FunctionName: name, Marker })).then((p) => ({ items: p.FunctionEventInvokeConfigs ?? [], next: p.NextMarker }))).catch(unlessGone([])),
    allMarkers((Marker) => lambda.send(new ListProvisionedConcurrencyConfigsCommand({ FunctionName: name, Marker })).then((p) => ({ items: p.ProvisionedConcurrencyConfigs ?? [], next: p.NextMarker }))).catch(unlessGone([])),
    allMarkers((Marker) => lambda.send(new ListAliasesCommand({ FunctionName: name, Marker })).then((p) => ({ items: p.Aliases ?? [], next: p.NextMarker }))).catch(unlessGone([])),
  ]);
  return {
    name,
    tags,
    urls: urls.map((u) => qualifierOf(u.FunctionArn)),
    eventInvokeConfigs: configs.map((c) => qualifierOf(c.FunctionArn)),
    provisioned: provisioned.flatMap((p) => qualifierOf(p.FunctionArn) ?? []),
    aliases: aliases.flatMap((a) => a.Name ?? []),
  };
}

async function stackFunctions(lambda: LambdaClient, stackName: string): Promise<ServerInventory['functions']> {
  const all = await allMarkers((Marker) => lambda.send(new ListFunctionsCommand({ Marker, MaxItems: 50 })).then((p) => ({ items: p.Functions ?? [], next: p.NextMarker })));
  const owned: { name: string; tags: Record<string, string> }[] = [];
  // ListFunctions carries no tags: ask each function, a few at a time.
  for (let i = 0; i < all.length; i += 8) {
    const batch = all.slice(i, i + 8);
    const tags = await Promise.all(batch.map((f) => lambda.send(new ListTagsCommand({ Resource: f.FunctionArn })).then((t) => t.Tags, unlessGone(undefined))));
    batch.forEach((f, j) => {
      const t = tags[j];
      if (t && ownedBy(t, stackName)) owned.push({ name: f.FunctionName!, tags: t });
    });
  }
  return Promise.all(owned.map((f) => functionParts(lambda, f.name, f.tags)));
}

async function layers(lambda: LambdaClient): Promise<ServerInventory['layers']> {
  const names = (await allMarkers((Marker) => lambda.send(new ListLayersCommand({ Marker })).then((p) => ({ items: p.Layers ?? [], next: p.NextMarker })))).flatMap((l) => l.LayerName ?? []);
  return Promise.all(names.map(async (name) => {
    const versions = await allMarkers((Marker) => lambda.send(new ListLayerVersionsCommand({ LayerName: name, Marker })).then((p) => ({ items: p.LayerVersions ?? [], next: p.NextMarker })));
    return {
      name,
      versions: await Promise.all(versions.flatMap((v) => v.Version ?? []).map(async (version) => ({ version, statementIds: await layerVersionStatementIds(lambda, name, version) }))),
    };
  }));
}

async function domains(clients: AwsClients, stackName: string): Promise<ServerInventory['domains']> {
  const all: DomainName[] = await allPages((position) => clients.apigateway.send(new GetDomainNamesCommand({ position, limit: 500 })));
  // Only the stack's domains have their mappings read.
  return Promise.all(all.filter((d) => ownedBy(d.tags, stackName)).map(async (d) => {
    const domainName = d.domainName!;
    const [basePaths, apiMappings] = await Promise.all([
      allPages((position) => clients.apigateway.send(new GetBasePathMappingsCommand({ domainName, position, limit: 500 }))).catch(unlessGone([])),
      clients.apigatewayv2.send(new GetApiMappingsCommand({ DomainName: domainName, MaxResults: '500' })).then((p) => p.Items ?? [], unlessGone([])),
    ]);
    const restPaths = new Set(basePaths.map((m) => m.basePath!));
    return {
      domainName,
      tags: d.tags,
      basePaths: [...restPaths],
      // A REST API's base path mapping may show as an API mapping too: it is deleted once, as a base path mapping.
      apiMappings: apiMappings.filter((m) => !restPaths.has(m.ApiMappingKey || '(none)')).map((m) => ({ id: m.ApiMappingId!, key: m.ApiMappingKey ?? '' })),
    };
  }));
}

/** The functions a REST API's authorizers and integrations call. */
async function restApiCallees(clients: AwsClients, restApiId: string): Promise<Callee[]> {
  const [authorizers, resources] = await Promise.all([
    allPages((position) => clients.apigateway.send(new GetAuthorizersCommand({ restApiId, position, limit: 500 }))),
    allPages((position) => clients.apigateway.send(new GetResourcesCommand({ restApiId, position, limit: 500, embed: ['methods'] }))),
  ]);
  const uris = [
    ...authorizers.map((a) => a.authorizerUri),
    ...resources.flatMap((r) => Object.values(r.resourceMethods ?? {}).map((m) => m.methodIntegration?.uri)),
  ];
  return uris.flatMap((u) => calleeOf(u) ?? []);
}

/** The functions an HTTP API's authorizers and integrations call. */
async function httpApiCallees(clients: AwsClients, ApiId: string): Promise<Callee[]> {
  const [authorizers, integrations] = await Promise.all([
    clients.apigatewayv2.send(new GetHttpAuthorizersCommand({ ApiId, MaxResults: '500' })).then((p) => p.Items ?? []),
    clients.apigatewayv2.send(new GetIntegrationsCommand({ ApiId, MaxResults: '500' })).then((p) => p.Items ?? []),
  ]);
  return [...authorizers.map((a) => a.AuthorizerUri), ...integrations.map((i) => i.IntegrationUri)].flatMap((u) => calleeOf(u) ?? []);
}

async function httpApis(clients: AwsClients): Promise<Api[]> {
  return (await allApis(clients.apigatewayv2)).filter((a) => a.ProtocolType !== 'WEBSOCKET');
}

/** What the server holds that `planDeletions` chooses the stack's resources from. */
export async function readInventory(clients: AwsClients, stackName: string): Promise<ServerInventory> {
  const { apigateway, lambda } = clients;
  const [domainList, plans, keys, rest, http, functions, layerList, alarms, dashboards, metricFilters, subscriptionFilters] = await Promise.all([
    domains(clients, stackName),
    allPages<UsagePlan>((position) => apigateway.send(new GetUsagePlansCommand({ position, limit: 500 }))),
    allPages<ApiKey>((position) => apigateway.send(new GetApiKeysCommand({ position, limit: 500 }))),
    findRestApis(apigateway),
    httpApis(clients),
    stackFunctions(lambda, stackName),
    layers(lambda),
    alarmsWithTags(clients),
    dashboardsWithTags(clients),
    ownedMetricFilters(clients.logs),
    ownedSubscriptionFilters(clients.logs),
  ]);
  return {
    domains: domainList,
    usagePlans: plans.map((p) => ({ id: p.id!, name: p.name ?? '', tags: p.tags, apiStages: (p.apiStages ?? []).map((s) => `${s.apiId}:${s.stage}`) })),
    apiKeys: keys.map((k) => ({ id: k.id!, name: k.name ?? '', tags: k.tags })),
    restApis: await Promise.all(rest.map(async (a) => ({
      id: a.id!, name: a.name ?? '', tags: a.tags, callees: ownedBy(a.tags, stackName) ? await restApiCallees(clients, a.id!).catch(unlessGone([])) : undefined,
    }))),
    httpApis: await Promise.all(http.map(async (a) => ({
      id: a.ApiId!, name: a.Name ?? '', tags: a.Tags, callees: ownedBy(a.Tags, stackName) ? await httpApiCallees(clients, a.ApiId!).catch(unlessGone([])) : undefined,
    }))),
    functions,
    layers: layerList,
    alarms,
    dashboards,
    metricFilters,
    subscriptionFilters,
  };
}
