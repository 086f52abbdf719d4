// An HttpApi's Auth as deploy reads it, without a server: JWT and Lambda authorizers as SAM
// translates them, each route's authorization, and located errors.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { httpApiAuthSpec, httpRouteAuthorization, type RouteAuthorization } from './http-api-auth-spec.js';
import { httpApiEventSpecs } from './http-api-spec.js';
import { formatIssue } from './issues.js';
import { validateStack } from './stack-validation.js';
import { stackModelOf } from './testing.js';

const FN = (id: string) => `arn:aws:lambda:eu-west-1:111122223333:function:demo-${id}`;

/** A template with an authorizer function, an HttpApi whose Auth is `auth`, and a function whose HttpApi events are `events`. */
function stack(auth: string, events: string) {
  const text = `Transform: AWS::Serverless-2016-10-31
Globals:
  Function: { Runtime: nodejs20.x, Handler: index.handler }
Resources:
  AuthFn:
    Type: AWS::Serverless::Function
    Properties: { InlineCode: x }
  Api:
    Type: AWS::Serverless::HttpApi
    Properties:
${auth.replace(/^/gm, '      ')}
  Fn:
    Type: AWS::Serverless::Function
    Properties:
      InlineCode: x
      Events:
${events.replace(/^/gm, '        ')}
`;
  const { issues, model } = stackModelOf(text);
  const { functions } = validateStack(model);
  const scope = model.scope((id, attribute) => (attribute === 'Arn' ? FN(id) : undefined));
  return {
    errors: issues.errors.map(formatIssue), functions, auth: () => httpApiAuthSpec(model, model.byId.get('Api')!, scope),
    events: () => httpApiEventSpecs(model, model.byId.get('Fn')!, scope),
  };
}

const route = (path: string, extra = '') => `E${path.replace(/\W/g, '')}:\n  Type: HttpApi\n  Properties: { ApiId: !Ref Api, Path: ${path}, Method: GET${extra} }`;
const AUTH = `Auth:
  DefaultAuthorizer: Jwt
  Authorizers:
    Jwt:
      JwtConfiguration: { issuer: 'https://id.example', audience: [app] }
      AuthorizationScopes: [read]
    Fn:
      FunctionArn: !GetAtt AuthFn.Arn
      AuthorizerPayloadFormatVersion: 2.0
      Identity: { Headers: [X-Token], QueryStrings: [q], ReauthorizeEvery: 60 }`;

test('JWT and Lambda authorizers as SAM translates them', () => {
  const { errors, auth } = stack(AUTH, route('/a'));
  assert.deepEqual(errors, []);
  const [jwt, fn] = auth()!.authorizers;
  assert.deepEqual(jwt, { name: 'Jwt', type: 'JWT', identitySource: ['$request.header.Authorization'], jwt: { issuer: 'https://id.example', audience: ['app'] }, scopes: ['read'], grantPermission: false });
  assert.equal(fn.type, 'REQUEST');
  assert.deepEqual(fn.identitySource, ['$request.header.X-Token', '$request.querystring.q']);
  assert.equal(fn.payloadFormatVersion, '2.0', 'a YAML number 2.0 is the version 2.0');
  assert.equal(fn.ttl, 60);
  assert.equal(fn.grantPermission, false, 'SAM grants nothing without EnableFunctionDefaultPermissions');
  assert.equal(fn.authorizerUri, `arn:aws:apigateway:eu-west-1:lambda:path/2015-03-31/functions/${FN('AuthFn')}/invocations`);
});

test('located errors: unknown authorizers, NONE without a default, a missing payload version, JWT without issuer', () => {
  const routes = stack(AUTH, [route('/a', ', Auth: { Authorizer: Jw }'), route('/b', ', Auth: { Authorizer: AWS_IAM }')].join('\n')).errors.join('\n');
  assert.match(routes, /\(Resources\.Fn\.Properties\.Events\.Ea\.Properties\.Auth\.Authorizer\): Authorizer 'Jw' is not defined in Api's Auth\.Authorizers \(did you mean 'Jwt'\?\)$/m);
  assert.match(routes, /\(Resources\.Fn\.Properties\.Events\.Eb\.Properties\.Auth\.Authorizer\): Authorizer AWS_IAM needs EnableIamAuthorizer: true in Api's Auth$/m);
  const none = stack('Auth:\n  Authorizers:\n    J: { JwtConfiguration: { issuer: "https://i.example" } }', route('/a', ', Auth: { Authorizer: NONE }')).errors.join('\n');
  assert.match(none, /Authorizer NONE only applies when Api has a DefaultAuthorizer/);
  const version = stack('Auth:\n  Authorizers:\n    F: { FunctionArn: !GetAtt AuthFn.Arn }', route('/a')).errors.join('\n');
  assert.match(version, /\(Resources\.Api\.Properties\.Auth\.Authorizers\.F\): Lambda authorizer F needs AuthorizerPayloadFormatVersion/);
  const issuer = stack('Auth:\n  Authorizers:\n    J: { JwtConfiguration: { audience: [a] } }', route('/a')).errors.join('\n');
  assert.match(issuer, /authorizer J needs JwtConfiguration\.issuer/);
  const both = stack('Auth:\n  Authorizers:\n    B: { FunctionArn: !GetAtt AuthFn.Arn, JwtConfiguration: { issuer: "https://i.example" } }', route('/a')).errors.join('\n');
  assert.match(both, /needs either JwtConfiguration \(a JWT authorizer\) or FunctionArn \(a Lambda authorizer\)/);
  const key = stack('Auth:\n  Authorizers:\n    J: { JwtConfiguration: { issuer: "https://i.example" }, Identity: {} }', route('/a', ', Auth: { Scopes: [x] }')).errors.join('\n');
  assert.match(key, /unknown HttpApi event Auth property 'Scopes'/);
});

test('EnableIamAuthorizer makes AWS_IAM an authorizer routes and the DefaultAuthorizer may name', () => {
  const authorizationOf = (s: ReturnType<typeof stack>, event: string): RouteAuthorization | undefined =>
    httpRouteAuthorization('Api', s.auth(), s.events().find((e) => e.name === event)!);
  const own = stack('Auth:\n  EnableIamAuthorizer: true', route('/a', ', Auth: { Authorizer: AWS_IAM }'));
  assert.deepEqual(own.errors, []);
  assert.equal(own.auth()!.iam, true);
  assert.deepEqual(authorizationOf(own, 'Ea'), { authorizer: 'AWS_IAM' });
  const byDefault = stack(`${AUTH.replace('DefaultAuthorizer: Jwt', 'DefaultAuthorizer: AWS_IAM')}\n  EnableIamAuthorizer: true`, [route('/a'), route('/b', ', Auth: { Authorizer: Jwt }'), route('/c', ', Auth: { Authorizer: NONE }')].join('\n'));
  assert.deepEqual(byDefault.errors, []);
  assert.deepEqual(authorizationOf(byDefault, 'Ea'), { authorizer: 'AWS_IAM' });
  assert.deepEqual(authorizationOf(byDefault, 'Eb'), { authorizer: 'Jwt', scopes: ['read'] });
  assert.equal(authorizationOf(byDefault, 'Ec'), undefined);
  const withoutIam = stack(AUTH.replace('DefaultAuthorizer: Jwt', 'DefaultAuthorizer: AWS_IAM'), route('/a'));
  assert.throws(() => withoutIam.auth(), /DefaultAuthorizer 'AWS_IAM' is not defined in Authorizers/);
});
