// SAM's Domain of an Api and an HttpApi as deploy reads it, without a server: defaults, base paths
// as mapping keys, intrinsics, what has no effect here (warnings) and bad values (located errors).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatIssue } from './issues.js';
import { validateStack } from './stack-validation.js';
import { stackModelOf } from './testing.js';
import { samApiTemplate } from '../cli/testing.js';
import { domainChanges, domainPatch } from './domains.js';
import { mappingKey } from './domain-spec.js';

const PARAMETERS = 'Parameters:\n  Env: { Type: String, Default: beta }\n';

function apiStack(api: string) {
  const text = PARAMETERS + samApiTemplate('domains', api.replace(/^/gm, '      '), '');
  const { issues, model } = stackModelOf(text);
  const { apis } = validateStack(model);
  return { errors: issues.errors.map(formatIssue), warnings: issues.warnings.map(formatIssue), api: apis[0] };
}

function httpStack(properties: string) {
  const text = `${PARAMETERS}Transform: AWS::Serverless-2016-10-31
Resources:
  Http:
    Type: AWS::Serverless::HttpApi
    Properties:
${properties.replace(/^/gm, '      ')}
`;
  const { issues, model } = stackModelOf(text);
  const { httpApis } = validateStack(model);
  return { errors: issues.errors.map(formatIssue), warnings: issues.warnings.map(formatIssue), api: httpApis[0] };
}

const CERT = 'arn:aws:acm:eu-west-1:111122223333:certificate/abc';

test('an Api Domain: REGIONAL by default, `/` as the mapping without a base path, names and !Sub resolved', () => {
  const { errors, warnings, api } = apiStack(`Domain:
  DomainName: !Sub 'API.\${Env}.example.com'
  CertificateArn: ${CERT}`);
  assert.deepEqual(errors, []);
  assert.deepEqual(warnings, []);
  assert.deepEqual(api.domain, { domainName: 'api.beta.example.com', certificateArn: CERT, endpointType: 'REGIONAL', basePaths: [''] });
});

test('Api base paths: NormalizeBasePath (the default) keeps letters and digits; false keeps the path; EDGE and TLS 1.0 allowed', () => {
  const { errors, api } = apiStack(`Domain:
  DomainName: api.example.com
  CertificateArn: ${CERT}
  EndpointConfiguration: EDGE
  SecurityPolicy: TLS_1_0
  BasePath: [/, /v1, /orders-api/]`);
  assert.deepEqual(errors, []);
  assert.deepEqual(api.domain, { domainName: 'api.example.com', certificateArn: CERT, endpointType: 'EDGE', securityPolicy: 'TLS_1_0', basePaths: ['', 'v1', 'ordersapi'] });
  const kept = apiStack(`Domain: { DomainName: api.example.com, CertificateArn: ${CERT}, NormalizeBasePath: false, BasePath: [/orders-api] }`);
  assert.deepEqual(kept.api.domain?.basePaths, ['orders-api']);
  assert.equal(mappingKey('/', true), '');
  assert.equal(mappingKey('//v2//', false), 'v2');
});

test('an HttpApi Domain: multi-level base paths as API mapping keys', () => {
  const { errors, api } = httpStack(`Domain:
  DomainName: http.example.com
  CertificateArn: ${CERT}
  BasePath: [/orders/v1, shop]`);
  assert.deepEqual(errors, []);
  assert.deepEqual(api.domain, { domainName: 'http.example.com', certificateArn: CERT, endpointType: 'REGIONAL', basePaths: ['orders/v1', 'shop'] });
});

test('Route53, mutual TLS and ownership verification are warnings; private domains are errors', () => {
  const { errors, warnings } = apiStack(`Domain:
  DomainName: api.example.com
  CertificateArn: ${CERT}
  Route53: { HostedZoneId: Z123 }
  MutualTlsAuthentication: { TruststoreUri: s3://bucket/key }
  OwnershipVerificationCertificateArn: ${CERT}`);
  assert.deepEqual(errors, []);
  assert.equal(warnings.length, 3);
  assert.match(warnings.join('\n'), /Route53 has no effect: Stagecraft manages no DNS records/);
  assert.match(warnings.join('\n'), /MutualTlsAuthentication has no effect: mutual TLS is not supported/);
  assert.match(warnings.join('\n'), /OwnershipVerificationCertificateArn has no effect/);
  assert.match(httpStack(`Domain: { DomainName: h.example.com, CertificateArn: ${CERT}, Route53: { HostedZoneId: Z1 } }`).warnings.join('\n'), /Route53 has no effect/);
  const priv = apiStack(`Domain: { DomainName: api.example.com, CertificateArn: ${CERT}, EndpointConfiguration: PRIVATE, Policy: {} }`).errors.join('\n');
  assert.match(priv, /Domain property Policy is not supported by stagecraft deploy: private domain names are not supported/);
  assert.match(priv, /EndpointConfiguration is REGIONAL or EDGE \(private domain names are not supported\)/);
});

test('bad Domain values are located errors', () => {
  const at = (api: string) => apiStack(api).errors.join('\n');
  assert.match(at('Domain: api.example.com'), /Domain is a map with DomainName, CertificateArn/);
  assert.match(at(`Domain: { CertificateArn: ${CERT} }`), /Domain needs a DomainName/);
  assert.match(at('Domain: { DomainName: api.example.com }'), /Domain needs a CertificateArn/);
  assert.match(at(`Domain: { DomainName: 'not a host', CertificateArn: ${CERT} }`), /Domain.DomainName 'not a host' is not a host name/);
  assert.match(at(`Domain: { DomainName: [a], CertificateArn: ${CERT} }`), /Domain.DomainName must be a non-empty string/);
  assert.match(at(`Domain: { DomainName: a.example.com, CertificateArn: ${CERT}, SecurityPolicy: TLS_1_3 }`), /SecurityPolicy is TLS_1_0 or TLS_1_2/);
  assert.match(at(`Domain: { DomainName: a.example.com, CertificateArn: ${CERT}, BasePath: [{ a: 1 }] }`), /BasePath is a list of base paths/);
  assert.match(at(`Domain: { DomainName: a.example.com, CertificateArn: ${CERT}, NormalizeBasePath: false, BasePath: [a/b] }`), /of an Api is one path segment/);
  assert.match(at(`Domain: { DomainName: a.example.com, CertificateArn: ${CERT}, BasePath: [v1, /v1/] }`), /lists '\/v1\/' twice/);
  assert.match(at(`Domain: { DomainName: a.example.com, CertificateArn: ${CERT}, Bogus: 1 }`), /unknown Domain property 'Bogus'/);
  const http = (p: string) => httpStack(p).errors.join('\n');
  assert.match(http(`Domain: { DomainName: h.example.com, CertificateArn: ${CERT}, EndpointConfiguration: EDGE }`), /EndpointConfiguration is REGIONAL, got "EDGE"/);
  assert.match(http(`Domain: { DomainName: h.example.com, CertificateArn: ${CERT}, SecurityPolicy: TLS_1_0 }`), /of an HttpApi is TLS_1_2/);
  assert.match(http(`Domain: { DomainName: h.example.com, CertificateArn: ${CERT}, BasePath: ['a b'] }`), /may contain only letters, digits/);
});

test('one domain name for two APIs is an error', () => {
  const text = samApiTemplate('domains', `      Domain: { DomainName: same.example.com, CertificateArn: ${CERT} }`, `  Http:
    Type: AWS::Serverless::HttpApi
    Properties:
      Domain: { DomainName: SAME.example.com, CertificateArn: ${CERT} }
`);
  const { issues, model } = stackModelOf(text);
  validateStack(model);
  assert.match(issues.errors.map(formatIssue).join('\n'), /Domain.DomainName same.example.com is given by Api and Http: a domain maps to one API/);
});

test('a domain is updated only where it differs: endpoint type, then the certificate of that type, and the security policy', () => {
  const spec = { domainName: 'a.example.com', certificateArn: CERT, endpointType: 'REGIONAL' as const, basePaths: [''] };
  const same = { endpointConfiguration: { types: ['REGIONAL' as const] }, regionalCertificateArn: CERT, securityPolicy: 'TLS_1_2' as const };
  assert.deepEqual(domainChanges(same, spec, 'rest'), []);
  assert.deepEqual(domainChanges({ ...same, regionalCertificateArn: 'old' }, spec, 'rest'), ['certificate']);
  assert.deepEqual(domainChanges({ ...same, securityPolicy: 'TLS_1_0' }, spec, 'http'), ['security policy']);
  const edge = { endpointConfiguration: { types: ['EDGE' as const] }, certificateArn: 'old' };
  assert.deepEqual(domainChanges(edge, spec, 'rest'), ['endpoint type', 'certificate']);
  assert.deepEqual(domainPatch(edge, { ...spec, securityPolicy: 'TLS_1_2' }), [
    { op: 'replace', path: '/endpointConfiguration/types/0', value: 'REGIONAL' },
    { op: 'replace', path: '/regionalCertificateArn', value: CERT },
    { op: 'replace', path: '/securityPolicy', value: 'TLS_1_2' },
  ]);
});
