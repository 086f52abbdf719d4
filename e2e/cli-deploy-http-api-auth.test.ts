// `stagecraft deploy` with an HttpApi's Auth: a JWT authorizer (a local OpenID Connect issuer) as
// the DefaultAuthorizer with scopes, a Lambda authorizer with simple responses and the permission
// EnableFunctionDefaultPermissions asks for, an event opting out with Authorizer: NONE, an AWS_IAM
// route (EnableIamAuthorizer); requests
// are admitted and refused over HTTP, a re-deploy changes nothing, and authorizers and route
// authorization the template drops go away.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { GetAuthorizersCommand, GetRoutesCommand } from '@aws-sdk/client-apigatewayv2';
import { useServer } from '../src/testing/fixture.js';
import { useTempDirs } from '../src/testing/temp-dirs.js';
import { runCli, unique, writeFiles, writeProject } from '../src/cli/testing.js';
import { invokeHttpApi, invokeHttpApiSigned } from '../src/execute-api/testing.js';
import { startTestIssuer, type TestIssuer } from '../src/testing/jwt-issuer.js';

const env = useServer();
const dirs = useTempDirs();
const deploy = (dir: string, stackName: string, ...args: string[]) => runCli(['deploy', '--stack-name', stackName, ...args], { cwd: dir, endpoint: env.url });
let issuer: TestIssuer;
after(() => issuer?.close());

function template(prefix: string, issuerUrl: string, withLambdaAuthorizer = true): string {
  return `Transform: AWS::Serverless-2016-10-31
Resources:
  Api:
    Type: AWS::Serverless::HttpApi
    Properties:
      Name: ${prefix}-api
      Auth:
        DefaultAuthorizer: Jwt
        EnableIamAuthorizer: true
        Authorizers:
          Jwt:
            IdentitySource: $request.header.Authorization
            AuthorizationScopes: [read]
            JwtConfiguration:
              issuer: ${issuerUrl}
              audience: [app]
${withLambdaAuthorizer ? `          Gate:
            FunctionArn: !GetAtt Gate.Arn
            AuthorizerPayloadFormatVersion: '2.0'
            EnableSimpleResponses: true
            EnableFunctionDefaultPermissions: true
            Identity:
              Headers: [X-Token]
` : ''}  Gate:
    Type: AWS::Serverless::Function
    Properties:
      FunctionName: ${prefix}-gate
      CodeUri: gate/
      Handler: index.handler
      Runtime: nodejs20.x
  Fn:
    Type: AWS::Serverless::Function
    Properties:
      FunctionName: ${prefix}-fn
      CodeUri: src/
      Handler: index.handler
      Runtime: nodejs20.x
      Events:
        Me:
          Type: HttpApi
          Properties:
            ApiId: !Ref Api
            Path: /me
            Method: GET
        Open:
          Type: HttpApi
          Properties:
            ApiId: !Ref Api
            Path: /open
            Method: GET
            Auth:
              Authorizer: NONE
        Signed:
          Type: HttpApi
          Properties:
            ApiId: !Ref Api
            Path: /signed
            Method: GET
            Auth:
              Authorizer: AWS_IAM
${withLambdaAuthorizer ? `        Gated:
          Type: HttpApi
          Properties:
            ApiId: !Ref Api
            Path: /gated
            Method: GET
            Auth:
              Authorizer: Gate
` : ''}`;
}

const HANDLER = `exports.handler = async (event) => ({ statusCode: 200, body: JSON.stringify(event.requestContext.authorizer ?? null) });`;
const GATE = `exports.handler = async (event) => ({ isAuthorized: event.headers['x-token'] === 'open-sesame', context: { via: 'gate' } });`;

test('HttpApi Auth deploys JWT and Lambda authorizers, the default authorizer with scopes, NONE and AWS_IAM; requests are admitted and refused', async () => {
  issuer = await startTestIssuer();
  const prefix = unique('http-auth');
  const dir = dirs.removeLater(writeProject({ 'template.yaml': template(prefix, issuer.url), 'src/index.js': HANDLER, 'gate/index.js': GATE }));
  const first = await deploy(dir, prefix, '--json');
  assert.equal(first.code, 0, first.output);
  const apiId = first.json().apis.find((a: { logicalId: string }) => a.logicalId === 'Api').id;
  const authorizers = (await env.apigwv2.send(new GetAuthorizersCommand({ ApiId: apiId }))).Items!;
  const jwt = authorizers.find((a) => a.Name === 'Jwt')!;
  assert.deepEqual(jwt.JwtConfiguration, { Issuer: issuer.url, Audience: ['app'] });
  const gate = authorizers.find((a) => a.Name === 'Gate')!;
  assert.equal(gate.AuthorizerType, 'REQUEST');
  assert.deepEqual(gate.IdentitySource, ['$request.header.X-Token']);
  assert.match(gate.AuthorizerUri!, new RegExp(`functions/arn:aws:lambda:us-east-1:000000000000:function:${prefix}-gate/invocations$`));
  const routes = new Map((await env.apigwv2.send(new GetRoutesCommand({ ApiId: apiId }))).Items!.map((r) => [r.RouteKey, r]));
  assert.equal(routes.get('GET /me')!.AuthorizationType, 'JWT');
  assert.deepEqual(routes.get('GET /me')!.AuthorizationScopes, ['read']);
  assert.equal(routes.get('GET /open')!.AuthorizationType, 'NONE');
  assert.equal(routes.get('GET /gated')!.AuthorizerId, gate.AuthorizerId);
  assert.equal(routes.get('GET /signed')!.AuthorizationType, 'AWS_IAM');

  const exp = Math.floor(Date.now() / 1000) + 600;
  const token = issuer.token({ iss: issuer.url, aud: 'app', sub: 'sam', exp, scope: 'read' });
  assert.equal((await invokeHttpApi(env.url, apiId, '/open')).status, 200);
  assert.equal((await invokeHttpApi(env.url, apiId, '/me')).status, 401);
  const me = await invokeHttpApi(env.url, apiId, '/me', { headers: { Authorization: `Bearer ${token}` } });
  assert.equal(me.status, 200, me.text);
  assert.equal(me.json().jwt.claims.sub, 'sam');
  const unscoped = issuer.token({ iss: issuer.url, aud: 'app', sub: 'sam', exp });
  assert.equal((await invokeHttpApi(env.url, apiId, '/me', { headers: { Authorization: unscoped } })).status, 403);
  const gated = await invokeHttpApi(env.url, apiId, '/gated', { headers: { 'X-Token': 'open-sesame' } });
  assert.equal(gated.status, 200, gated.text);
  assert.deepEqual(gated.json(), { lambda: { via: 'gate' } });
  assert.equal((await invokeHttpApi(env.url, apiId, '/gated', { headers: { 'X-Token': 'nope' } })).status, 403);
  assert.equal((await invokeHttpApi(env.url, apiId, '/signed')).status, 403);
  const signed = await invokeHttpApiSigned(env.url, apiId, { method: 'GET', path: '/signed' }, { accessKeyId: 'AKIASAMDEPLOYTEST000', secretAccessKey: 'x' });
  assert.equal(signed.status, 200, signed.text);
  assert.equal(signed.json().iam.accessKey, 'AKIASAMDEPLOYTEST000');

  const again = await deploy(dir, prefix, '--json');
  assert.equal(again.code, 0, again.output);
  assert.equal(again.json().changed, false, 'nothing changes on a second deploy');

  writeFiles(dir, { 'template.yaml': template(prefix, issuer.url, false) });
  const third = await deploy(dir, prefix);
  assert.equal(third.code, 0, third.output);
  assert.deepEqual((await env.apigwv2.send(new GetAuthorizersCommand({ ApiId: apiId }))).Items!.map((a) => a.Name), ['Jwt']);
});

test('HttpApi Auth problems are located errors before anything is deployed', async () => {
  const prefix = unique('http-auth-bad');
  const bad = template(prefix, 'https://issuer.example').replace('DefaultAuthorizer: Jwt', 'DefaultAuthorizer: Jwtt');
  const dir = dirs.removeLater(writeProject({ 'template.yaml': bad, 'src/index.js': HANDLER, 'gate/index.js': GATE }));
  const refused = await deploy(dir, prefix);
  assert.notEqual(refused.code, 0);
  assert.match(refused.output, /template\.yaml:\d+:\d+ \(Resources\.Api\.Properties\.Auth\.DefaultAuthorizer\): DefaultAuthorizer 'Jwtt' is not defined in Authorizers \(did you mean 'Jwt'\?\)(?:$|\. )/m, 'the whole message');
});
