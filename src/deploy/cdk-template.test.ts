// `cdk synth` output read as SAM: the committed fixture (e2e/fixtures/cdk) and small raw templates:
// what each raw Lambda and API Gateway resource becomes, how references to folded resources are
// rewritten, what is dropped (bootstrap check, CDKMetadata) and what is refused with a located error.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { formatIssue, Issues } from './issues.js';
import { get, toPlain } from './source.js';
import { parseTemplate, type Template } from './template.js';
import { stackModelOf } from './testing.js';
import { defaultStackName } from './deploy.js';
import { functionSpec } from './function-spec.js';
import { validateStack } from './stack-validation.js';
import { apiSpec } from './api-spec.js';
import { apiAuthSpec } from './auth-spec.js';

const FIXTURE = readFileSync(join(import.meta.dirname, '..', '..', '..', 'e2e', 'fixtures', 'cdk', 'cdk.out', 'CdkHello.template.json'), 'utf8');

function read(text: string): { template: Template; issues: Issues } {
  const issues = new Issues();
  const template = parseTemplate(text, 'template.json', issues)!;
  return { template, issues };
}

const props = (t: Template, id: string) => {
  const r = t.resources.find((x) => x.logicalId === id);
  assert.ok(r, `${id} is in the template`);
  return { type: r.type, properties: toPlain(r.properties!) as Record<string, unknown> };
};

test('the CDK fixture reads as SAM: function with asset CodeUri and AutoPublishAlias, REST API from its Method tree, HTTP API from its routes', () => {
  const { template, issues } = read(FIXTURE);
  assert.deepEqual(issues.list.map(formatIssue), []);
  assert.deepEqual(template.parameters, [], 'the BootstrapVersion parameter is dropped');
  assert.deepEqual([...template.conditions.keys()], [], 'CDKMetadataAvailable is dropped');
  assert.deepEqual(template.resources.map((r) => `${r.logicalId} ${r.type}`).filter((r) => !r.includes('Permission')), [
    'HelloServiceRole1E55EA16 AWS::IAM::Role',
    'Hello4A628BD4 AWS::Serverless::Function',
    'HelloApi3F989F66 AWS::Serverless::Api',
    'HelloApiCloudWatchRoleDEA499C9 AWS::IAM::Role',
    'HelloApiAccount27279CFF AWS::ApiGateway::Account',
    'InlineServiceRole89F4F439 AWS::IAM::Role',
    'Inline6CF80F9D AWS::Serverless::Function',
    'HelloHttpA8D6AAF0 AWS::Serverless::HttpApi',
  ]);

  const hello = props(template, 'Hello4A628BD4');
  assert.deepEqual(hello.properties, {
    CodeUri: 'asset.3aec01742a8e4920bb22da71f46eef65369df718ed31aa825ec48ed5069f65c1',
    Handler: 'index.handler', Runtime: 'nodejs22.x', Environment: { Variables: { GREETING: 'hello' } }, MemorySize: 256, Timeout: 10,
    Role: { 'Fn::GetAtt': ['HelloServiceRole1E55EA16', 'Arn'] },
    AutoPublishAlias: 'live',
    FunctionUrlConfig: { AuthType: 'NONE' },
  });
  assert.deepEqual(props(template, 'Inline6CF80F9D').properties.InlineCode, 'exports.handler = async () => ({ statusCode: 200, body: "inline" });');
  assert.equal(props(template, 'Inline6CF80F9D').properties.AutoPublishAlias, undefined);
  assert.deepEqual([...template.publishedVersions], ['Inline6CF80F9D'], "Inline's currentVersion is published without an alias");

  // The alias's permissions name SAM's {Id}.Alias.
  assert.deepEqual(props(template, 'LiveinvokefunctionurlB666487F').properties.FunctionName, { Ref: 'Hello4A628BD4.Alias' });

  const api = props(template, 'HelloApi3F989F66').properties;
  assert.equal(api.Name, 'HelloApi');
  assert.equal(api.StageName, 'prod');
  assert.deepEqual(api.Variables, { mode: 'cdk' });
  const body = api.DefinitionBody as { paths: Record<string, Record<string, Record<string, unknown>>> };
  assert.deepEqual(Object.keys(body.paths).sort(), ['/', '/greet', '/greet/{name}']);
  const get_ = body.paths['/greet'].get['x-amazon-apigateway-integration'] as Record<string, unknown>;
  assert.equal(get_.type, 'aws_proxy');
  assert.equal(get_.httpMethod, 'POST');
  assert.deepEqual((get_.uri as { 'Fn::Join': unknown[] })['Fn::Join'][1], [
    'arn:', { Ref: 'AWS::Partition' }, ':apigateway:', { Ref: 'AWS::Region' }, ':lambda:path/2015-03-31/functions/', { Ref: 'Hello4A628BD4.Alias' }, '/invocations',
  ]);
  assert.deepEqual(body.paths['/greet/{name}'].post.parameters, [{ name: 'name', in: 'path', required: true, schema: { type: 'string' } }]);
  assert.deepEqual(body.paths['/']['x-amazon-apigateway-any-method'], {
    responses: { 200: { description: '200 response' } },
    'x-amazon-apigateway-integration': {
      type: 'mock', requestTemplates: { 'application/json': '{"statusCode": 200}' },
      responses: { default: { statusCode: '200', responseTemplates: { 'application/json': '{"mock": true}' } } },
    },
  });

  const http = props(template, 'HelloHttpA8D6AAF0').properties;
  assert.equal(http.StageName, '$default');
  const paths = (http.DefinitionBody as { paths: Record<string, Record<string, { 'x-amazon-apigateway-integration': Record<string, unknown> }>> }).paths;
  assert.deepEqual(Object.keys(paths), ['/$default', '/hello']);
  assert.deepEqual(paths['/hello'].get['x-amazon-apigateway-integration'], {
    type: 'aws_proxy', httpMethod: 'POST', uri: { 'Fn::GetAtt': ['Hello4A628BD4', 'Arn'] }, payloadFormatVersion: '2.0',
  });

  // Outputs: the stage's Ref is its name, the URL's and HTTP API's attributes are SAM's.
  const outputs = Object.fromEntries(template.outputs.map((o) => [o.name, toPlain(o.value)]));
  assert.deepEqual((outputs.HelloApiEndpoint91438085 as { 'Fn::Join': [string, unknown[]] })['Fn::Join'][1].slice(-2), ['prod', '/']);
  assert.deepEqual(outputs.FunctionUrl, { 'Fn::GetAtt': ['Hello4A628BD4Url', 'FunctionUrl'] });
  assert.deepEqual(outputs.HttpApiUrl, { 'Fn::Sub': 'https://${HelloHttpA8D6AAF0}.execute-api.${AWS::Region}.${AWS::URLSuffix}' });
  assert.deepEqual(outputs.InlineVersion, { 'Fn::GetAtt': ['Inline6CF80F9D', 'Version.Version'] });
});

test('the CDK fixture checks out as a stack, and its Outputs evaluate to the deployed names', () => {
  const { issues, model } = stackModelOf(FIXTURE);
  assert.deepEqual(issues.list.filter((i) => i.severity === 'error').map(formatIssue), []);
  const values: Record<string, Record<string, string>> = {
    HelloApi3F989F66: { Ref: 'a1b2c3' }, HelloHttpA8D6AAF0: { Ref: 'h1t2p3' }, Hello4A628BD4: { FunctionUrl: 'http://url.example/' }, Inline6CF80F9D: { 'Version.Version': '4' },
  };
  const outputs = model.outputs(model.scope((id, attribute) => values[id]?.[attribute]));
  assert.deepEqual(Object.fromEntries(outputs.map((o) => [o.name, o.value])), {
    HelloApiEndpoint91438085: 'https://a1b2c3.execute-api.eu-west-1.amazonaws.com/prod/',
    FunctionUrl: 'http://url.example/',
    HttpApiUrl: 'https://h1t2p3.execute-api.eu-west-1.amazonaws.com',
    InlineVersion: '4',
  });
});

const RAW = (resources: string) => `{"Resources": {${resources}}}`;

test('layers, event invoke configs, dead-letter queues and tags: as SAM spells them', () => {
  const { template, issues } = read(RAW(`
    "Queue": {"Type": "AWS::SQS::Queue"},
    "Topic": {"Type": "AWS::SNS::Topic"},
    "Layer": {"Type": "AWS::Lambda::LayerVersion", "Properties": {"Content": {"S3Bucket": "b", "S3Key": "k.zip"}, "CompatibleRuntimes": ["nodejs22.x"]},
      "UpdateReplacePolicy": "Retain", "DeletionPolicy": "Retain", "Metadata": {"aws:asset:path": "asset.layer", "aws:asset:property": "Content"}},
    "Fn": {"Type": "AWS::Lambda::Function", "Properties": {"Code": {"S3Bucket": "b", "S3Key": "k.zip"}, "Handler": "index.handler", "Runtime": "nodejs22.x",
      "Layers": [{"Ref": "Layer"}], "Tags": [{"Key": "team", "Value": "web"}], "TracingConfig": {"Mode": "Active"},
      "DeadLetterConfig": {"TargetArn": {"Fn::GetAtt": ["Topic", "TopicArn"]}}},
      "Metadata": {"aws:asset:path": "/abs/asset.fn", "aws:asset:property": "Code"}},
    "Invoke": {"Type": "AWS::Lambda::EventInvokeConfig", "Properties": {"FunctionName": {"Ref": "Fn"}, "Qualifier": "$LATEST", "MaximumRetryAttempts": 1,
      "DestinationConfig": {"OnFailure": {"Destination": {"Fn::GetAtt": ["Queue", "Arn"]}}, "OnSuccess": {"Destination": "arn:aws:sns:eu-west-1:111122223333:done"}}}}`));
  assert.deepEqual(issues.list.map(formatIssue), []);
  assert.deepEqual(props(template, 'Layer'), { type: 'AWS::Serverless::LayerVersion', properties: { ContentUri: 'asset.layer', CompatibleRuntimes: ['nodejs22.x'] } });
  assert.deepEqual(props(template, 'Fn').properties, {
    CodeUri: '/abs/asset.fn', Handler: 'index.handler', Runtime: 'nodejs22.x', Layers: [{ Ref: 'Layer' }], Tags: { team: 'web' }, Tracing: 'Active',
    DeadLetterQueue: { Type: 'SNS', TargetArn: { 'Fn::GetAtt': ['Topic', 'TopicArn'] } },
    EventInvokeConfig: {
      MaximumRetryAttempts: 1,
      DestinationConfig: { OnSuccess: { Type: 'SNS', Destination: 'arn:aws:sns:eu-west-1:111122223333:done' }, OnFailure: { Type: 'SQS', Destination: { 'Fn::GetAtt': ['Queue', 'Arn'] } } },
    },
  });
  assert.equal(template.resources.some((r) => r.logicalId === 'Invoke'), false);
});

test('references to folded resources: Ref, Fn::GetAtt, Fn::Sub and DependsOn', () => {
  const { template, issues } = read(RAW(`
    "Fn": {"Type": "AWS::Lambda::Function", "Properties": {"Code": {"ZipFile": "x"}, "Handler": "index.handler", "Runtime": "nodejs22.x"}},
    "V1": {"Type": "AWS::Lambda::Version", "Properties": {"FunctionName": {"Ref": "Fn"}, "Description": "first"}},
    "Live": {"Type": "AWS::Lambda::Alias", "Properties": {"FunctionName": {"Ref": "Fn"}, "FunctionVersion": {"Fn::GetAtt": ["V1", "Version"]}, "Name": "live",
      "ProvisionedConcurrencyConfig": {"ProvisionedConcurrentExecutions": 2}}},
    "Perm": {"Type": "AWS::Lambda::Permission", "DependsOn": ["Live", "V1"], "Properties": {"Action": "lambda:InvokeFunction", "Principal": "s3.amazonaws.com",
      "FunctionName": {"Fn::Sub": "\${Live}"}, "SourceArn": {"Fn::Sub": ["arn:aws:s3:::\${B}-\${V1.Version}", {"B": "bucket"}]}}}`));
  assert.deepEqual(issues.list.map(formatIssue), []);
  const fn = props(template, 'Fn').properties;
  assert.equal(fn.AutoPublishAlias, 'live');
  assert.equal(fn.VersionDescription, 'first');
  assert.deepEqual(fn.ProvisionedConcurrencyConfig, { ProvisionedConcurrentExecutions: 2 });
  const perm = template.resources.find((r) => r.logicalId === 'Perm')!;
  assert.deepEqual(perm.dependsOn, ['Fn']);
  assert.deepEqual(toPlain(get(perm.properties, 'FunctionName')!), { 'Fn::Sub': ['${Live}', { Live: { Ref: 'Fn.Alias' } }] });
  assert.deepEqual(toPlain(get(perm.properties, 'SourceArn')!), { 'Fn::Sub': ['arn:aws:s3:::${B}-${V1.Version}', { B: 'bucket', 'V1.Version': { 'Fn::GetAtt': ['Fn', 'Version.Version'] } }] });
});

test('a Version no alias points at is published all the same; its number resolves', () => {
  const { issues, model } = stackModelOf(RAW(`
    "Fn": {"Type": "AWS::Lambda::Function", "Properties": {"Code": {"ZipFile": "x"}, "Handler": "index.handler", "Runtime": "nodejs22.x"}},
    "Lonely": {"Type": "AWS::Lambda::Version", "Properties": {"FunctionName": {"Ref": "Fn"}, "Description": "for CloudFront"}},
    "Plain": {"Type": "AWS::Lambda::Function", "Properties": {"Code": {"ZipFile": "x"}, "Handler": "index.handler", "Runtime": "nodejs22.x"}}},
    "Outputs": {"Number": {"Value": {"Fn::GetAtt": ["Lonely", "Version"]}}, "Arn": {"Value": {"Ref": "Lonely"}}`));
  assert.deepEqual(issues.list.map(formatIssue), []);
  const spec = (id: string) => functionSpec(model, model.byId.get(id)!, model.scope(() => undefined));
  assert.equal(spec('Fn').publishVersion, true);
  assert.equal(spec('Fn').autoPublishAlias, undefined);
  assert.equal(spec('Fn').versionDescription, 'for CloudFront');
  assert.equal(spec('Plain').publishVersion, false);
  const values: Record<string, string> = { 'Version.Version': '3', Version: 'arn:aws:lambda:eu-west-1:111122223333:function:demo-Fn:3' };
  const outputs = model.outputs(model.scope((id, attribute) => (id === 'Fn' ? values[attribute] : undefined)));
  assert.deepEqual(outputs.map((o) => o.value), ['3', 'arn:aws:lambda:eu-west-1:111122223333:function:demo-Fn:3']);
});

test('code in S3 passes through as its location; what the translation refuses: methods without their authorizer, resource trees that lead nowhere', () => {
  const { issues } = read(RAW(`
    "Fn": {"Type": "AWS::Lambda::Function", "Properties": {"Code": {"S3Bucket": "b", "S3Key": "k.zip"}, "Handler": "index.handler", "Runtime": "nodejs22.x"}},
    "Api": {"Type": "AWS::ApiGateway::RestApi", "Properties": {"Name": "a"}},
    "Orphan": {"Type": "AWS::ApiGateway::Resource", "Properties": {"RestApiId": {"Ref": "Api"}, "PathPart": "x", "ParentId": {"Ref": "Missing"}}},
    "Secured": {"Type": "AWS::ApiGateway::Method", "Properties": {"RestApiId": {"Ref": "Api"}, "ResourceId": {"Fn::GetAtt": ["Api", "RootResourceId"]},
      "HttpMethod": "GET", "AuthorizationType": "COGNITO_USER_POOLS", "AuthorizerId": {"Ref": "Auth"}, "Integration": {"Type": "MOCK"}}},
    "Signed": {"Type": "AWS::ApiGateway::Method", "Properties": {"RestApiId": {"Ref": "Api"}, "ResourceId": {"Fn::GetAtt": ["Api", "RootResourceId"]},
      "HttpMethod": "PUT", "AuthorizationType": "AWS_IAM", "Integration": {"Type": "MOCK"}}},
    "Token": {"Type": "AWS::ApiGateway::Authorizer", "Properties": {"RestApiId": {"Ref": "Api"}, "Name": "t", "Type": "TOKEN", "IdentitySource": "method.request.header.Authorization",
      "AuthorizerUri": "arn:aws:apigateway:eu-west-1:lambda:path/2015-03-31/functions/arn:aws:lambda:eu-west-1:111122223333:function:f/invocations"}},
    "Mismatched": {"Type": "AWS::ApiGateway::Method", "Properties": {"RestApiId": {"Ref": "Api"}, "ResourceId": {"Fn::GetAtt": ["Api", "RootResourceId"]},
      "HttpMethod": "POST", "AuthorizationType": "COGNITO_USER_POOLS", "AuthorizerId": {"Ref": "Token"}, "Integration": {"Type": "MOCK"}}},
    "Stage": {"Type": "AWS::ApiGateway::Stage", "Properties": {"RestApiId": {"Ref": "Api"}, "StageName": "v1"}}`));
  const errors = issues.list.filter((i) => i.severity === 'error').map(formatIssue).join('\n');
  assert.doesNotMatch(errors, /Resources\.Fn\b/, 'Code {S3Bucket, S3Key} is read by Lambda from S3');
  assert.match(errors, /Resources\.Orphan\.Properties\.ParentId.*Orphan's ParentId names Missing, which is neither Api\.RootResourceId nor an AWS::ApiGateway::Resource of Api/);
  assert.match(errors, /Resources\.Secured\.Properties\.AuthorizerId.*Secured: AuthorizationType COGNITO_USER_POOLS needs an AuthorizerId \(!Ref an AWS::ApiGateway::Authorizer of the same API\)/);
  assert.doesNotMatch(errors, /Signed/, 'an AWS_IAM method deploys');
  assert.match(errors, /Resources\.Mismatched\.Properties\.AuthorizationType.*AuthorizationType COGNITO_USER_POOLS does not match the type of Token \(TOKEN\)/);
});

test('a SAM template is left as it is', () => {
  const text = 'Transform: AWS::Serverless-2016-10-31\nResources:\n  Fn:\n    Type: AWS::Serverless::Function\n    Properties: { InlineCode: x, Handler: index.handler, Runtime: nodejs22.x }\n';
  const { template, issues } = read(text);
  assert.deepEqual(issues.list, []);
  assert.deepEqual(props(template, 'Fn').properties, { InlineCode: 'x', Handler: 'index.handler', Runtime: 'nodejs22.x' });
});

test('the default stack name of cdk synth output is the CDK stack\'s, not cdk.out', () => {
  assert.equal(defaultStackName('/work/app/cdk.out/CdkHello.template.json'), 'CdkHello');
  assert.equal(defaultStackName('/work/app/template.yaml'), 'app');
});

test('a RestApi with a Body is deployed from it; an HTTP API route with JWT but no authorizer is refused, one with AWS_IAM names the sigv4 scheme; a second stage is a warning', () => {
  const { template, issues } = read(RAW(`
    "Spec": {"Type": "AWS::ApiGateway::RestApi", "Properties": {"Name": "spec", "Body": {"openapi": "3.0.1", "info": {"title": "spec"}, "paths": {}}}},
    "SpecDeployment": {"Type": "AWS::ApiGateway::Deployment", "Properties": {"RestApiId": {"Ref": "Spec"}}},
    "SpecStage": {"Type": "AWS::ApiGateway::Stage", "Properties": {"RestApiId": {"Ref": "Spec"}, "StageName": "one", "DeploymentId": {"Ref": "SpecDeployment"}}},
    "SpecStage2": {"Type": "AWS::ApiGateway::Stage", "Properties": {"RestApiId": {"Ref": "Spec"}, "StageName": "two", "DeploymentId": {"Ref": "SpecDeployment"}}},
    "Http": {"Type": "AWS::ApiGatewayV2::Api", "Properties": {"Name": "http", "ProtocolType": "HTTP"}},
    "HttpInt": {"Type": "AWS::ApiGatewayV2::Integration", "Properties": {"ApiId": {"Ref": "Http"}, "IntegrationType": "HTTP_PROXY", "IntegrationUri": "https://example.com", "IntegrationMethod": "GET", "PayloadFormatVersion": "1.0"}},
    "HttpRoute": {"Type": "AWS::ApiGatewayV2::Route", "Properties": {"ApiId": {"Ref": "Http"}, "RouteKey": "GET /x", "AuthorizationType": "JWT", "Target": {"Fn::Join": ["", ["integrations/", {"Ref": "HttpInt"}]]}}},
    "HttpIam": {"Type": "AWS::ApiGatewayV2::Route", "Properties": {"ApiId": {"Ref": "Http"}, "RouteKey": "GET /y", "AuthorizationType": "AWS_IAM", "Target": {"Fn::Join": ["", ["integrations/", {"Ref": "HttpInt"}]]}}},
    "Socket": {"Type": "AWS::ApiGatewayV2::Api", "Properties": {"Name": "ws", "ProtocolType": "WEBSOCKET", "RouteSelectionExpression": "$request.body.action"}}`));
  const spec = props(template, 'Spec').properties;
  assert.deepEqual(spec.DefinitionBody, { openapi: '3.0.1', info: { title: 'spec' }, paths: {} });
  assert.equal(spec.StageName, 'one');
  assert.equal(template.resources.some((r) => r.logicalId === 'SpecStage2'), false, 'the second stage is left out, with a warning');
  assert.equal(props(template, 'Socket').type, 'AWS::ApiGatewayV2::Api', 'WebSocket APIs are left as they are');
  const messages = issues.list.map((i) => `${i.severity} ${formatIssue(i)}`).join('\n');
  assert.match(messages, /warning .*SpecStage2 \(AWS::ApiGateway::Stage\) is not deployed: stagecraft deploy gives Spec one stage \(one\)/);
  assert.match(messages, /error .*Resources\.HttpRoute\.Properties\.AuthorizerId.*HttpRoute: AuthorizationType JWT needs an AuthorizerId \(!Ref an AWS::ApiGatewayV2::Authorizer of the same API, of type JWT\)/);
  assert.doesNotMatch(messages, /HttpIam/);
  const http = props(template, 'Http').properties.DefinitionBody as Doc;
  assert.deepEqual(http.paths['/y'].get.security, [{ sigv4: [] }]);
  assert.deepEqual(http.components!.securitySchemes, { sigv4: { type: 'apiKey', name: 'Authorization', in: 'header', 'x-amazon-apigateway-authtype': 'awsSigv4' } });
});

test("a custom resource's provider function (CDK's LogRetention, …) is left out with a warning; its ARN still resolves", () => {
  const { issues, model } = stackModelOf(RAW(`
    "Fn": {"Type": "AWS::Lambda::Function", "Properties": {"Code": {"ZipFile": "x"}, "Handler": "index.handler", "Runtime": "nodejs22.x"}},
    "Retention": {"Type": "Custom::LogRetention", "Properties": {"ServiceToken": {"Fn::GetAtt": ["Provider", "Arn"]}, "RetentionInDays": 7}},
    "Provider": {"Type": "AWS::Lambda::Function", "Properties": {"Code": {"S3Bucket": "b", "S3Key": "k.zip"}, "Handler": "index.handler", "Runtime": "nodejs24.x"}}},
    "Outputs": {"Token": {"Value": {"Fn::GetAtt": ["Provider", "Arn"]}}`));
  assert.deepEqual(issues.list.filter((i) => i.severity === 'error').map(formatIssue), [], 'its code need not be there');
  const warnings = issues.list.map(formatIssue).join('\n');
  assert.match(warnings, /Provider \(AWS::Lambda::Function\) is not deployed: it is the provider of Retention \(Custom::LogRetention\), and Stagecraft runs no custom resources/);
  assert.deepEqual([...model.byId.keys()], ['Fn']);
  assert.deepEqual(model.outputs(model.scope(() => undefined)).map((o) => o.value), ['arn:aws:lambda:eu-west-1:111122223333:function:demo-Provider']);
});

const CONSUMER = readFileSync(join(import.meta.dirname, '..', '..', '..', 'e2e', 'fixtures', 'cdk-stacks', 'cdk.out', 'CdkConsumer.template.json'), 'utf8');
const EXPORT = 'CdkShared:ExportsOutputFnGetAttHandler886CB40BArn4FF5E29A';

test('a CDK cross-stack reference: Fn::ImportValue of the other stack\'s export in the integration URI and the permissions', () => {
  const arn = 'arn:aws:lambda:eu-west-1:111122223333:function:CdkShared-Handler886CB40B';
  const { issues, model } = stackModelOf(CONSUMER, false, new Map([[EXPORT, arn]]));
  const { apis, permissions } = validateStack(model);
  assert.deepEqual(issues.errors.map(formatIssue), []);
  const body = JSON.stringify(apis[0].definition);
  assert.ok(body.includes(`/functions/${arn}/invocations`), body);
  assert.deepEqual(permissions.map((p) => p.functionName), [arn, arn]);

  // Without the export: CloudFormation's error, at the reference.
  const missing = stackModelOf(CONSUMER, false, new Map());
  validateStack(missing.model);
  assert.ok(missing.issues.errors.some((i) => i.message === `No export named ${EXPORT} found` && /^Resources\.\w+\.Properties/.test(i.path ?? '')), missing.issues.errors.map(formatIssue).join('\n'));
  // Offline (no exports known), a placeholder stands for the value and the template checks out.
  const offline = stackModelOf(CONSUMER);
  validateStack(offline.model);
  assert.deepEqual(offline.issues.errors.map(formatIssue), []);
});

const AUTH = readFileSync(join(import.meta.dirname, '..', '..', '..', 'e2e', 'fixtures', 'cdk-auth', 'cdk.out', 'CdkAuth.template.json'), 'utf8');
type Doc = { paths: Record<string, Record<string, Record<string, unknown>>>; components?: Record<string, Record<string, unknown>>; [k: string]: unknown };

test('the CDK auth fixture: authorizers, the API key scheme, models and validators join the document; the usage plan and key stay', () => {
  const { template, issues } = read(AUTH);
  assert.deepEqual(issues.list.map(formatIssue), []);
  const types = template.resources.map((r) => r.type);
  for (const gone of ['Authorizer', 'Model', 'RequestValidator']) {
    assert.equal(types.some((t) => t.endsWith(`::${gone}`)), false, `no ${gone} is left`);
  }
  for (const kept of ['ApiKey', 'UsagePlan', 'UsagePlanKey']) assert.ok(types.includes(`AWS::ApiGateway::${kept}`), `the ${kept} is deployed as it is`);

  const rest = props(template, 'AuthApi4BD72F20').properties.DefinitionBody as Doc;
  const schemes = rest.components!.securitySchemes as Record<string, Record<string, unknown>>;
  assert.deepEqual(Object.keys(schemes), ['CdkAuthTokenAuth68FBE0D0', 'CdkAuthRequestAuth91775D83', 'CdkAuthPoolAuth65962B68']);
  const token = schemes.CdkAuthTokenAuth68FBE0D0;
  assert.deepEqual({ ...token, 'x-amazon-apigateway-authorizer': undefined }, {
    type: 'apiKey', name: 'Authorization', in: 'header', 'x-amazon-apigateway-authtype': 'custom', 'x-amazon-apigateway-authorizer': undefined,
  });
  // CDK picks the partition and region out of the function's ARN; for a function of the stack they are the stack's.
  assert.deepEqual(token['x-amazon-apigateway-authorizer'], {
    type: 'token', identitySource: 'method.request.header.Authorization', authorizerResultTtlInSeconds: 0,
    authorizerUri: { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':apigateway:', { Ref: 'AWS::Region' }, ':lambda:path/2015-03-31/functions/', { 'Fn::GetAtt': ['Check8FEA48D3', 'Arn'] }, '/invocations']] },
  });
  assert.equal((schemes.CdkAuthRequestAuth91775D83['x-amazon-apigateway-authorizer'] as Record<string, unknown>).identitySource, 'method.request.querystring.token');
  assert.deepEqual(schemes.CdkAuthPoolAuth65962B68, {
    type: 'apiKey', name: 'Authorization', in: 'header', 'x-amazon-apigateway-authtype': 'cognito_user_pools',
    'x-amazon-apigateway-authorizer': { type: 'cognito_user_pools', providerARNs: [{ 'Fn::GetAtt': ['Users0A0EEA89', 'Arn'] }], identitySource: 'method.request.header.Authorization' },
  });
  assert.deepEqual(rest.paths['/secure'].get.security, [{ CdkAuthTokenAuth68FBE0D0: [] }]);
  assert.deepEqual(rest.paths['/pool'].get.security, [{ CdkAuthPoolAuth65962B68: ['items/read'] }]);
  // The authorizers' permissions name them by Ref, an ID known once imported: any authorizer of the API.
  const permission = template.resources.find((r) => r.logicalId === 'CheckCdkAuthTokenAuth68FBE0D0Permissions548A37F4')!;
  assert.deepEqual((toPlain(get(permission.properties, 'SourceArn')!) as { 'Fn::Join': [string, unknown[]] })['Fn::Join'][1].slice(-2), ['/authorizers/', '*']);

  const keyed = props(template, 'KeyedApi02DB98E1').properties;
  const doc = keyed.DefinitionBody as Doc;
  assert.deepEqual(doc.components!.securitySchemes, { api_key: { type: 'apiKey', name: 'x-api-key', in: 'header' } });
  assert.deepEqual(doc.components!.schemas, {
    Item: { $schema: 'http://json-schema.org/draft-04/schema#', type: 'object', required: ['name'], properties: { name: { type: 'string' } } },
  });
  assert.deepEqual(doc['x-amazon-apigateway-request-validators'], { 'body-only': { validateRequestBody: true, validateRequestParameters: false } });
  const post = doc.paths['/items'].post;
  assert.deepEqual(post.security, [{ api_key: [] }]);
  assert.deepEqual(post.requestBody, { content: { 'application/json': { schema: { $ref: '#/components/schemas/Item' } } } });
  assert.equal(post['x-amazon-apigateway-request-validator'], 'body-only');
  assert.equal(doc.paths['/open'].get.security, undefined);
  assert.equal(keyed.Auth, undefined);
  // The plan names the API and its stage (now the stage's name).
  assert.deepEqual(props(template, 'KeyedApiPlan39E5BF5F').properties.ApiStages, [{ ApiId: { Ref: 'KeyedApi02DB98E1' }, Stage: 'v1', Throttle: {} }]);

  const http = props(template, 'AuthHttpE025F181').properties.DefinitionBody as Doc;
  assert.deepEqual(http.paths['/me'].get.security, [{ HttpCheck: [] }]);
  assert.deepEqual(http.paths['/jwt'].get.security, [{ Jwt: [] }]);
  assert.deepEqual(http.components!.securitySchemes.Jwt, {
    type: 'oauth2', 'x-amazon-apigateway-authorizer': { type: 'jwt', identitySource: ['$request.header.Authorization'], jwtConfiguration: { issuer: 'https://issuer.example.com', audience: ['cdk-auth'] } },
  });
  const lambdaAuthorizer = (http.components!.securitySchemes.HttpCheck as Record<string, Record<string, unknown>>)['x-amazon-apigateway-authorizer'];
  assert.deepEqual({ ...lambdaAuthorizer, authorizerUri: undefined }, {
    type: 'request', identitySource: ['$request.header.Authorization'], authorizerPayloadFormatVersion: '2.0', enableSimpleResponses: true, authorizerResultTtlInSeconds: 0, authorizerUri: undefined,
  });
});

test('the CDK auth fixture checks out: Ref of the key is its ID once deployed, the authorizer URI evaluated before the function exists', () => {
  const { issues, model } = stackModelOf(AUTH);
  const scope = model.scope(() => undefined);
  const keyed = issues.collect(() => apiSpec(model, model.byId.get('KeyedApi02DB98E1')!, scope));
  assert.deepEqual(issues.errors.map(formatIssue), []);
  assert.ok(keyed?.definition?.includes('"x-amazon-apigateway-request-validators"'));
  assert.equal(apiAuthSpec(model, model.byId.get('KeyedApi02DB98E1')!, scope)?.usagePlan, undefined);
  assert.deepEqual(model.skippedResources().map((r) => r.def.type).filter((t) => /UsagePlan|ApiKey/.test(t)), [], 'the plan and key are not skipped');
  const outputs = model.outputs(model.scope((id, attribute) => (id === 'KeyedApiKeyC4B78753' && attribute === 'Ref' ? 'k3y1d' : undefined)));
  assert.equal(outputs.find((o) => o.name === 'KeyId')?.value, 'k3y1d');
  const rest = apiSpec(model, model.byId.get('AuthApi4BD72F20')!, scope);
  assert.ok(rest.definition!.includes('"authorizerUri":"arn:aws:apigateway:eu-west-1:lambda:path/2015-03-31/functions/<Check8FEA48D3.Arn>/invocations"'), rest.definition);
});

const IAM_PLANS = readFileSync(join(import.meta.dirname, '..', '..', '..', 'e2e', 'fixtures', 'cdk-iam-plans', 'cdk.out', 'CdkIamPlans.template.json'), 'utf8');

test('the CDK IAM and plans fixture: AWS_IAM methods and routes name the sigv4 scheme; plans over two APIs, keys with a value, several of each stay', () => {
  const { template, issues } = read(IAM_PLANS);
  assert.deepEqual(issues.list.map(formatIssue), []);
  const sigv4 = { type: 'apiKey', name: 'Authorization', in: 'header', 'x-amazon-apigateway-authtype': 'awsSigv4' };
  const rest = props(template, 'IamApi23076CC5').properties.DefinitionBody as Doc;
  assert.deepEqual(rest.components!.securitySchemes, { sigv4, api_key: { type: 'apiKey', name: 'x-api-key', in: 'header' } });
  assert.deepEqual(rest.paths['/private'].get.security, [{ sigv4: [] }]);
  assert.deepEqual(rest.paths['/keyed'].get.security, [{ api_key: [] }]);
  assert.equal(rest.paths['/open'].get.security, undefined);
  const http = props(template, 'IamHttpFB4EC364').properties.DefinitionBody as Doc;
  assert.deepEqual(http.paths['/signed'].get.security, [{ sigv4: [] }]);
  assert.deepEqual(http.components!.securitySchemes, { sigv4 });

  const count = (type: string) => template.resources.filter((r) => r.type === type).length;
  assert.deepEqual([count('AWS::ApiGateway::UsagePlan'), count('AWS::ApiGateway::ApiKey'), count('AWS::ApiGateway::UsagePlanKey')], [2, 3, 3]);
  // Stages are named by their stage names once the Stage resources are folded into the APIs.
  assert.deepEqual(props(template, 'SharedPlanFAB8DD99').properties.ApiStages, [
    { ApiId: { Ref: 'IamApi23076CC5' }, Stage: 'prod', Throttle: { '/keyed/GET': { BurstLimit: 1, RateLimit: 1 } } },
    { ApiId: { Ref: 'OtherApi804AE442' }, Stage: 'v2', Throttle: {} },
  ]);
  const { model } = stackModelOf(IAM_PLANS);
  const ids: Record<string, string> = { IamApiFixedKeyC3B6100F: 'f1x3d', SharedPlanFAB8DD99: 'sh4r3d' };
  const outputs = model.outputs(model.scope((id, attribute) => (attribute === 'Ref' ? ids[id] ?? `${id}-id` : `${id}.${attribute}`)));
  assert.equal(outputs.find((o) => o.name === 'FixedKeyId')?.value, 'f1x3d');
  assert.equal(outputs.find((o) => o.name === 'SharedPlanId')?.value, 'sh4r3d');
});

test('a method or route whose AuthorizationType is none of API Gateway\'s is refused where it is written', () => {
  const { issues } = read(RAW(`
    "A": {"Type": "AWS::ApiGateway::RestApi", "Properties": {"Name": "a"}},
    "AStage": {"Type": "AWS::ApiGateway::Stage", "Properties": {"RestApiId": {"Ref": "A"}, "StageName": "v1"}},
    "AGet": {"Type": "AWS::ApiGateway::Method", "Properties": {"RestApiId": {"Ref": "A"}, "ResourceId": {"Fn::GetAtt": ["A", "RootResourceId"]},
      "HttpMethod": "GET", "AuthorizationType": "SIGV4", "Integration": {"Type": "MOCK"}}},
    "Http": {"Type": "AWS::ApiGatewayV2::Api", "Properties": {"Name": "http", "ProtocolType": "HTTP"}},
    "HttpInt": {"Type": "AWS::ApiGatewayV2::Integration", "Properties": {"ApiId": {"Ref": "Http"}, "IntegrationType": "HTTP_PROXY", "IntegrationUri": "https://example.com", "IntegrationMethod": "GET", "PayloadFormatVersion": "1.0"}},
    "HttpRoute": {"Type": "AWS::ApiGatewayV2::Route", "Properties": {"ApiId": {"Ref": "Http"}, "RouteKey": "GET /x", "AuthorizationType": "IAM", "Target": {"Fn::Join": ["", ["integrations/", {"Ref": "HttpInt"}]]}}}`));
  const errors = issues.errors.map(formatIssue).join('\n');
  assert.match(errors, /Resources\.AGet\.Properties\.AuthorizationType.*AGet: AuthorizationType is NONE, AWS_IAM, CUSTOM or COGNITO_USER_POOLS, got SIGV4/);
  assert.match(errors, /Resources\.HttpRoute\.Properties\.AuthorizationType.*HttpRoute: AuthorizationType is NONE, AWS_IAM, JWT or CUSTOM, got IAM/);
});

test("SAM's {Api}.UsagePlan and {Api}.ApiKey: referable when the API's Auth.UsagePlan is PER_API, not otherwise", () => {
  const api = (id: string, auth: string) => `"${id}": {"Type": "AWS::Serverless::Api", "Properties": {"StageName": "v1"${auth}}}`;
  const { issues, model } = stackModelOf(`{"Transform": "AWS::Serverless-2016-10-31", "Resources": {
    ${api('Keyed', ', "Auth": {"ApiKeyRequired": true, "UsagePlan": {"CreateUsagePlan": "PER_API"}}')},
    ${api('Shared', ', "Auth": {"UsagePlan": {"CreateUsagePlan": "SHARED"}}')}},
    "Outputs": {"Key": {"Value": {"Ref": "Keyed.ApiKey"}}, "Plan": {"Value": {"Ref": "Keyed.UsagePlan"}}, "Other": {"Value": {"Ref": "Shared.ApiKey"}}}}`);
  assert.deepEqual(issues.errors.map(formatIssue), []);
  const values: Record<string, string> = { ApiKey: 'k3y1d', UsagePlan: 'p1an' };
  assert.throws(() => model.outputs(model.scope((id, attribute) => (id === 'Keyed' ? values[attribute] : undefined))), /Shared\.ApiKey/);
  const { model: perApi } = stackModelOf(`{"Transform": "AWS::Serverless-2016-10-31", "Resources": {${api('Keyed', ', "Auth": {"UsagePlan": {"CreateUsagePlan": "PER_API"}}')}},
    "Outputs": {"Key": {"Value": {"Ref": "Keyed.ApiKey"}}, "Plan": {"Value": {"Ref": "Keyed.UsagePlan"}}}}`);
  assert.deepEqual(perApi.outputs(perApi.scope((id, attribute) => (id === 'Keyed' ? values[attribute] : undefined))).map((o) => o.value), ['k3y1d', 'p1an']);
});
