// `stagecraft deploy` with SAM's Domain against a real server: an Api's custom domain name (named
// with !Sub and a parameter) mapped at `/` and `/v1` to its stage, called with the domain as Host;
// Route53 is a warning; a re-deploy changes nothing; a renamed stage and new base paths move the
// mappings; a domain removed from the template is deleted. An HttpApi's domain with a multi-level
// base path; a domain made outside the stack is refused.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CreateDomainNameCommand, DeleteDomainNameCommand, GetBasePathMappingsCommand, GetDomainNameCommand } from '@aws-sdk/client-api-gateway';
import { GetApiMappingsCommand, GetDomainNameCommand as GetDomainNameV2Command } from '@aws-sdk/client-apigatewayv2';
import { useServer } from '../src/testing/fixture.js';
import { useTempDirs } from '../src/testing/temp-dirs.js';
import { apiEvent, runCli, samApiTemplate, unique, writeProject } from '../src/cli/testing.js';
import { callDomain } from '../src/testing/context-echo-api.js';
import { expectAwsError } from '../src/testing/aws-errors.js';

const env = useServer();
const dirs = useTempDirs();
const deploy = (dir: string, stackName: string, ...args: string[]) => runCli(['deploy', '--stack-name', stackName, ...args], { cwd: dir, endpoint: env.url });
const CERT = 'arn:aws:acm:us-east-1:000000000000:certificate/domain-test';

/** Answers which function ran, the resource path and the stage it was called on. */
const HANDLER = `export const handler = async (event) => ({
  statusCode: 200,
  body: JSON.stringify({ answer: 'items', path: event.requestContext.path ?? event.rawPath, eventPath: event.path, stage: event.requestContext.stage }),
});
`;

function apiTemplate(apiName: string, prefix: string, stage: string, domain: string): string {
  return `Parameters:
  Suffix: { Type: String }
${samApiTemplate(apiName, domain, `  Items:
    Type: AWS::Serverless::Function
    Properties:
      FunctionName: ${prefix}-items
      CodeUri: src/
      Events:
${apiEvent('List', '/items', 'GET')}
`).replace('StageName: dev', `StageName: ${stage}`)}`;
}

const apiDomain = (basePaths: string) => `      Domain:
        DomainName: !Sub 'API-\${Suffix}.example.test'
        CertificateArn: ${CERT}
        BasePath: ${basePaths}
        Route53: { HostedZoneId: Z0000000000000 }`;

test('an Api Domain: created, called by Host at each base path, moved with the stage and base paths, deleted when dropped', async () => {
  const suffix = unique('d');
  const host = `api-${suffix}.example.test`;
  const prefix = unique('domain');
  const apiName = unique('api');
  const dir = dirs.removeLater(writeProject({ 'template.yaml': apiTemplate(apiName, prefix, 'dev', apiDomain('[/, /v1]')), 'src/index.mjs': HANDLER }));
  const run = await deploy(dir, prefix, '--parameter-overrides', `Suffix=${suffix}`);
  assert.equal(run.code, 0, run.output);
  assert.match(run.output, /Route53 has no effect: Stagecraft manages no DNS records/);
  assert.match(run.stdout, new RegExp(`domain name ${host} \\(REGIONAL\\) \\[created\\]`));
  assert.match(run.stdout, new RegExp(`base path mapping ${host}/v1 → stage dev \\[created\\]`));
  assert.match(run.stdout, /Custom domain URLs/);
  assert.match(run.stdout, new RegExp(`Api +dev +http://${host}:${new URL(env.url).port}/v1`));
  assert.match(run.stdout, new RegExp(`curl -H 'Host: ${host}:\\d+' http://[^/ ]+/\\)`));

  for (const path of ['/items', '/v1/items']) {
    const answer = await callDomain(env.url, host, path);
    assert.equal(answer.status, 200, `${path}: ${answer.text}`);
    // event.path too keeps the base path on a custom domain, as AWS passes it.
    assert.deepEqual(answer.json(), { answer: 'items', path, eventPath: path, stage: 'dev' });
  }
  const domain = await env.apigw.send(new GetDomainNameCommand({ domainName: host }));
  assert.equal(domain.regionalCertificateArn, CERT);
  assert.deepEqual(domain.endpointConfiguration?.types, ['REGIONAL']);
  assert.equal(domain.tags?.['stagecraft:stack'], prefix);

  const again = await deploy(dir, prefix, '--parameter-overrides', `Suffix=${suffix}`, '--json');
  assert.equal(again.code, 0, again.output);
  assert.deepEqual(again.json().domains, [{ logicalId: 'Api', domainName: host, stage: 'dev', urls: ['', 'v1'].map((p) => `http://${host}:${new URL(env.url).port}/${p}`) }]);
  assert.equal(again.json().changed, false, JSON.stringify(again.json().changes.filter((c: { kind: string }) => c.kind !== 'unchanged')));

  // The stage renamed and the base paths changed: the mappings follow.
  writeFileSync(join(dir, 'template.yaml'), apiTemplate(apiName, prefix, 'prod', apiDomain('[/v2]')));
  const moved = await deploy(dir, prefix, '--parameter-overrides', `Suffix=${suffix}`);
  assert.equal(moved.code, 0, moved.output);
  assert.match(moved.stdout, new RegExp(`base path mapping ${host}/v2 → stage prod \\[created\\]`));
  assert.match(moved.stdout, new RegExp(`base path mapping ${host}/v1 \\(no longer in the template\\) \\[removed\\]`));
  assert.match(moved.stdout, new RegExp(`base path mapping ${host}/ \\(no longer in the template\\) \\[removed\\]`));
  assert.deepEqual((await env.apigw.send(new GetBasePathMappingsCommand({ domainName: host }))).items!.map((m) => [m.basePath, m.stage]), [['v2', 'prod']]);
  const v2 = await callDomain(env.url, host, '/v2/items');
  assert.equal(v2.status, 200, v2.text);
  assert.deepEqual(v2.json(), { answer: 'items', path: '/v2/items', eventPath: '/v2/items', stage: 'prod' });
  assert.equal((await callDomain(env.url, host, '/items')).status, 403);

  writeFileSync(join(dir, 'template.yaml'), apiTemplate(apiName, prefix, 'prod', ''));
  const dropped = await deploy(dir, prefix, '--parameter-overrides', `Suffix=${suffix}`);
  assert.equal(dropped.code, 0, dropped.output);
  assert.match(dropped.stdout, new RegExp(`domain name ${host} and its mappings \\(no longer in the template\\) \\[removed\\]`));
  await expectAwsError(env.apigw.send(new GetDomainNameCommand({ domainName: host })), 'NotFoundException');
  assert.equal((await callDomain(env.url, host, '/v2/items')).status, 403);
});

test('an HttpApi Domain maps a multi-level base path to its stage; a domain made outside the stack is refused', async () => {
  const suffix = unique('h');
  const host = `http-${suffix}.example.test`;
  const prefix = unique('httpdomain');
  const template = (domain: string) => `Transform: AWS::Serverless-2016-10-31
Resources:
  Shop:
    Type: AWS::Serverless::HttpApi
    Properties:
      Name: ${prefix}-api
      StageName: live
${domain}
  Items:
    Type: AWS::Serverless::Function
    Properties:
      FunctionName: ${prefix}-items
      CodeUri: src/
      Handler: index.handler
      Runtime: nodejs20.x
      Events:
        List:
          Type: HttpApi
          Properties: { ApiId: !Ref Shop, Path: /items, Method: GET }
`;
  const domain = (name: string) => `      Domain:
        DomainName: ${name}
        CertificateArn: ${CERT}
        BasePath: [/shop/v1]`;
  const dir = dirs.removeLater(writeProject({ 'template.yaml': template(domain(host)), 'src/index.mjs': HANDLER }));
  const run = await deploy(dir, prefix);
  assert.equal(run.code, 0, run.output);
  assert.match(run.stdout, new RegExp(`API mapping ${host}/shop/v1 → stage live \\[created\\]`));
  const answer = await callDomain(env.url, host, '/shop/v1/items');
  assert.equal(answer.status, 200, answer.text);
  assert.deepEqual(answer.json(), { answer: 'items', path: '/shop/v1/items', stage: 'live' });
  const config = (await env.apigwv2.send(new GetDomainNameV2Command({ DomainName: host }))).DomainNameConfigurations![0];
  assert.equal(config.CertificateArn, CERT);
  assert.equal(config.SecurityPolicy, 'TLS_1_2');
  assert.deepEqual((await env.apigwv2.send(new GetApiMappingsCommand({ DomainName: host }))).Items!.map((m) => [m.ApiMappingKey, m.Stage]), [['shop/v1', 'live']]);

  const outside = `outside-${suffix}.example.test`;
  await env.apigw.send(new CreateDomainNameCommand({ domainName: outside, regionalCertificateArn: CERT, endpointConfiguration: { types: ['REGIONAL'] } }));
  writeFileSync(join(dir, 'template.yaml'), template(domain(outside)));
  const refused = await deploy(dir, prefix);
  assert.equal(refused.code, 1, refused.output);
  assert.match(refused.output, new RegExp(`domain name ${outside} was made outside stagecraft deploy; delete it or give Shop another Domain.DomainName`));
  await env.apigw.send(new DeleteDomainNameCommand({ domainName: outside }));

  writeFileSync(join(dir, 'template.yaml'), template(''));
  const dropped = await deploy(dir, prefix);
  assert.equal(dropped.code, 0, dropped.output);
  await expectAwsError(env.apigwv2.send(new GetDomainNameV2Command({ DomainName: host })), 'NotFoundException');
  assert.equal((await callDomain(env.url, host, '/shop/v1/items')).status, 403);
});
