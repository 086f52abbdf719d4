// An HttpApi with a DefinitionBody or DefinitionUri as deploy reads it, without a server: the
// document with its intrinsics evaluated, the name from Name or info.title, what SAM merges into
// the document (Name, Description, DisableExecuteApiEndpoint, CorsConfiguration, HttpApi events),
// and located errors for what it doesn't merge.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { documentOf } from './http-api-document.js';
import { httpApiSpec } from './http-api-spec.js';
import { formatIssue } from './issues.js';
import { validateStack } from './stack-validation.js';
import { stackModelOf } from './testing.js';
import { Issues } from './issues.js';
import { readTemplate } from './template.js';
import { resolveParameters } from './parameters.js';
import { StackModel } from './stack-model.js';

const FN_ARN = 'arn:aws:lambda:eu-west-1:111122223333:function:demo-Hello';
const URI = `arn:aws:apigateway:eu-west-1:lambda:path/2015-03-31/functions/${FN_ARN}/invocations`;

const BODY = `DefinitionBody:
  openapi: '3.0.1'
  info: { title: !Sub '\${AWS::StackName}-defined', version: '1.0' }
  paths:
    /hello:
      get:
        x-amazon-apigateway-integration:
          type: aws_proxy
          httpMethod: POST
          uri: !Sub arn:aws:apigateway:\${AWS::Region}:lambda:path/2015-03-31/functions/\${Hello.Arn}/invocations
          payloadFormatVersion: '2.0'`;

function template(api: string, events = '') {
  return `Transform: AWS::Serverless-2016-10-31
Resources:
  Api:
    Type: AWS::Serverless::HttpApi
    Properties:
${api.replace(/^/gm, '      ')}
  Hello:
    Type: AWS::Serverless::Function
    Properties:
      Runtime: nodejs20.x
      Handler: index.handler
      InlineCode: x
${events ? `      Events:\n${events.replace(/^/gm, '        ')}\n` : ''}`;
}

function check(model: StackModel, issues: Issues) {
  const { httpApis, functions } = validateStack(model);
  const scope = model.scope((id, attribute) => (id === 'Hello' && attribute === 'Arn' ? FN_ARN : undefined));
  const spec = () => httpApiSpec(model, model.byId.get('Api')!, scope);
  return { errors: issues.errors.map(formatIssue), checked: httpApis[0], functions, spec, document: () => JSON.parse(documentOf(spec(), functions, 'eu-west-1', '111122223333')) };
}

function stack(api: string, events = '') {
  const { issues, model } = stackModelOf(template(api, events));
  return check(model, issues);
}

test('DefinitionBody: the document with its intrinsics evaluated; the API is named by info.title', () => {
  const { errors, spec, document } = stack(`${BODY}\nStageName: v1`);
  assert.deepEqual(errors, []);
  assert.equal(spec().name, 'demo-defined');
  assert.equal(spec().stageName, 'v1');
  assert.equal(document().paths['/hello'].get['x-amazon-apigateway-integration'].uri, URI);
  assert.equal(document().info.title, 'demo-defined');
});

test('Name, Description, DisableExecuteApiEndpoint and CorsConfiguration are merged into a DefinitionBody, as SAM does', () => {
  const body = BODY.replace("title: !Sub '${AWS::StackName}-defined', ", '');
  const { errors, spec, document } = stack(`${body}\nName: named\nDescription: about\nDisableExecuteApiEndpoint: true\nCorsConfiguration: { AllowOrigins: ['https://a.example'], MaxAge: 60 }`);
  assert.deepEqual(errors, []);
  assert.equal(spec().name, 'named');
  const doc = document();
  assert.deepEqual(doc.info, { title: 'named', description: 'about', version: '1.0' });
  assert.deepEqual(doc['x-amazon-apigateway-endpoint-configuration'], { disableExecuteApiEndpoint: true });
  assert.deepEqual(doc['x-amazon-apigateway-cors'], { allowOrigins: ['https://a.example'], maxAge: 60 });
});

test('HttpApi events naming the API become paths with Lambda proxy integrations; an existing operation gets the integration', () => {
  const events = `Extra:
  Type: HttpApi
  Properties: { ApiId: !Ref Api, Path: '/items/{id}', Method: post, PayloadFormatVersion: '1.0', TimeoutInMillis: 5000 }
Existing:
  Type: HttpApi
  Properties: { ApiId: !Ref Api, Path: /hello, Method: GET }
Default:
  Type: HttpApi
  Properties: { ApiId: !Ref Api }`;
  const { errors, document } = stack(BODY.replace('      get:\n', '      get:\n        description: kept\n'), events);
  assert.deepEqual(errors, []);
  const doc = document();
  const uri = URI;
  assert.deepEqual(doc.paths['/items/{id}'].post['x-amazon-apigateway-integration'], { type: 'aws_proxy', httpMethod: 'POST', uri, payloadFormatVersion: '1.0', timeoutInMillis: 5000 });
  assert.equal(doc.paths['/hello'].get.description, 'kept');
  assert.deepEqual(doc.paths['/hello'].get['x-amazon-apigateway-integration'], { type: 'aws_proxy', httpMethod: 'POST', uri, payloadFormatVersion: '2.0' });
  assert.deepEqual(doc.paths['/$default']['x-amazon-apigateway-any-method']['x-amazon-apigateway-integration'].payloadFormatVersion, '2.0');
});

test('what SAM refuses or stagecraft deploy does not merge is a located error', () => {
  const cases: [string, RegExp][] = [
    [`${BODY}\nName: other`, /template\.yaml:\d+:\d+ .*Name and the DefinitionBody's info\.title both set/],
    [`${BODY.replace("title: !Sub '${AWS::StackName}-defined', ", '')}`, /names the API in info\.title: add it, or give the HttpApi a Name/],
    [`${BODY}\nAuth: { EnableIamAuthorizer: true }`, /does not merge Auth into a DefinitionBody/],
    [`${BODY}\nDefinitionUri: api.yaml`, /give DefinitionBody or DefinitionUri, not both/],
    [`${BODY}\nFailOnWarnings: maybe`, /FailOnWarnings is true or false/],
  ];
  for (const [api, message] of cases) {
    const { errors } = stack(api);
    assert.equal(errors.length, 1, `${api}: ${errors.join('\n')}`);
    assert.match(errors[0], message);
  }
  const { errors } = stack(BODY, 'Secured:\n  Type: HttpApi\n  Properties: { ApiId: !Ref Api, Path: /s, Method: GET, Auth: { Authorizer: AWS_IAM } }');
  assert.ok(errors.some((e) => /does not merge an HttpApi event's Auth into Api's DefinitionBody/.test(e)), errors.join('\n'));
});

test('DefinitionUri: a local YAML file, named by its info.title; SAM merges nothing into it', () => {
  const dir = mkdtempSync(join(tmpdir(), 'httpdef-'));
  writeFileSync(join(dir, 'api.yaml'), "openapi: '3.0.1'\ninfo: { title: from-file, version: '1' }\npaths: { /x: { get: { responses: {} } } }\n");
  const load = (api: string, events = '') => {
    writeFileSync(join(dir, 'template.yaml'), template(api, events));
    const issues = new Issues();
    const t = readTemplate(join(dir, 'template.yaml'), issues)!;
    return check(new StackModel(t, resolveParameters(t, {}, issues), { stackName: 'demo', region: 'eu-west-1', accountId: '111122223333' }, undefined, issues), issues);
  };
  const ok = load('DefinitionUri: api.yaml\nFailOnWarnings: true');
  assert.deepEqual(ok.errors, []);
  assert.equal(ok.spec().name, 'from-file');
  assert.equal(ok.spec().failOnWarnings, true);
  assert.deepEqual(ok.document().paths, { '/x': { get: { responses: {} } } });
  assert.match(load('DefinitionUri: api.yaml\nDescription: d').errors.join('\n'), /Description can't be merged into a DefinitionUri document/);
  assert.match(load('DefinitionUri: api.yaml', 'E:\n  Type: HttpApi\n  Properties: { ApiId: !Ref Api, Path: /e, Method: GET }').errors.join('\n'), /SAM merges no HttpApi events/);
  assert.match(load('DefinitionUri: missing.yaml').errors.join('\n'), /cannot read the OpenAPI file/);
});
