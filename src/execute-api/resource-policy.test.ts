// The resource-policy step through the chain: per authorization type, AWS's 403 bodies, the
// policy as the deployment froze it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { setLogLevel } from '../core/logger.js';
import type { InvokeOutcome } from '../lambda/invoke.js';
import type { ChainDeps } from './chain.js';
import { compilePolicy, parsePolicyText } from './resource-policy.js';
import { evaluatePolicy } from './iam-policy.js';
import { context, invoker, ok, resource, run, runtime, stageWith } from './chain-testing.js';

setLogLevel('silent');

const MOCK = { type: 'MOCK' as const, requestTemplates: { 'application/json': '{"statusCode": 200}' }, integrationResponses: { '200': { statusCode: '200' } } };
const ARN = 'arn:aws:execute-api:us-east-1:000000000000:api1';
const policy = (...Statement: unknown[]) => JSON.stringify({ Version: '2012-10-17', Statement });
const allowFrom = (cidr: string) => ({ Effect: 'Allow', Principal: '*', Action: 'execute-api:Invoke', Resource: 'execute-api:/*', Condition: { IpAddress: { 'aws:SourceIp': cidr } } });
const SIGNED = { Authorization: 'AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20240101/us-east-1/execute-api/aws4_request, SignedHeaders=host, Signature=abc' };

function setup(text: string | undefined, authorizerAnswer?: () => InvokeOutcome) {
  const stage = stageWith([
    resource('/open', { GET: { integration: MOCK } }),
    resource('/open/{id}', { GET: { integration: MOCK } }),
    resource('/iam', { GET: { integration: MOCK, authorizationType: 'AWS_IAM' } }),
    resource('/custom', { GET: { integration: MOCK, authorizationType: 'CUSTOM', authorizerId: 'au1' } }),
  ]);
  if (text !== undefined) stage.deployment.snapshot.api.policy = text;
  stage.deployment.snapshot.authorizers = {
    au1: { id: 'au1', name: 'a', type: 'TOKEN', authorizerUri: 'arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/arn:aws:lambda:us-east-1:000000000000:function:auth/invocations', identitySource: 'method.request.header.Authorization', authorizerResultTtlInSeconds: 0 },
  };
  const inv = invoker(authorizerAnswer ?? (() => ok({})));
  const deps: ChainDeps = { stages: runtime(stage), invoker: inv, enforcePermissions: false };
  return { deps, inv };
}

const denied = (path: string, explicit = false) =>
  JSON.stringify({ Message: `User: anonymous is not authorized to perform: execute-api:Invoke on resource: arn:aws:execute-api:us-east-1:********0000:api1/dev/GET${path}${explicit ? ' with an explicit deny' : ''}` });

test('the policy text: plain, double-encoded, or with escaped quotes as GetRestApi shows it; anything else is no policy', () => {
  const doc = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: '*', Action: 'execute-api:Invoke', Resource: 'arn:aws:execute-api:us-east-1:000000000000:abc\\/*' }] };
  const plain = JSON.stringify(doc);
  assert.deepEqual(parsePolicyText(plain), doc);
  assert.deepEqual(parsePolicyText(JSON.stringify(plain)), doc);
  assert.deepEqual(parsePolicyText(plain.replace(/"/g, '\\"')), doc);
  // AWS's own GetRestApi form: quotes and slashes backslash-escaped.
  const escaped = String.raw`{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":\"*\",\"Action\":\"execute-api:Invoke\",\"Resource\":\"arn:aws:execute-api:us-east-1:000000000000:api1\/*\"}]}`;
  const compiled = compilePolicy(escaped, 'us-east-1', '000000000000', 'api1')!;
  assert.deepEqual(compiled[0].resources, [`${ARN}/*`]);
  assert.equal(parsePolicyText('{nope'), undefined);
  assert.equal(compilePolicy('{"Statement": "x"}', 'us-east-1', '000000000000', 'api1'), null);
});

test('shorthand resources expand to the API ARN; wildcards, full ARNs and Deny precedence', () => {
  const compiled = compilePolicy(policy(
    { Effect: 'Allow', Principal: '*', Action: 'execute-api:*', Resource: ['execute-api:/*/GET/open', 'arn:aws:execute-api:*:*:api1/dev/GET/open/*'] },
    { Effect: 'Deny', Principal: { AWS: '*' }, Action: '*', Resource: 'execute-api:/dev/GET/open/secret' },
  ), 'us-east-1', '000000000000', 'api1')!;
  assert.equal(compiled[0].resources[0], `${ARN}/*/GET/open`);
  const request = { principal: [], condition: () => undefined };
  assert.equal(evaluatePolicy(compiled, `${ARN}/prod/GET/open`, request), 'Allow');
  assert.equal(evaluatePolicy(compiled, `${ARN}/dev/GET/open/7`, request), 'Allow');
  assert.equal(evaluatePolicy(compiled, `${ARN}/dev/GET/open/secret`, request), 'ExplicitDeny');
  assert.equal(evaluatePolicy(compiled, `${ARN}/dev/POST/open`, request), 'ImplicitDeny');
  assert.equal(evaluatePolicy(compiled, 'arn:aws:execute-api:us-east-1:000000000000:other/dev/GET/open', request), 'ImplicitDeny');
});

test('principals: * and {"AWS":"*"} match anyone; an account matches only its signed callers', () => {
  const compiled = compilePolicy(policy({ Effect: 'Allow', Principal: { AWS: ['arn:aws:iam::000000000000:root'] }, Action: 'execute-api:Invoke', Resource: '*' }), 'us-east-1', '000000000000', 'api1')!;
  assert.equal(evaluatePolicy(compiled, `${ARN}/dev/GET/x`, { principal: [], condition: () => undefined }), 'ImplicitDeny');
  assert.equal(evaluatePolicy(compiled, `${ARN}/dev/GET/x`, { principal: ['000000000000', 'arn:aws:iam::000000000000:root'], condition: () => undefined }), 'Allow');
});

test('authorization NONE: only an explicit allow lets the request through, with AWS 403 bodies otherwise', async () => {
  let { deps } = setup(policy(allowFrom('10.0.0.0/8')));
  assert.equal((await run(deps, context('GET', '/open'))).status, 200, 'the test caller is 10.0.0.1');
  ({ deps } = setup(policy(allowFrom('127.0.0.1/32'))));
  const r = await run(deps, context('GET', '/open/7'));
  assert.deepEqual([r.status, r.body, r.headers['x-amzn-ErrorType']], [403, denied('/open/7'), 'AccessDeniedException']);
  ({ deps } = setup(policy(allowFrom('0.0.0.0/0'), { Effect: 'Deny', Principal: '*', Action: 'execute-api:Invoke', Resource: 'execute-api:/*/GET/open/secret' })));
  assert.equal((await run(deps, context('GET', '/open/public'))).status, 200);
  const explicit = await run(deps, context('GET', '/open/secret'));
  assert.deepEqual([explicit.status, explicit.body], [403, denied('/open/secret', true)]);
  ({ deps } = setup('not json'));
  assert.equal((await run(deps, context('GET', '/open'))).status, 403, 'an unreadable policy allows nothing');
  ({ deps } = setup(undefined));
  assert.equal((await run(deps, context('GET', '/open'))).status, 200, 'no policy, no check');
});

test('conditions on keys API Gateway never has here (aws:SourceVpce) behave as on AWS: StringEquals false, StringNotEquals true', async () => {
  let { deps } = setup(policy({ Effect: 'Allow', Principal: '*', Action: 'execute-api:Invoke', Resource: '*', Condition: { StringEquals: { 'aws:SourceVpce': 'vpce-1' } } }));
  assert.equal((await run(deps, context('GET', '/open'))).status, 403);
  ({ deps } = setup(policy(allowFrom('0.0.0.0/0'), { Effect: 'Deny', Principal: '*', Action: 'execute-api:Invoke', Resource: '*', Condition: { StringNotEquals: { 'aws:SourceVpce': 'vpce-1' } } })));
  assert.deepEqual((await run(deps, context('GET', '/open'))).body, denied('/open', true));
});

test('AWS_IAM: a same-account caller needs no allow; an explicit deny names the account', async () => {
  let { deps } = setup(policy(allowFrom('192.0.2.0/24')));
  assert.equal((await run(deps, context('GET', '/iam', { headers: SIGNED }))).status, 200);
  ({ deps } = setup(policy({ Effect: 'Deny', Principal: { AWS: '000000000000' }, Action: 'execute-api:Invoke', Resource: 'execute-api:/*', Condition: { NotIpAddress: { 'aws:SourceIp': '192.0.2.0/24' } } })));
  const r = await run(deps, context('GET', '/iam', { headers: SIGNED }));
  assert.deepEqual([r.status, JSON.parse(r.body).Message], [403, `User: arn:aws:iam::000000000000:root is not authorized to perform: execute-api:Invoke on resource: arn:aws:execute-api:us-east-1:********0000:api1/dev/GET/iam with an explicit deny`]);
});

test('Lambda authorizer: an explicit deny refuses before the authorizer runs; otherwise an allow from either admits', async () => {
  const authorizerSays = (effect: 'Allow' | 'Deny' | 'Nothing') => () => ok({
    principalId: 'u', policyDocument: { Version: '2012-10-17', Statement: effect === 'Nothing' ? [] : [{ Effect: effect, Action: 'execute-api:Invoke', Resource: `${ARN}/*` }] },
  });
  const token = { headers: { Authorization: 'token' } };
  // Explicit deny in the resource policy: the authorizer is never called.
  let { deps, inv } = setup(policy({ Effect: 'Deny', Principal: '*', Action: 'execute-api:Invoke', Resource: '*', Condition: { IpAddress: { 'aws:SourceIp': '10.0.0.0/8' } } }), authorizerSays('Allow'));
  assert.deepEqual((await run(deps, context('GET', '/custom', token))).body, denied('/custom', true));
  assert.equal(inv.calls.length, 0);
  // Resource policy silent (allows only elsewhere): the authorizer's decision stands.
  const elsewhere = policy(allowFrom('192.0.2.0/24'));
  ({ deps } = setup(elsewhere, authorizerSays('Allow')));
  assert.equal((await run(deps, context('GET', '/custom', token))).status, 200);
  ({ deps } = setup(elsewhere, authorizerSays('Nothing')));
  assert.deepEqual((await run(deps, context('GET', '/custom', token))).body, '{"Message":"User is not authorized to access this resource"}');
  // Resource policy allows: enough even when the authorizer's policy is silent, not when it denies.
  ({ deps } = setup(policy(allowFrom('10.0.0.0/8')), authorizerSays('Nothing')));
  assert.equal((await run(deps, context('GET', '/custom', token))).status, 200);
  ({ deps } = setup(policy(allowFrom('10.0.0.0/8')), authorizerSays('Deny')));
  const r = await run(deps, context('GET', '/custom', token));
  assert.deepEqual([r.status, JSON.parse(r.body).Message], [403, 'User is not authorized to access this resource with an explicit deny in an identity-based policy']);
});

test('aws:CurrentTime: DateGreaterThan / DateLessThan windows', async () => {
  const window = (from: string, to: string) => policy({ Effect: 'Allow', Principal: '*', Action: 'execute-api:Invoke', Resource: '*', Condition: { DateGreaterThan: { 'aws:CurrentTime': from }, DateLessThan: { 'aws:CurrentTime': to } } });
  let { deps } = setup(window('2000-01-01T00:00:00Z', '2999-01-01T00:00:00Z'));
  assert.equal((await run(deps, context('GET', '/open'))).status, 200);
  ({ deps } = setup(window('2000-01-01T00:00:00Z', '2001-01-01T00:00:00Z')));
  assert.equal((await run(deps, context('GET', '/open'))).status, 403);
});
