// SAM's ResourcePolicyStatement as deploy translates it, without a server: the statements each
// whitelist and blacklist kind generates, on which paths and methods (API-wide and per event), how
// Policy and CustomStatements merge, and the located errors for bad values.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { apiSettingsMark } from './apis.js';
import { apiAuthSpec } from './auth-spec.js';
import { formatIssue } from './issues.js';
import { apiPolicyDocument, methodResources, resourcePolicySpec, type PolicyRoute } from './resource-policy-spec.js';
import { validateStack } from './stack-validation.js';
import { stackModelOf } from './testing.js';

const fail = (m: string): never => {
  throw new Error(m);
};
const spec = (v: Parameters<typeof resourcePolicySpec>[0]) => resourcePolicySpec(v, fail);
const GET_A = ['execute-api:/dev/GET/a'];
const allowAll = (resources: string[]) => ({ Effect: 'Allow', Action: 'execute-api:Invoke', Resource: resources, Principal: '*' });
const denyIf = (resources: string[], condition: object) => ({ Effect: 'Deny', Action: 'execute-api:Invoke', Resource: resources, Principal: '*', Condition: condition });
const only = (rp: Parameters<typeof resourcePolicySpec>[0]) => apiPolicyDocument(undefined, spec(rp), [{ resourcePath: '/a', method: 'GET' }], [], ['dev'])?.Statement;

test('accounts: an Allow or a Deny with the accounts as AWS principals', () => {
  assert.deepEqual(only({ AwsAccountWhitelist: ['111122223333'] }), [
    { Effect: 'Allow', Action: 'execute-api:Invoke', Resource: GET_A, Principal: { AWS: ['111122223333'] } },
  ]);
  assert.deepEqual(only({ AwsAccountBlacklist: '444455556666' }), [
    { Effect: 'Deny', Action: 'execute-api:Invoke', Resource: GET_A, Principal: { AWS: ['444455556666'] } },
  ], 'a single string is a list of one');
});

test('IP ranges: Allow everyone, Deny outside a whitelist (NotIpAddress) or inside a blacklist (IpAddress)', () => {
  assert.deepEqual(only({ IpRangeWhitelist: ['10.0.0.0/8', '127.0.0.1'] }), [allowAll(GET_A), denyIf(GET_A, { NotIpAddress: { 'aws:SourceIp': ['10.0.0.0/8', '127.0.0.1'] } })]);
  assert.deepEqual(only({ IpRangeBlacklist: ['127.0.0.1/32'] }), [allowAll(GET_A), denyIf(GET_A, { IpAddress: { 'aws:SourceIp': ['127.0.0.1/32'] } })]);
  assert.deepEqual(only({ IpRangeWhitelist: ['10.0.0.0/8'], IpRangeBlacklist: ['10.1.0.0/16'] }), [
    allowAll(GET_A), denyIf(GET_A, { NotIpAddress: { 'aws:SourceIp': ['10.0.0.0/8'] } }), denyIf(GET_A, { IpAddress: { 'aws:SourceIp': ['10.1.0.0/16'] } }),
  ], 'the shared Allow is written once');
});

test('VPCs: SourceVpc lists sorted into aws:SourceVpc and aws:SourceVpce; Intrinsic lists taken as given; blacklist first', () => {
  assert.deepEqual(only({ SourceVpcWhitelist: ['vpc-1', 'vpce-2'], IntrinsicVpceWhitelist: ['vpce-3'] }), [
    allowAll(GET_A), denyIf(GET_A, { StringNotEquals: { 'aws:SourceVpc': ['vpc-1'], 'aws:SourceVpce': ['vpce-2', 'vpce-3'] } }),
  ]);
  assert.deepEqual(only({ SourceVpcWhitelist: ['vpc-1'], IntrinsicVpcBlacklist: ['vpc-9'] }), [
    allowAll(GET_A), denyIf(GET_A, { StringEquals: { 'aws:SourceVpc': ['vpc-9'] } }), denyIf(GET_A, { StringNotEquals: { 'aws:SourceVpc': ['vpc-1'] } }),
  ]);
});

test('resources: every stage and method of the path, path variables and ANY as *, no trailing slash', () => {
  assert.deepEqual(methodResources(['dev', 'prod'], ['GET', 'ANY'], '/items/{id}/{proxy+}'), [
    'execute-api:/dev/GET/items/*/*', 'execute-api:/dev/*/items/*/*', 'execute-api:/prod/GET/items/*/*', 'execute-api:/prod/*/items/*/*',
  ]);
  assert.deepEqual(methodResources(['dev'], ['GET'], '/'), ['execute-api:/dev/GET/']);
});

test("an event's ResourcePolicy covers its path's methods so far; the API's covers every path, CORS preflights included", () => {
  const deny = spec({ IpRangeBlacklist: ['10.0.0.1'] });
  const routes: PolicyRoute[] = [
    { resourcePath: '/a', method: 'GET' },
    { resourcePath: '/a', method: 'POST', resourcePolicy: deny },
    { resourcePath: '/b', method: 'GET' },
    { resourcePath: '/a', method: 'PUT' },
  ];
  const a = ['execute-api:/dev/GET/a', 'execute-api:/dev/POST/a'];
  assert.deepEqual(apiPolicyDocument(undefined, undefined, routes, ['/a'], ['dev']), {
    Version: '2012-10-17', Statement: [allowAll(a), denyIf(a, { IpAddress: { 'aws:SourceIp': ['10.0.0.1'] } })],
  });
  const api = apiPolicyDocument(undefined, spec({ AwsAccountWhitelist: ['111122223333'] }), routes, ['/a'], ['dev'])!.Statement;
  assert.deepEqual(api.slice(2).map((s) => s.Resource), [
    ['execute-api:/dev/GET/a', 'execute-api:/dev/POST/a', 'execute-api:/dev/PUT/a', 'execute-api:/dev/OPTIONS/a'], ['execute-api:/dev/GET/b'],
  ]);
});

test("Policy's statements come first, then the generated ones, then CustomStatements (each written once)", () => {
  const custom = { Effect: 'Deny', Principal: '*', Action: 'execute-api:Invoke', Resource: 'execute-api:/*/DELETE/*' };
  const own = { Effect: 'Allow', Principal: '*', Action: 'execute-api:Invoke', Resource: 'execute-api:/*' };
  const routes: PolicyRoute[] = [
    { resourcePath: '/a', method: 'GET', resourcePolicy: spec({ CustomStatements: [custom] }) },
    { resourcePath: '/b', method: 'GET' },
  ];
  const doc = apiPolicyDocument({ Version: '2012-10-17', Statement: own }, spec({ IpRangeWhitelist: ['127.0.0.1/32'], CustomStatements: custom }), routes, [], ['dev'])!;
  assert.deepEqual(doc.Statement, [
    own, custom,
    allowAll(GET_A), denyIf(GET_A, { NotIpAddress: { 'aws:SourceIp': ['127.0.0.1/32'] } }),
    allowAll(['execute-api:/dev/GET/b']), denyIf(['execute-api:/dev/GET/b'], { NotIpAddress: { 'aws:SourceIp': ['127.0.0.1/32'] } }),
  ]);
  assert.equal(apiPolicyDocument(undefined, undefined, routes.slice(1), [], ['dev']), undefined, 'no statements, no policy');
});

/** A template with an Api whose properties are `props` and a function with one Api event (its Auth `eventAuth`). */
function stack(props: string, eventAuth = '') {
  const { issues, model } = stackModelOf(`Transform: AWS::Serverless-2016-10-31
Resources:
  Api:
    Type: AWS::Serverless::Api
    Properties:
      StageName: dev
${props.replace(/^/gm, '      ')}
  Fn:
    Type: AWS::Serverless::Function
    Properties:
      Runtime: nodejs20.x
      Handler: index.handler
      InlineCode: x
      Events:
        Get:
          Type: Api
          Properties: { RestApiId: !Ref Api, Path: /a, Method: GET${eventAuth} }
`);
  const { apis, functions } = validateStack(model);
  return { errors: issues.errors.map(formatIssue), apis, functions, auth: () => apiAuthSpec(model, model.byId.get('Api')!, model.scope(() => undefined)) };
}

test('the template: MinimumCompressionSize, Policy (map or JSON text, intrinsics resolved) and both ResourcePolicy levels are read', () => {
  const { errors, apis, functions, auth } = stack(`MinimumCompressionSize: '1024'
Policy: !Sub '{"Statement": {"Effect": "Allow", "Principal": "*", "Action": "execute-api:Invoke", "Resource": "execute-api:/\${AWS::AccountId}"}}'
Auth:
  ResourcePolicy: { IpRangeWhitelist: [127.0.0.1/32] }`, ', Auth: { ResourcePolicy: { AwsAccountBlacklist: [!Ref AWS::AccountId] } }');
  assert.deepEqual(errors, []);
  assert.equal(apis[0].minimumCompressionSize, 1024);
  assert.deepEqual(apis[0].policy, { Statement: { Effect: 'Allow', Principal: '*', Action: 'execute-api:Invoke', Resource: 'execute-api:/111122223333' } });
  assert.deepEqual(auth()?.resourcePolicy, { ipWhitelist: ['127.0.0.1/32'] });
  assert.deepEqual(functions[0].events[0].resourcePolicy, { accountBlacklist: ['111122223333'] });
});

test('with a DefinitionBody, Policy and MinimumCompressionSize go into the document', () => {
  const { errors, apis } = stack(`MinimumCompressionSize: 0
Policy: { Statement: [] }
DefinitionBody:
  openapi: 3.0.1
  info: { title: t }
  paths: {}
  x-amazon-apigateway-minimum-compression-size: 100`);
  assert.deepEqual(errors.filter((e) => !e.includes('merges no Api events')), []);
  const doc = JSON.parse(apis[0].definition!);
  assert.equal(doc['x-amazon-apigateway-minimum-compression-size'], 0);
  assert.deepEqual(doc['x-amazon-apigateway-policy'], { Statement: [] });
});

test('bad values are located errors', () => {
  const cases: [string, string, RegExp][] = [
    ['MinimumCompressionSize: 10485761', '', /\(Resources\.Api\.Properties\.MinimumCompressionSize\): MinimumCompressionSize is a whole number of bytes from 0 to 10485760, got 10485761$/],
    ['MinimumCompressionSize: -1', '', /MinimumCompressionSize is a whole number of bytes from 0 to 10485760, got -1$/],
    ['Policy: "{not json"', '', /\(Resources\.Api\.Properties\.Policy\): Policy is a policy document: a map, or its JSON text$/],
    ['Policy: { Version: "2012-10-17" }', '', /Policy needs a Statement/],
    ['Auth:\n  ResourcePolicy: { IpRangeWhitelst: [127.0.0.1] }', '', /^template\.yaml:8:\d+ \(Resources\.Api\.Properties\.Auth\.ResourcePolicy\): unknown ResourcePolicy property 'IpRangeWhitelst' \(did you mean 'IpRangeWhitelist'\?\)$/],
    ['Auth:\n  ResourcePolicy: { IpRangeBlacklist: [localhost] }', '', /ResourcePolicy\.IpRangeBlacklist: 'localhost' is not an IP address or CIDR range$/],
    ['Auth:\n  ResourcePolicy: { SourceVpcWhitelist: [sg-1] }', '', /ResourcePolicy\.SourceVpcWhitelist: 'sg-1' is neither a VPC id/],
    ['Auth:\n  ResourcePolicy: { CustomStatements: [x] }', '', /ResourcePolicy\.CustomStatements is a list of policy statements/],
    ['Auth:\n  ResourcePolicy: [x]', '', /ResourcePolicy is a map/],
    ['', ', Auth: { ResourcePolicy: { AwsAccountWhitelist: [{ a: 1 }] } }', /\(Resources\.Fn\.Properties\.Events\.Get\.Properties\.Auth\.ResourcePolicy\): ResourcePolicy\.AwsAccountWhitelist is a list of strings$/],
  ];
  for (const [props, eventAuth, expected] of cases) {
    const { errors } = stack(props, eventAuth);
    assert.ok(errors.some((e) => expected.test(e)), `${props}${eventAuth}: ${expected}\n${errors.join('\n')}`);
  }
});

test('the deployment mark: compression and the policy change it; without them it is what it was before they were managed', () => {
  assert.equal(apiSettingsMark({}), '');
  const policy = apiPolicyDocument(undefined, spec({ IpRangeWhitelist: ['127.0.0.1/32'] }), [{ resourcePath: '/a', method: 'GET' }], [], ['dev']);
  const marks = [apiSettingsMark({ minimumCompressionSize: 0 }), apiSettingsMark({ minimumCompressionSize: 1024 }), apiSettingsMark({ policy }), apiSettingsMark({ policy, minimumCompressionSize: 0 })];
  assert.equal(new Set(marks).size, marks.length);
  assert.ok(marks.every((m) => /^-[0-9a-f]{8}$/.test(m)));
  assert.equal(apiSettingsMark({ policy: apiPolicyDocument(undefined, spec({ IpRangeWhitelist: ['127.0.0.1/32'] }), [{ resourcePath: '/a', method: 'GET' }], [], ['dev']) }), marks[2]);
});
