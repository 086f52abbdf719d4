// CreateDomainName, GetDomainName(s), UpdateDomainName, DeleteDomainName and the base path mappings
// under a domain (CreateBasePathMapping, GetBasePathMapping(s), UpdateBasePathMapping, DeleteBasePathMapping).
// Certificates are stored as given and never checked: TLS is the job of whatever fronts the
// server. The execute-api data plane routes requests whose Host is a domain name by these mappings.
import type { HandlerTable } from '../../aws/protocols/rest-json.js';
import type { BasePathMapping, DomainName, Operations } from '../../aws/generated/apigateway.js';
import type { ApiGatewayStore, BasePathMappingRecord, DomainNameRecord } from '../../store/apigateway-store.js';
import type { KeyedLock } from '../locks.js';
import { newShortId } from '../../core/ids.js';
import {
  badRequest, basePathMappingNotFound, basePathTaken, domainNameNotFound, domainNameTaken, invalidDomainName, invalidPatchPath, invalidStageIdentifier,
  multiLevelMappingsNeedRegional, onlyReplace, webSocketDomainMix,
} from '../errors.js';
import { isMultiLevel, restBasePath, takesMultiLevel } from '../base-paths.js';
import { patchDomainName } from '../domain-patch.js';
import { endpointConfiguration } from './rest-apis.js';
import { listPage, requireApi, scopeOf, type Deps } from './context.js';
import type { RequestContext } from '../../aws/request-context.js';

/** What domain name calls need of the store (HTTP APIs' calls use it too). */
export type DomainStore = Pick<ApiGatewayStore,
  'createDomainName' | 'getDomainName' | 'listDomainNames' | 'deleteDomainName' | 'updateDomainName'
  | 'createBasePathMapping' | 'listBasePathMappings' | 'deleteBasePathMapping' | 'updateBasePathMapping' | 'getRestApi' | 'getStage'>;

/** A host name of dot-separated labels (letters, digits, inner hyphens); wildcard names are not supported. */
const DOMAIN_NAME = /^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/;

/** CloudFront's hosted zone (every edge-optimized domain's) and API Gateway's regional ones, as AWS lists them. */
const EDGE_HOSTED_ZONE = 'Z2FDTNDATAQYW2';
const REGIONAL_HOSTED_ZONES: Record<string, string> = {
  'us-east-1': 'Z1UJRXOUMOOFQ8', 'us-east-2': 'ZOJJZC49E0EPZ', 'us-west-1': 'Z2MUQ32089INYE', 'us-west-2': 'Z2OJLYMUO9EFXC',
  'eu-west-1': 'ZLY8HYME6SFDD', 'eu-west-2': 'ZJ5UAJN8Y3Z2Q', 'eu-central-1': 'Z1U9ULNL0V5AJ3',
  'ap-northeast-1': 'Z1YSHQZHG15GKL', 'ap-southeast-1': 'ZL327KTPIQFUL', 'ap-southeast-2': 'Z2RPCDW04V8134',
};

export function domainNameView(d: DomainNameRecord): DomainName {
  const view: DomainName = { domainName: d.domainName, domainNameArn: `arn:aws:apigateway:${d.region}::/domainnames/${d.domainName}` };
  if (d.certificateName !== undefined) view.certificateName = d.certificateName;
  if (d.certificateArn !== undefined) {
    view.certificateArn = d.certificateArn;
    view.certificateUploadDate = new Date(d.createdDate);
  }
  if (d.endpointConfiguration.types[0] === 'REGIONAL') {
    view.regionalDomainName = `d-${d.generatedId}.execute-api.${d.region}.amazonaws.com`;
    const zone = REGIONAL_HOSTED_ZONES[d.region];
    if (zone) view.regionalHostedZoneId = zone;
  } else {
    view.distributionDomainName = `d${d.generatedId}.cloudfront.net`;
    view.distributionHostedZoneId = EDGE_HOSTED_ZONE;
  }
  if (d.regionalCertificateName !== undefined) view.regionalCertificateName = d.regionalCertificateName;
  if (d.regionalCertificateArn !== undefined) view.regionalCertificateArn = d.regionalCertificateArn;
  view.endpointConfiguration = d.endpointConfiguration;
  view.domainNameStatus = 'AVAILABLE';
  view.securityPolicy = d.securityPolicy as DomainName['securityPolicy'];
  if (d.tags && Object.keys(d.tags).length) view.tags = d.tags;
  return view;
}

const mappingView = (m: BasePathMappingRecord): BasePathMapping =>
  (m.stage === undefined ? { basePath: m.basePath, restApiId: m.restApiId } : { basePath: m.basePath, restApiId: m.restApiId, stage: m.stage });

/** A new domain name record, its name checked and lower-cased. Private endpoints are not supported. */
export function newDomain(ctx: RequestContext, domainName: string, endpoint: DomainNameRecord['endpointConfiguration'], now: number): DomainNameRecord {
  const name = domainName.toLowerCase();
  if (!DOMAIN_NAME.test(name)) throw invalidDomainName(domainName);
  if (endpoint.types[0] === 'PRIVATE') throw badRequest('Private custom domain names are not supported');
  return {
    domainName: name, accountId: ctx.accountId, region: ctx.region, createdDate: now, endpointConfiguration: endpoint, securityPolicy: 'TLS_1_2',
    generatedId: endpoint.types[0] === 'REGIONAL' ? newShortId(10) : newShortId(13),
  };
}

/** The domain in the caller's account and region, or AWS's 404. */
export async function requireDomainName(store: DomainStore, ctx: RequestContext, name: string): Promise<DomainNameRecord> {
  const domain = await store.getDomainName(scopeOf(ctx), name.toLowerCase());
  if (!domain) throw domainNameNotFound();
  return domain;
}

/** The domain's mapping at this base path, or AWS's 404. */
export async function requireMapping(store: DomainStore, domainName: string, found: (m: BasePathMappingRecord) => boolean): Promise<BasePathMappingRecord> {
  const mapping = (await store.listBasePathMappings(domainName)).find(found);
  if (!mapping) throw basePathMappingNotFound();
  return mapping;
}

/** Writes a changed mapping, answering AWS's 404 or 409 when the store could not. */
export async function replaceMapping(store: DomainStore, domainName: string, current: BasePathMappingRecord, next: BasePathMappingRecord): Promise<void> {
  const outcome = await store.updateBasePathMapping(domainName, current.basePath, next);
  if (outcome === 'missing') throw basePathMappingNotFound();
  if (outcome === 'taken') throw basePathTaken(next.basePath);
}

/** Writes a changed domain; one with multi-level mappings must keep taking them. */
export async function saveDomain(store: DomainStore, next: DomainNameRecord): Promise<DomainNameRecord> {
  if (!takesMultiLevel(next) && (await store.listBasePathMappings(next.domainName)).some((m) => isMultiLevel(m.basePath))) throw multiLevelMappingsNeedRegional();
  if (!(await store.updateDomainName(next))) throw domainNameNotFound();
  return next;
}

/** Runs a read-check-write sequence on one domain's mappings (REST and HTTP API calls share the lock). */
export const withDomainNameLock = <T>(locks: KeyedLock, name: string, fn: () => Promise<T>): Promise<T> => locks.run(`domain:${name.toLowerCase()}`, fn);

export function domainNameHandlers(deps: Deps): HandlerTable<Operations> {
  const requireDomain = (ctx: RequestContext, name: string) => requireDomainName(deps.store, ctx, name);
  /** A REST API may not join a domain that maps WebSocket APIs (AWS: a domain maps one kind or the other). */
  const refuseWebSocketNeighbours = async (ctx: RequestContext, domainName: string, replacing?: BasePathMappingRecord): Promise<void> => {
    if (!deps.webSockets) return;
    for (const other of await deps.store.listBasePathMappings(domainName)) {
      if (other.basePath !== replacing?.basePath && await deps.webSockets.isApi(scopeOf(ctx), other.restApiId)) throw webSocketDomainMix();
    }
  };
  const withDomainLock = <T>(name: string, fn: () => Promise<T>): Promise<T> => withDomainNameLock(deps.locks, name, fn);

  return {
    async CreateDomainName(input, ctx) {
      const domain = newDomain(ctx, input.domainName, endpointConfiguration(input.endpointConfiguration), deps.now());
      if (input.securityPolicy !== undefined) domain.securityPolicy = input.securityPolicy;
      if (input.certificateName !== undefined) domain.certificateName = input.certificateName;
      if (input.certificateArn !== undefined) domain.certificateArn = input.certificateArn;
      if (input.regionalCertificateName !== undefined) domain.regionalCertificateName = input.regionalCertificateName;
      if (input.regionalCertificateArn !== undefined) domain.regionalCertificateArn = input.regionalCertificateArn;
      if (input.tags && Object.keys(input.tags).length) domain.tags = input.tags;
      if (!(await deps.store.createDomainName(domain))) throw domainNameTaken();
      return domainNameView(domain);
    },

    async GetDomainName(input, ctx) {
      return domainNameView(await requireDomain(ctx, input.domainName));
    },

    async GetDomainNames(input, ctx) {
      return listPage(await deps.store.listDomainNames(scopeOf(ctx)), input, domainNameView);
    },

    UpdateDomainName: (input, ctx) => withDomainLock(input.domainName, async () => {
      const domain = await requireDomain(ctx, input.domainName);
      return domainNameView(await saveDomain(deps.store, patchDomainName(domain, input.patchOperations ?? [])));
    }),

    async DeleteDomainName(input, ctx) {
      await withDomainLock(input.domainName, async () => {
        if (!(await deps.store.deleteDomainName(scopeOf(ctx), input.domainName.toLowerCase()))) throw domainNameNotFound();
      });
    },

    async CreateBasePathMapping(input, ctx) {
      return withDomainLock(input.domainName, async () => {
        const domain = await requireDomain(ctx, input.domainName);
        const basePath = restBasePath(input.basePath);
        await requireApi(deps, ctx, input.restApiId, () => badRequest('Invalid REST API identifier specified'));
        const mapping: BasePathMappingRecord = { basePath, restApiId: input.restApiId, apiMappingId: newShortId(6) };
        if (input.stage !== undefined && input.stage !== '') {
          if (!(await deps.store.getStage(input.restApiId, input.stage))) throw invalidStageIdentifier();
          mapping.stage = input.stage;
        }
        await refuseWebSocketNeighbours(ctx, domain.domainName);
        if (!(await deps.store.createBasePathMapping(domain.domainName, mapping))) throw basePathTaken(basePath);
        return mappingView(mapping);
      });
    },

    async GetBasePathMapping(input, ctx) {
      const domain = await requireDomain(ctx, input.domainName);
      return mappingView(await requireMapping(deps.store, domain.domainName, (m) => m.basePath === input.basePath));
    },

    async GetBasePathMappings(input, ctx) {
      const domain = await requireDomain(ctx, input.domainName);
      return listPage(await deps.store.listBasePathMappings(domain.domainName), input, mappingView);
    },

    // Re-points a mapping (another API or stage: how a stage is promoted behind a domain) or moves it to another base path.
    UpdateBasePathMapping: (input, ctx) => withDomainLock(input.domainName, async () => {
      const domain = await requireDomain(ctx, input.domainName);
      const current = await requireMapping(deps.store, domain.domainName, (m) => m.basePath === input.basePath);
      const next: BasePathMappingRecord = { ...current };
      for (const op of input.patchOperations ?? []) {
        if (op.op !== 'replace') throw onlyReplace();
        if (op.path === '/basePath') next.basePath = restBasePath(op.value);
        else if (op.path === '/restapiId') next.restApiId = op.value ?? '';
        else if (op.path === '/stage' && op.value) next.stage = op.value;
        else if (op.path === '/stage') delete next.stage;
        else throw invalidPatchPath(op.path);
      }
      if (next.restApiId !== current.restApiId || next.stage !== current.stage) {
        await requireApi(deps, ctx, next.restApiId, () => badRequest('Invalid REST API identifier specified'));
        if (next.stage !== undefined && !(await deps.store.getStage(next.restApiId, next.stage))) throw invalidStageIdentifier();
        await refuseWebSocketNeighbours(ctx, domain.domainName, current);
      }
      await replaceMapping(deps.store, domain.domainName, current, next);
      return mappingView(next);
    }),

    async DeleteBasePathMapping(input, ctx) {
      await withDomainLock(input.domainName, async () => {
        const domain = await requireDomain(ctx, input.domainName);
        if (!(await deps.store.deleteBasePathMapping(domain.domainName, input.basePath))) throw basePathMappingNotFound();
      });
    },
  };
}
