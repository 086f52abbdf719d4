// CreateDomainName, GetDomainName, GetDomainNames, DeleteDomainName and the API mappings under a
// domain (CreateApiMapping, GetApiMapping(s), DeleteApiMapping) for HTTP APIs. As on AWS, domain
// names are one set for REST and HTTP APIs: these calls read and write the REST API control
// plane's domains, an API mapping is a base path mapping (ApiMappingKey '' is the '(none)' base
// path), and the data plane routes both alike.
import type { HandlerTable } from '../../aws/protocols/rest-json.js';
import type { ApiMapping, DomainName, Operations } from '../../aws/generated/apigatewayv2.js';
import type { BasePathMappingRecord, DomainNameRecord } from '../../store/apigateway-store.js';
import { newShortId } from '../../core/ids.js';
import { basePathMappingNotFound, basePathTaken, domainNameNotFound, domainNameTaken, invalidStageIdentifier } from '../../apigateway/errors.js';
import { NO_BASE_PATH } from '../../apigateway/domain-runtime.js';
import {
  basePathOf, domainNameView, newDomain, requireDomainName, withDomainNameLock, type DomainStore,
} from '../../apigateway/handlers/domain-names.js';
import { page, requireApi, type Deps } from '../context.js';

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

export function domainNameHandlers(deps: Deps & { domains: DomainStore }): HandlerTable<Operations> {
  const store = deps.domains;
  const findMapping = async (domainName: string, id: string): Promise<BasePathMappingRecord> => {
    const mapping = (await store.listBasePathMappings(domainName)).find((m) => m.apiMappingId === id);
    if (!mapping) throw basePathMappingNotFound();
    return mapping;
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

    async DeleteDomainName(input, ctx) {
      await withDomainNameLock(deps.locks, input.DomainName, async () => {
        if (!(await store.deleteDomainName({ accountId: ctx.accountId, region: ctx.region }, input.DomainName.toLowerCase()))) throw domainNameNotFound();
      });
    },

    CreateApiMapping: (input, ctx) => withDomainNameLock(deps.locks, input.DomainName, async () => {
      const domain = await requireDomainName(store, ctx, input.DomainName);
      const basePath = basePathOf(input.ApiMappingKey);
      await requireApi(deps, ctx, input.ApiId);
      if (!input.Stage || !(await deps.store.getItem(input.ApiId, 'stage', input.Stage))) throw invalidStageIdentifier();
      const mapping: BasePathMappingRecord = { basePath, restApiId: input.ApiId, apiMappingId: newShortId(6), stage: input.Stage };
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

    async DeleteApiMapping(input, ctx) {
      await withDomainNameLock(deps.locks, input.DomainName, async () => {
        const domain = await requireDomainName(store, ctx, input.DomainName);
        const mapping = await findMapping(domain.domainName, input.ApiMappingId);
        if (!(await store.deleteBasePathMapping(domain.domainName, mapping.basePath))) throw basePathMappingNotFound();
      });
    },
  };
}
