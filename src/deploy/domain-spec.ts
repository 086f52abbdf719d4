// SAM's Domain of an AWS::Serverless::Api (DomainConfiguration) or AWS::Serverless::HttpApi
// (HttpApiDomainConfiguration) as deploy reads it: the domain name, its certificate (stored as
// given), endpoint type and security policy, and the base paths mapped to the API's stage, each as
// the mapping's key ('' for SAM's default `/`, API Gateway's `(none)`). Route53, mutual TLS and
// ownership verification have no effect here: property-checks.ts warns about them.
import type { Value } from './intrinsics.js';
import { PLACEHOLDER } from './stack-model.js';

export interface DomainSpec {
  /** Lower case, as API Gateway keeps domain names. */
  domainName: string;
  certificateArn: string;
  endpointType: 'REGIONAL' | 'EDGE';
  securityPolicy?: 'TLS_1_0' | 'TLS_1_2';
  /** Mapping keys: '' for the mapping that takes every path; HTTP APIs' may have several segments (`orders/v1`). */
  basePaths: string[];
}

type Fail = (message: string) => never;

const HOST_NAME = /^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]([a-z0-9-]{0,61}[a-z0-9])?$/;
/** One mapping key segment: letters, digits and $-_.+!*'() (API Gateway's rule). */
const KEY_SEGMENT = /^[A-Za-z0-9$\-_.+!*'()]+$/;
const isMap = (v: Value | undefined): v is Record<string, Value> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** `Domain` of an Api (`kind` 'Api') or HttpApi; `fail` throws a located error. */
export function domainSpec(value: Value, kind: 'Api' | 'HttpApi', fail: Fail): DomainSpec {
  if (!isMap(value)) return fail('Domain is a map with DomainName, CertificateArn and optionally BasePath, EndpointConfiguration and SecurityPolicy');
  const text = (key: string): string | undefined => {
    const v = value[key];
    if (v === undefined || v === null) return undefined;
    if (typeof v !== 'string' || v === '') fail(`Domain.${key} must be a non-empty string, got ${JSON.stringify(v)}`);
    return v as string;
  };
  const domainName = text('DomainName')?.toLowerCase();
  if (domainName === undefined) return fail('Domain needs a DomainName (for example api.example.com)');
  if (!PLACEHOLDER.test(domainName) && !HOST_NAME.test(domainName)) fail(`Domain.DomainName '${domainName}' is not a host name`);
  const certificateArn = text('CertificateArn');
  if (certificateArn === undefined) return fail('Domain needs a CertificateArn (an ACM certificate ARN; stored as given, not checked)');

  const endpoint = text('EndpointConfiguration') ?? 'REGIONAL';
  const endpoints = kind === 'Api' ? ['REGIONAL', 'EDGE'] : ['REGIONAL'];
  if (!endpoints.includes(endpoint)) {
    fail(`Domain.EndpointConfiguration is ${endpoints.join(' or ')}${endpoint === 'PRIVATE' ? ' (private domain names are not supported)' : ''}, got ${JSON.stringify(endpoint)}`);
  }
  const securityPolicy = text('SecurityPolicy');
  if (securityPolicy !== undefined && securityPolicy !== 'TLS_1_0' && securityPolicy !== 'TLS_1_2') fail(`Domain.SecurityPolicy is TLS_1_0 or TLS_1_2, got ${JSON.stringify(securityPolicy)}`);
  if (kind === 'HttpApi' && securityPolicy === 'TLS_1_0') fail('Domain.SecurityPolicy of an HttpApi is TLS_1_2 (API mappings need TLS 1.2)');

  const normalize = value.NormalizeBasePath ?? true;
  if (kind === 'Api' && normalize !== true && normalize !== false && normalize !== 'true' && normalize !== 'false') fail('Domain.NormalizeBasePath is true or false');
  const given = value.BasePath ?? ['/'];
  const list = Array.isArray(given) ? given : [given];
  const basePaths: string[] = [];
  for (const path of list) {
    if (typeof path !== 'string') return fail(`Domain.BasePath is a list of base paths (strings), got ${JSON.stringify(path)}`);
    const key = mappingKey(path, kind === 'Api' && String(normalize) === 'true');
    if (key !== '' && !PLACEHOLDER.test(key)) {
      const segments = key.split('/');
      if (kind === 'Api' && segments.length > 1) fail(`Domain.BasePath '${path}' of an Api is one path segment (multi-level base paths are for HttpApi domains)`);
      if (!segments.every((s) => KEY_SEGMENT.test(s))) fail(`Domain.BasePath '${path}' may contain only letters, digits and $-_.+!*'() between slashes`);
    }
    if (basePaths.includes(key)) fail(`Domain.BasePath lists '${path}' twice`);
    basePaths.push(key);
  }
  const spec: DomainSpec = { domainName, certificateArn, endpointType: endpoint as DomainSpec['endpointType'], basePaths };
  if (securityPolicy !== undefined) spec.securityPolicy = securityPolicy as DomainSpec['securityPolicy'];
  return spec;
}

/**
 * A BasePath as the mapping's key, as SAM makes it: without its leading and trailing slashes, and
 * for a REST API with NormalizeBasePath (the default) only its letters and digits (`/v-1` → `v1`).
 */
export function mappingKey(basePath: string, normalize: boolean): string {
  const trimmed = basePath.replace(/^\/+|\/+$/g, '');
  return normalize ? trimmed.replace(/[^A-Za-z0-9]/g, '') : trimmed;
}
