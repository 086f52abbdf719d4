// SAM's Auth as deploy reads it, without a server: authorizers and their identity sources as SAM
// translates them, the default authorizer and per-route overrides, and located errors.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { apiAuthSpec, methodAuthorizer, routeAuthorizer } from './auth-spec.js';
import { formatIssue } from './issues.js';
import { IMPLICIT_API } from './spec.js';
import { validateStack } from './stack-validation.js';
import { stackModelOf } from './testing.js';
import { parseFunctionArn } from './urls.js';

const FN = (id: string) => `arn:aws:lambda:eu-west-1:111122223333:function:demo-${id}`;

/** A template with an authorizer function, an Api whose Auth is `auth`, and a function whose Api events are `events`. */
function stack(auth: string, events: string, globals = '') {
  const text = `Transform: AWS::Serverless-2016-10-31
Globals:
  Function: { Runtime: nodejs20.x, Handler: index.handler, AutoPublishAlias: live }
${globals}Resources:
  AuthFn:
    Type: AWS::Serverless::Function
    Properties: { InlineCode: x }
  Api:
    Type: AWS::Serverless::Api
    Properties:
      StageName: dev
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
  // As deploy sees it once the functions exist.
  const scope = model.scope((id, attribute) => (attribute === 'Arn' ? FN(id) : attribute === 'Alias' ? `${FN(id)}:live` : undefined));
  const authOf = (api: string) => apiAuthSpec(model, model.byId.get(api)!, scope);
  return { issues, errors: issues.errors.map(formatIssue), functions, authOf };
}

const get = (path: string, extra = '') => `E${path.replace(/\W/g, '')}:\n  Type: Api\n  Properties: { RestApiId: !Ref Api, Path: ${path}, Method: GET${extra} }`;

test('a TOKEN authorizer: header Authorization, SAM defaults, the function invocation URI and a permission', () => {
  const { errors, authOf } = stack(`Auth:
  Authorizers:
    TokenAuth:
      FunctionArn: !GetAtt AuthFn.Arn
  DefaultAuthorizer: TokenAuth`, get('/a'));
  assert.deepEqual(errors, []);
  const auth = authOf('Api')!;
  assert.deepEqual(auth.authorizers.map(({ loc, path, ...rest }) => rest), [{
    name: 'TokenAuth', type: 'TOKEN', functionArn: FN('AuthFn'),
    authorizerUri: `arn:aws:apigateway:eu-west-1:lambda:path/2015-03-31/functions/${FN('AuthFn')}/invocations`,
    identitySource: 'method.request.header.Authorization', grantPermission: true,
  }]);
  assert.equal(auth.authorizers[0].authorizerResultTtlInSeconds, undefined, 'no TTL unless ReauthorizeEvery says (API Gateway caches 300 s)');
  assert.equal(auth.defaultAuthorizer, 'TokenAuth');
});

test('TOKEN Identity: Header, ValidationExpression, ReauthorizeEvery; FunctionInvokeRole and DisableFunctionDefaultPermissions', () => {
  const { errors, authOf } = stack(`Auth:
  Authorizers:
    T:
      FunctionArn: !GetAtt AuthFn.Arn
      FunctionPayloadType: TOKEN
      FunctionInvokeRole: arn:aws:iam::111122223333:role/invoke
      DisableFunctionDefaultPermissions: true
      Identity: { Header: X-Token, ValidationExpression: "^Bearer .+$", ReauthorizeEvery: 0 }`, get('/a'));
  assert.deepEqual(errors, []);
  const [a] = authOf('Api')!.authorizers;
  assert.equal(a.identitySource, 'method.request.header.X-Token');
  assert.equal(a.identityValidationExpression, '^Bearer .+$');
  assert.equal(a.authorizerResultTtlInSeconds, 0);
  assert.equal(a.authorizerCredentials, 'arn:aws:iam::111122223333:role/invoke');
  assert.equal(a.grantPermission, false);
});

test('FunctionArn may name an alias: the authorizer calls the alias, and its permission is on the alias', () => {
  const { errors, authOf } = stack('Auth:\n  Authorizers:\n    A: { FunctionArn: !Ref AuthFn.Alias }', get('/a'));
  assert.deepEqual(errors, []);
  const [a] = authOf('Api')!.authorizers;
  assert.equal(a.authorizerUri, `arn:aws:apigateway:eu-west-1:lambda:path/2015-03-31/functions/${FN('AuthFn')}:live/invocations`);
  assert.deepEqual(parseFunctionArn(a.functionArn!), { name: 'demo-AuthFn', qualifier: 'live' });
});

test('REQUEST identity sources in SAM order: headers, query strings, stage variables, context', () => {
  const { errors, authOf } = stack(`Auth:
  Authorizers:
    R:
      FunctionArn: !GetAtt AuthFn.Arn
      FunctionPayloadType: REQUEST
      Identity:
        Context: [identity.sourceIp]
        StageVariables: [env]
        QueryStrings: [key]
        Headers: [X-User, X-Org]
        ReauthorizeEvery: 60`, get('/a'));
  assert.deepEqual(errors, []);
  const [a] = authOf('Api')!.authorizers;
  assert.equal(a.type, 'REQUEST');
  assert.equal(a.identitySource, 'method.request.header.X-User, method.request.header.X-Org, method.request.querystring.key, stageVariables.env, context.identity.sourceIp');
  assert.equal(a.authorizerResultTtlInSeconds, 60);
});

test('routes take the DefaultAuthorizer, Authorizer NONE or a named one overrides it, OPTIONS follows AddDefaultAuthorizerToCorsPreflight', () => {
  const { errors, functions, authOf } = stack(`Auth:
  AddDefaultAuthorizerToCorsPreflight: false
  Authorizers:
    A: { FunctionArn: !GetAtt AuthFn.Arn }
    B: { FunctionArn: !GetAtt AuthFn.Arn, FunctionPayloadType: REQUEST, Identity: { QueryStrings: [k] } }
  DefaultAuthorizer: A`, [get('/default'), get('/open', ', Auth: { Authorizer: NONE }'), get('/b', ', Auth: { Authorizer: B }'),
    'Pre:\n  Type: Api\n  Properties: { RestApiId: !Ref Api, Path: /default, Method: OPTIONS }'].join('\n'));
  assert.deepEqual(errors, []);
  const auth = authOf('Api');
  const fn = functions.find((f) => f.logicalId === 'Fn')!;
  assert.deepEqual(fn.events.map((e) => [e.method, e.resourcePath, routeAuthorizer('Api', auth, e)]), [
    ['GET', '/default', 'A'], ['GET', '/open', undefined], ['GET', '/b', 'B'], ['OPTIONS', '/default', undefined],
  ]);
});

test('the implicit API takes its Auth from Globals.Api.Auth', () => {
  const { errors, functions, authOf } = stack('', 'Get:\n  Type: Api\n  Properties: { Path: /x, Method: GET }',
    '  Api:\n    Auth:\n      Authorizers:\n        G: { FunctionArn: !GetAtt AuthFn.Arn }\n      DefaultAuthorizer: G\n');
  assert.deepEqual(errors, []);
  const auth = authOf(IMPLICIT_API);
  assert.equal(auth?.authorizers[0].name, 'G');
  const e = functions.find((f) => f.logicalId === 'Fn')!.events[0];
  assert.equal(e.apiLogicalId, IMPLICIT_API);
  assert.equal(routeAuthorizer(IMPLICIT_API, auth, e), 'G');
});

test('bad Auth blocks are located errors; what is not deployed is refused by name', () => {
  const { errors } = stack(`Auth:
  ResourcePolicy: { IpRangeWhitelist: [127.0.0.1] }
  Authorizers:
    Pool: { UserPoolArn: arn:aws:cognito-idp:eu-west-1:111122223333:userpool/x }
    Tok:
      FunctionArn: !GetAtt AuthFn.Arn
      Identity: { Headers: [X] }
    Req: { FunctionArn: !GetAtt AuthFn.Arn, FunctionPayloadType: REQUEST }
  DefaultAuthorizer: Tok`, get('/b', ', Auth: { Authorizer: Tok, InvokeRole: CALLER_CREDENTIALS }'));
  const expect = [
    /^template\.yaml:18:25 \(Resources\.Api\.Properties\.Auth\.Authorizers\.Tok\.Identity\.Headers\): unknown TOKEN authorizer Identity property 'Headers' \(did you mean 'Header'\?\)$/,
    /^template\.yaml:19:11 \(Resources\.Api\.Properties\.Auth\.Authorizers\.Req\): REQUEST authorizer Req needs an Identity with at least one of Headers, QueryStrings, StageVariables or Context/,
    /\(Resources\.Fn\.Properties\.Events\.Eb\.Properties\.Auth\.InvokeRole\): Api event Auth property InvokeRole is not supported/,
  ];
  for (const e of expect) assert.ok(errors.some((m) => e.test(m)), `${e}\n${errors.join('\n')}`);

  const routes = stack('Auth:\n  Authorizers:\n    Tok: { FunctionArn: !GetAtt AuthFn.Arn }',
    [get('/a', ', Auth: { Authorizer: Tk }'), get('/b', ', Auth: { Authorizer: AWS_IAM }')].join('\n')).errors;
  assert.match(routes.join('\n'), /\(Resources\.Fn\.Properties\.Events\.Ea\.Properties\.Auth\.Authorizer\): Authorizer 'Tk' is not defined in Api's Auth\.Authorizers \(did you mean 'Tok'\?\)$/m);
  assert.match(routes.join('\n'), /\(Resources\.Fn\.Properties\.Events\.Eb\.Properties\.Auth\.Authorizer\): Authorizer AWS_IAM is not supported by stagecraft deploy: use a Lambda or Cognito authorizer$/m);
  const named = stack('Auth:\n  Authorizers:\n    Named: { FunctionArn: !Ref AuthFn }', get('/a')).errors;
  assert.match(named.join('\n'), /\(Resources\.Api\.Properties\.Auth\.Authorizers\.Named\.FunctionArn\): FunctionArn is a Lambda function ARN \(for example !GetAtt AuthFunction\.Arn\), got '<AuthFn>'/);
  const payload = stack('Auth:\n  Authorizers:\n    P: { FunctionArn: !GetAtt AuthFn.Arn, FunctionPayloadType: Token }', get('/a')).errors;
  assert.match(payload.join('\n'), /FunctionPayloadType is TOKEN or REQUEST, got 'Token'/);
  const iam = stack('Auth:\n  DefaultAuthorizer: AWS_IAM', get('/a')).errors;
  assert.match(iam.join('\n'), /\(Resources\.Api\.Properties\.Auth\.DefaultAuthorizer\): DefaultAuthorizer AWS_IAM is not supported by stagecraft deploy/);
});

test('NONE needs a DefaultAuthorizer, DefaultAuthorizer must be defined, ReauthorizeEvery is 0 to 3600', () => {
  assert.match(stack('Auth:\n  Authorizers:\n    A: { FunctionArn: !GetAtt AuthFn.Arn }', get('/a', ', Auth: { Authorizer: NONE }')).errors.join('\n'),
    /Authorizer NONE only applies when Api has a DefaultAuthorizer, and it has none/);
  assert.match(stack('Auth:\n  Authorizers:\n    A: { FunctionArn: !GetAtt AuthFn.Arn }\n  DefaultAuthorizer: B', get('/a')).errors.join('\n'),
    /\(Resources\.Api\.Properties\.Auth\.DefaultAuthorizer\): DefaultAuthorizer 'B' is not defined in Authorizers/);
  assert.match(stack('', get('/a', ', Auth: { Authorizer: A }')).errors.join('\n'), /Authorizer 'A' is not defined: Api has no Auth\.Authorizers/);
  assert.match(stack('Auth:\n  Authorizers:\n    A: { FunctionArn: !GetAtt AuthFn.Arn, Identity: { ReauthorizeEvery: 4000 } }', get('/a')).errors.join('\n'),
    /ReauthorizeEvery is a whole number of seconds from 0 \(no caching\) to 3600, got 4000/);
  for (const auth of ['Auth: x', 'Auth:\n  Authorizers: [A]', 'Auth:\n  Authorizers:\n    A: x', 'Auth:\n  Authorizers:\n    A: { FunctionArn: !GetAtt AuthFn.Arn, Identity: x }']) {
    const errors = stack(auth, get('/a')).errors;
    assert.equal(errors.length, 1, `${auth}: ${errors.join('\n')}`);
    assert.match(errors[0], /is a map$/);
  }
  assert.match(stack('', get('/a', ', Auth: NONE')).errors.join('\n'), /Properties\.Auth\): Auth is a map with Authorizer$/);
  const broken = stack('Auth:\n  Authorizers:\n    A: { FunctionArn: !GetAtt AuthFn.Arn, Identity: { Header: "a b" } }', get('/a', ', Auth: { Authorizer: A }')).errors;
  assert.equal(broken.length, 1, `a broken Auth is reported once, not again at its routes: ${broken.join('\n')}`);
});

test('a Cognito authorizer: its user pools, token header, validation expression, TTL and scopes; events may name their own scopes', () => {
  const pool = (id: string) => `arn:aws:cognito-idp:eu-west-1:111122223333:userpool/eu-west-1_${id}`;
  const { errors, functions, authOf } = stack(`Auth:
  DefaultAuthorizer: Pool
  Authorizers:
    Pool:
      UserPoolArn: [${pool('A')}, ${pool('B')}]
      AuthorizationScopes: [orders/read]
      Identity: { Header: X-Token, ValidationExpression: 'client-.*', ReauthorizeEvery: 60 }
    Single: { UserPoolArn: ${pool('C')} }`, [get('/a'), get('/b', ', Auth: { AuthorizationScopes: [email, openid] }'), get('/c', ', Auth: { Authorizer: Single }')].join('\n'));
  assert.deepEqual(errors, []);
  const auth = authOf('Api')!;
  const [a, single] = auth.authorizers;
  assert.deepEqual([a.type, a.providerARNs, a.identitySource, a.identityValidationExpression, a.authorizerResultTtlInSeconds, a.authorizationScopes, a.grantPermission, a.authorizerUri],
    ['COGNITO_USER_POOLS', [pool('A'), pool('B')], 'method.request.header.X-Token', 'client-.*', 60, ['orders/read'], false, undefined]);
  assert.deepEqual([single.providerARNs, single.identitySource], [[pool('C')], 'method.request.header.Authorization']);
  const ids = new Map([['Pool', 'id1'], ['Single', 'id2']]);
  const events = functions.find((f) => f.logicalId === 'Fn')!.events;
  assert.deepEqual(events.map((e) => methodAuthorizer(auth, ids, routeAuthorizer('Api', auth, e), e)), [
    { name: 'Pool', id: 'id1', type: 'COGNITO_USER_POOLS', scopes: ['orders/read'] },
    { name: 'Pool', id: 'id1', type: 'COGNITO_USER_POOLS', scopes: ['email', 'openid'] },
    { name: 'Single', id: 'id2', type: 'COGNITO_USER_POOLS' },
  ]);

  const mixed = stack(`Auth:\n  Authorizers:\n    M: { UserPoolArn: ${pool('A')}, FunctionArn: !GetAtt AuthFn.Arn }`, get('/a')).errors;
  assert.match(mixed.join('\n'), /\(Resources\.Api\.Properties\.Auth\.Authorizers\.M\.FunctionArn\): authorizer M has UserPoolArn \(a Cognito authorizer\), so FunctionArn \(of Lambda authorizers\) does not apply/);
  const bad = stack('Auth:\n  Authorizers:\n    M: { UserPoolArn: my-pool }', get('/a')).errors;
  assert.match(bad.join('\n'), /UserPoolArn is a Cognito user pool ARN .* got "my-pool"/);
  const identity = stack(`Auth:\n  Authorizers:\n    M: { UserPoolArn: ${pool('A')}, Identity: { Headers: [X] } }`, get('/a')).errors;
  assert.match(identity.join('\n'), /unknown Cognito authorizer Identity property 'Headers' \(did you mean 'Header'\?\)/);
});
