// Deploying SAM's Domain of an API: the custom domain name (created, or updated to the template's
// certificate, endpoint type and security policy) and one mapping per BasePath to the API's stage —
// base path mappings for a REST API, API mappings for an HTTP API — with mappings the template no
// longer has removed. Domains are tagged with the stack that made them; a domain of this stack that
// no API of the template names any more is deleted with its mappings (removeStaleDomains).
import {
  CreateBasePathMappingCommand, CreateDomainNameCommand, DeleteBasePathMappingCommand, DeleteDomainNameCommand, GetBasePathMappingsCommand,
  GetDomainNameCommand, GetDomainNamesCommand, UpdateBasePathMappingCommand, UpdateDomainNameCommand,
  type APIGatewayClient, type DomainName, type PatchOperation,
} from '@aws-sdk/client-api-gateway';
import {
  CreateApiMappingCommand, CreateDomainNameCommand as CreateDomainNameV2Command, DeleteApiMappingCommand, GetApiMappingsCommand,
  UpdateApiMappingCommand, UpdateDomainNameCommand as UpdateDomainNameV2Command, type ApiGatewayV2Client,
} from '@aws-sdk/client-apigatewayv2';
import type { DomainSpec } from './domain-spec.js';
import { isNotFound } from './errors.js';
import { STACK_TAG } from './functions.js';
import type { Progress } from './progress.js';

export interface DomainContext {
  apigateway: APIGatewayClient;
  apigatewayv2: ApiGatewayV2Client;
  progress: Progress;
  stackName: string;
  step<T>(subject: string, action: string, fn: () => Promise<T>): Promise<T>;
}

/** What a domain's mappings point at: a REST API (base path mappings) or an HTTP API (API mappings), and its stage. */
export interface DomainTarget {
  kind: 'rest' | 'http';
  apiId: string;
  stage: string;
}

/** API Gateway's `(none)` base path for SAM's `/`. */
const NO_BASE_PATH = '(none)';
const shown = (key: string) => (key === '' ? '/' : `/${key}`);

/** Creates or updates the domain and makes its mappings the template's base paths to `target`. */
export async function syncDomain(ctx: DomainContext, logicalId: string, spec: DomainSpec, target: DomainTarget): Promise<void> {
  await ensureDomain(ctx, logicalId, spec, target.kind);
  if (target.kind === 'rest') await syncBasePathMappings(ctx, logicalId, spec, target);
  else await syncApiMappings(ctx, logicalId, spec, target);
}

async function ensureDomain(ctx: DomainContext, logicalId: string, spec: DomainSpec, kind: DomainTarget['kind']): Promise<void> {
  const { apigateway, progress } = ctx;
  const name = spec.domainName;
  const current = await ctx.step(logicalId, `reading domain name ${name}`, () => apigateway.send(new GetDomainNameCommand({ domainName: name })).catch((e) => {
    if (isNotFound(e)) return undefined;
    throw e;
  }));
  const regional = spec.endpointType === 'REGIONAL';
  const tags = { [STACK_TAG]: ctx.stackName };
  if (!current) {
    await ctx.step(logicalId, `creating domain name ${name}`, () => (kind === 'rest'
      ? apigateway.send(new CreateDomainNameCommand({
        domainName: name, endpointConfiguration: { types: [spec.endpointType] }, securityPolicy: spec.securityPolicy, tags,
        ...(regional ? { regionalCertificateArn: spec.certificateArn } : { certificateArn: spec.certificateArn }),
      }))
      : ctx.apigatewayv2.send(new CreateDomainNameV2Command({
        DomainName: name, Tags: tags,
        DomainNameConfigurations: [{ EndpointType: 'REGIONAL', CertificateArn: spec.certificateArn, SecurityPolicy: spec.securityPolicy ?? 'TLS_1_2' }],
      }))));
    progress.report({ subject: logicalId, kind: 'created', message: `domain name ${name} (${spec.endpointType})` });
    return;
  }
  const owner = current.tags?.[STACK_TAG];
  if (owner !== ctx.stackName) {
    throw new Error(`domain name ${name} ${owner ? `belongs to stack ${owner}` : 'was made outside stagecraft deploy'}; delete it or give ${logicalId} another Domain.DomainName`);
  }
  const changes = domainChanges(current, spec, kind);
  if (!changes.length) {
    progress.report({ subject: logicalId, kind: 'unchanged', message: `domain name ${name}` });
    return;
  }
  await ctx.step(logicalId, `updating domain name ${name}`, () => (kind === 'rest'
    ? apigateway.send(new UpdateDomainNameCommand({ domainName: name, patchOperations: domainPatch(current, spec) }))
    : ctx.apigatewayv2.send(new UpdateDomainNameV2Command({
      DomainName: name, DomainNameConfigurations: [{ EndpointType: 'REGIONAL', CertificateArn: spec.certificateArn, SecurityPolicy: spec.securityPolicy ?? 'TLS_1_2' }],
    }))));
  progress.report({ subject: logicalId, kind: 'updated', message: `domain name ${name}: ${changes.join(', ')}` });
}

/** What of a domain differs from the template (its certificate is the one of its endpoint type). */
export function domainChanges(current: DomainName, spec: DomainSpec, kind: DomainTarget['kind']): string[] {
  const type = current.endpointConfiguration?.types?.[0];
  const certificate = type === 'REGIONAL' ? current.regionalCertificateArn : current.certificateArn;
  const policy = spec.securityPolicy ?? (kind === 'http' ? 'TLS_1_2' : undefined);
  return [
    ...(type !== spec.endpointType ? ['endpoint type'] : []),
    ...(type !== spec.endpointType || certificate !== spec.certificateArn ? ['certificate'] : []),
    ...(policy !== undefined && current.securityPolicy !== policy ? ['security policy'] : []),
  ];
}

/** UpdateDomainName (REST) operations: the endpoint type first, so the certificate goes with the type the domain then has. */
export function domainPatch(current: DomainName, spec: DomainSpec): PatchOperation[] {
  const ops: PatchOperation[] = [];
  if (current.endpointConfiguration?.types?.[0] !== spec.endpointType) ops.push({ op: 'replace', path: '/endpointConfiguration/types/0', value: spec.endpointType });
  ops.push({ op: 'replace', path: spec.endpointType === 'REGIONAL' ? '/regionalCertificateArn' : '/certificateArn', value: spec.certificateArn });
  if (spec.securityPolicy && current.securityPolicy !== spec.securityPolicy) ops.push({ op: 'replace', path: '/securityPolicy', value: spec.securityPolicy });
  return ops;
}

async function syncBasePathMappings(ctx: DomainContext, logicalId: string, spec: DomainSpec, target: DomainTarget): Promise<void> {
  const { apigateway, progress } = ctx;
  const domainName = spec.domainName;
  const have = (await ctx.step(logicalId, `reading the base path mappings of ${domainName}`, () => apigateway.send(new GetBasePathMappingsCommand({ domainName, limit: 500 })))).items ?? [];
  for (const key of spec.basePaths) {
    const basePath = key === '' ? NO_BASE_PATH : key;
    const label = `${domainName}${shown(key)} → stage ${target.stage}`;
    const current = have.find((m) => m.basePath === basePath);
    if (!current) {
      await ctx.step(logicalId, `mapping ${label}`, () => apigateway.send(new CreateBasePathMappingCommand({ domainName, basePath: key === '' ? undefined : key, restApiId: target.apiId, stage: target.stage })));
      progress.report({ subject: logicalId, kind: 'created', message: `base path mapping ${label}` });
      continue;
    }
    const ops: PatchOperation[] = [];
    if (current.restApiId !== target.apiId) ops.push({ op: 'replace', path: '/restapiId', value: target.apiId });
    if (current.stage !== target.stage) ops.push({ op: 'replace', path: '/stage', value: target.stage });
    if (ops.length) await ctx.step(logicalId, `updating base path mapping ${label}`, () => apigateway.send(new UpdateBasePathMappingCommand({ domainName, basePath, patchOperations: ops })));
    progress.report({ subject: logicalId, kind: ops.length ? 'updated' : 'unchanged', message: `base path mapping ${label}` });
  }
  for (const m of have) {
    const key = m.basePath === NO_BASE_PATH ? '' : m.basePath!;
    if (spec.basePaths.includes(key)) continue;
    await ctx.step(logicalId, `removing base path mapping ${domainName}${shown(key)}`, () => apigateway.send(new DeleteBasePathMappingCommand({ domainName, basePath: m.basePath })));
    progress.report({ subject: logicalId, kind: 'removed', message: `base path mapping ${domainName}${shown(key)} (no longer in the template)` });
  }
}

async function syncApiMappings(ctx: DomainContext, logicalId: string, spec: DomainSpec, target: DomainTarget): Promise<void> {
  const { apigatewayv2, progress } = ctx;
  const DomainName = spec.domainName;
  const have = (await ctx.step(logicalId, `reading the API mappings of ${DomainName}`, () => apigatewayv2.send(new GetApiMappingsCommand({ DomainName, MaxResults: '500' })))).Items ?? [];
  for (const key of spec.basePaths) {
    const label = `${DomainName}${shown(key)} → stage ${target.stage}`;
    const current = have.find((m) => (m.ApiMappingKey ?? '') === key);
    if (!current) {
      await ctx.step(logicalId, `mapping ${label}`, () => apigatewayv2.send(new CreateApiMappingCommand({ DomainName, ApiMappingKey: key, ApiId: target.apiId, Stage: target.stage })));
      progress.report({ subject: logicalId, kind: 'created', message: `API mapping ${label}` });
      continue;
    }
    const same = current.ApiId === target.apiId && current.Stage === target.stage;
    if (!same) {
      await ctx.step(logicalId, `updating API mapping ${label}`, () => apigatewayv2.send(new UpdateApiMappingCommand({
        DomainName, ApiMappingId: current.ApiMappingId, ApiMappingKey: key, ApiId: target.apiId, Stage: target.stage,
      })));
    }
    progress.report({ subject: logicalId, kind: same ? 'unchanged' : 'updated', message: `API mapping ${label}` });
  }
  for (const m of have) {
    const key = m.ApiMappingKey ?? '';
    if (spec.basePaths.includes(key)) continue;
    await ctx.step(logicalId, `removing API mapping ${DomainName}${shown(key)}`, () => apigatewayv2.send(new DeleteApiMappingCommand({ DomainName, ApiMappingId: m.ApiMappingId })));
    progress.report({ subject: logicalId, kind: 'removed', message: `API mapping ${DomainName}${shown(key)} (no longer in the template)` });
  }
}

/** Deletes the domain names this stack made that no API of the template names any more (their mappings go with them). */
export async function removeStaleDomains(ctx: DomainContext, wanted: ReadonlySet<string>): Promise<void> {
  const { apigateway, progress } = ctx;
  const domains: DomainName[] = [];
  let position: string | undefined;
  do {
    const page = await ctx.step('Domain', 'listing domain names', () => apigateway.send(new GetDomainNamesCommand({ position, limit: 500 })));
    domains.push(...(page.items ?? []));
    position = page.position;
  } while (position);
  for (const d of domains) {
    if (d.tags?.[STACK_TAG] !== ctx.stackName || wanted.has(d.domainName!)) continue;
    await ctx.step(d.domainName!, `deleting domain name ${d.domainName}`, () => apigateway.send(new DeleteDomainNameCommand({ domainName: d.domainName })).catch((e) => {
      if (!isNotFound(e)) throw e;
    }));
    progress.report({ subject: d.domainName!, kind: 'removed', message: `domain name ${d.domainName} and its mappings (no longer in the template)` });
  }
}
