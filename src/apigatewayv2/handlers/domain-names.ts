// CreateDomainName, GetDomainName(s), UpdateDomainName, DeleteDomainName and the API mappings under a
// domain (CreateApiMapping, GetApiMapping(s), UpdateApiMapping, DeleteApiMapping). As on AWS, domain
// names are one set for REST and HTTP APIs: these calls read and write the REST API control
// plane's domains, an API mapping is a base path mapping (ApiMappingKey '' is the '(none)' base
// path; keys may be multi-level, "orders/v1") to an HTTP API or a REST API stage, and the data
// plane routes both alike.
import type { HandlerTable } from '../../aws/protocols/rest-json.js';
import type { ApiMapping, DomainName, DomainNameConfiguration, Operations } from '../../aws/generated/apigatewayv2.js';
import type { RequestContext } from '../../aws/request-context.js';
import type { BasePathMappingRecord, DomainNameRecord } from '../../store/apigateway-store.js';
import { newShortId } from '../../core/ids.js';
import { apiNotFound, basePathMappingNotFound, webSocketDomainMix, basePathTaken, domainNameNotFound, domainNameTaken, invalidStageIdentifier } from '../../apigateway/errors.js';
import { NO_BASE_PATH } from '../../apigateway/domain-runtime.js';
import { apiMappingKey, requireV2Domain } from '../../apigateway/base-paths.js';
import { patchDomainName } from '../../apigateway/domain-patch.js';
import type { PatchOp } from '../../apigateway/patch.js';
import {
  domainNameView, newDomain, replaceMapping, requireDomainName, requireMapping, saveDomain, withDomainNameLock, type DomainStore,
} from '../../apigateway/handlers/domain-names.js';
import { page, type Deps } from '../context.js';

function domainView(d: DomainNameRecord): DomainName {
  const v1 = domainNameView(d);
  const regional = d.endpointConfiguration.types[0] === 'REGIONAL';
  const config: NonNullable<DomainName['DomainNameConfigurations']>[number] = {
    ApiGatewayDomainName: regional ? v1.regionalDomainName : v1.distributionDomainName,
    DomainNameStatus: 'AVAILABLE',
    EndpointType: regional ? 'REGIONAL' : 'EDGE',
    IpAddressType: d.endpointConfiguration.ipAddressType,
    SecurityPolicy: d.securityPolicy as 'TLS_1_0' | 'TLS_1_2',
  };
  const certificateArn = regional ? d.regionalCertificateArn : d.certificateArn;
  if (certificateArn !== undefined) config.CertificateArn = certificateArn;
  const hostedZone = regional ? v1.regionalHostedZoneId : v1.distributionHostedZoneId;
  if (hostedZone !== undefined) config.HostedZoneId = hostedZone;
  const view: DomainName = { ApiMappingSelectionExpression: '$request.basepath', DomainName: d.domainName, DomainNameArn: v1.domainNameArn, DomainNameConfigurations: [config] };
  if (d.tags) view.Tags = d.tags;
  return view;
}

const mappingView = (m: BasePathMappingRecord): ApiMapping => ({
  ApiId: m.restApiId, ApiMappingId: m.apiMappingId ?? '', ApiMappingKey: m.basePath === NO_BASE_PATH ? '' : m.basePath, Stage: m.stage ?? '',
});

/** A domain name configuration as the patch operations UpdateDomainName (REST) takes; the certificate goes with the (new) endpoint type. */
function configurationPatch(domain: DomainNameRecord, config: DomainNameConfiguration): PatchOp[] {
  const ops: PatchOp[] = [];
  const replace = (path: string, value: string | undefined) => value !== undefined && ops.push({ op: 'replace', path, value });
  replace('/endpointConfiguration/types/0', config.EndpointType);
  replace('/securityPolicy', config.SecurityPolicy);
  replace('/endpointConfiguration/ipAddressType', config.IpAddressType);
  const regional = (config.EndpointType ?? domain.endpointConfiguration.types[0]) === 'REGIONAL';
  replace(regional ? '/regionalCertificateArn' : '/certificateArn', config.CertificateArn);
  replace(regional ? '/regionalCertificateName' : '/certificateName', config.CertificateName);
  return ops;
}

export function domainNameHandlers(deps: Deps & { domains: DomainStore }): HandlerTable<Operations> {
  const store = deps.domains;
  const findMapping = (domainName: string, id: string): Promise<BasePathMappingRecord> => requireMapping(store, domainName, (m) => m.apiMappingId === id);
  /** Is this API a WebSocket API (of the caller's account and region)? */
  const isWebSocket = async (ctx: RequestContext, apiId: string): Promise<boolean> =>
    (await deps.store.getApi({ accountId: ctx.accountId, region: ctx.region }, apiId))?.protocolType === 'WEBSOCKET';
  /**
   * An API mapping's target: a stage of an HTTP API, a WebSocket API or a REST API in the caller's account and
   * region. As AWS documents, a domain's mappings are all to WebSocket APIs or all to REST and HTTP APIs.
   */
  const requireStage = async (ctx: RequestContext, domainName: string, mapping: BasePathMappingRecord, replacing?: BasePathMappingRecord): Promise<void> => {
    const { restApiId: apiId, stage } = mapping;
    const scope = { accountId: ctx.accountId, region: ctx.region };
    const http = await deps.store.getApi(scope, apiId);
    if (!http && !(await store.getRestApi(scope, apiId))) throw apiNotFound(ctx.accountId, apiId);
    const found = !stage ? undefined : http ? await deps.store.getItem(apiId, 'stage', stage) : await store.getStage(apiId, stage);
    if (!found) throw invalidStageIdentifier();
    const webSocket = http?.protocolType === 'WEBSOCKET';
    for (const other of await store.listBasePathMappings(domainName)) {
      if (other.basePath === replacing?.basePath || other.restApiId === apiId) continue;
      if ((await isWebSocket(ctx, other.restApiId)) !== webSocket) throw webSocketDomainMix();
    }
  };
  return {
    async CreateDomainName(input, ctx) {
      const config = input.DomainNameConfigurations?.[0] ?? {};
      const type = config.EndpointType ?? 'REGIONAL';
      const domain = newDomain(ctx, input.DomainName, { types: [type], ipAddressType: config.IpAddressType ?? 'ipv4' }, deps.now());
      if (config.SecurityPolicy !== undefined) domain.securityPolicy = config.SecurityPolicy;
      if (config.CertificateArn !== undefined) domain[type === 'REGIONAL' ? 'regionalCertificateArn' : 'certificateArn'] = config.CertificateArn;
      if (config.CertificateName !== undefined) domain[type === 'REGIONAL' ? 'regionalCertificateName' : 'certificateName'] = config.CertificateName;
      if (input.Tags && Object.keys(input.Tags).length) domain.tags = input.Tags;
      if (!(await store.createDomainName(domain))) throw domainNameTaken();
      return domainView(domain);
    },

    async GetDomainName(input, ctx) {
      return domainView(await requireDomainName(store, ctx, input.DomainName));
    },

    async GetDomainNames(input, ctx) {
      return page(await store.listDomainNames({ accountId: ctx.accountId, region: ctx.region }), input, domainView);
    },

    UpdateDomainName: (input, ctx) => withDomainNameLock(deps.locks, input.DomainName, async () => {
      const domain = await requireDomainName(store, ctx, input.DomainName);
      const config = input.DomainNameConfigurations?.[0];
      return domainView(await saveDomain(store, config ? patchDomainName(domain, configurationPatch(domain, config)) : domain));
    }),

    async DeleteDomainName(input, ctx) {
      await withDomainNameLock(deps.locks, input.DomainName, async () => {
        if (!(await store.deleteDomainName({ accountId: ctx.accountId, region: ctx.region }, input.DomainName.toLowerCase()))) throw domainNameNotFound();
      });
    },

    CreateApiMapping: (input, ctx) => withDomainNameLock(deps.locks, input.DomainName, async () => {
      const domain = await requireDomainName(store, ctx, input.DomainName);
      requireV2Domain(domain);
      const basePath = apiMappingKey(input.ApiMappingKey);
      const mapping: BasePathMappingRecord = { basePath, restApiId: input.ApiId, apiMappingId: newShortId(6), stage: input.Stage };
      await requireStage(ctx, domain.domainName, mapping);
      if (!(await store.createBasePathMapping(domain.domainName, mapping))) throw basePathTaken(basePath);
      return mappingView(mapping);
    }),

    async GetApiMapping(input, ctx) {
      const domain = await requireDomainName(store, ctx, input.DomainName);
      return mappingView(await findMapping(domain.domainName, input.ApiMappingId));
    },

    async GetApiMappings(input, ctx) {
      const domain = await requireDomainName(store, ctx, input.DomainName);
      return page(await store.listBasePathMappings(domain.domainName), input, mappingView);
    },

    // Re-points a mapping at another API or stage (promotion behind a domain) or moves it to another key.
    UpdateApiMapping: (input, ctx) => withDomainNameLock(deps.locks, input.DomainName, async () => {
      const domain = await requireDomainName(store, ctx, input.DomainName);
      requireV2Domain(domain);
      const current = await findMapping(domain.domainName, input.ApiMappingId);
      const next: BasePathMappingRecord = { ...current, restApiId: input.ApiId };
      if (input.Stage !== undefined) next.stage = input.Stage;
      if (input.ApiMappingKey !== undefined) next.basePath = apiMappingKey(input.ApiMappingKey);
      await requireStage(ctx, domain.domainName, next, current);
      await replaceMapping(store, domain.domainName, current, next);
      return mappingView(next);
    }),

    async DeleteApiMapping(input, ctx) {
      await withDomainNameLock(deps.locks, input.DomainName, async () => {
        const domain = await requireDomainName(store, ctx, input.DomainName);
        const mapping = await findMapping(domain.domainName, input.ApiMappingId);
        if (!(await store.deleteBasePathMapping(domain.domainName, mapping.basePath))) throw basePathMappingNotFound();
      });
    },
  };
}
