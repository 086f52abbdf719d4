// SAM's Models, RequestModel and RequestParameters as deploy reads them, without a server: what
// each route asks for, SAM's validator names and defaults, and located errors.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatIssue } from './issues.js';
import { validateStack } from './stack-validation.js';
import { stackModelOf } from './testing.js';
import { validatorName } from './models.js';
import { routesFingerprint, type RouteTarget } from './apis.js';

/** A template with an Api whose extra properties are `api`, and a function whose Api events are `events`. */
function stack(api: string, events: string) {
  const text = `Transform: AWS::Serverless-2016-10-31
Globals:
  Function: { Runtime: nodejs20.x, Handler: index.handler }
Resources:
  Api:
    Type: AWS::Serverless::Api
    Properties:
      StageName: dev
${api.replace(/^/gm, '      ')}
  Fn:
    Type: AWS::Serverless::Function
    Properties:
      InlineCode: x
      Events:
${events.replace(/^/gm, '        ')}
`;
  const { issues, model } = stackModelOf(text);
  const { functions, apis } = validateStack(model);
  return { errors: issues.errors.map(formatIssue), events: functions[0]?.events ?? [], apis };
}

const MODELS = `Models:
  User:
    type: object
    required: [name]
    properties: { name: { type: string } }
  Users:
    type: array
    items: { $ref: "https://apigateway.amazonaws.com/restapis/x/models/User" }`;
const post = (path: string, extra: string) => `E${path.replace(/\W/g, '')}:\n  Type: Api\n  Properties: { RestApiId: !Ref Api, Path: ${path}, Method: POST, ${extra} }`;

test('Models become JSON schemas by name; RequestModel and RequestParameters become what each route asks for', () => {
  const { errors, events, apis } = stack(MODELS, [
    post('/a', 'RequestModel: { Model: User, Required: true, ValidateBody: true, ValidateParameters: true }'),
    post('/b', 'RequestModel: { Model: Users, ValidateBody: true }'),
    post('/c', 'RequestModel: { Model: User }'),
    post('/d', "RequestParameters: [method.request.querystring.q, { 'method.request.header.X-Id': { Required: true, Caching: false } }]"),
  ].join('\n'));
  assert.deepEqual(errors, []);
  assert.deepEqual(apis[0].models, [
    { name: 'User', schema: '{"type":"object","required":["name"],"properties":{"name":{"type":"string"}}}' },
    { name: 'Users', schema: '{"type":"array","items":{"$ref":"https://apigateway.amazonaws.com/restapis/x/models/User"}}' },
  ]);
  const byPath = Object.fromEntries(events.map((e) => [e.resourcePath, e]));
  assert.deepEqual([byPath['/a'].requestModel?.model, byPath['/a'].requestModel?.validator], ['User', { body: true, params: true }]);
  // The one not written is false; neither written, no validator (as SAM does).
  assert.deepEqual(byPath['/b'].requestModel?.validator, { body: true, params: false });
  assert.equal(byPath['/c'].requestModel?.validator, undefined);
  assert.deepEqual(byPath['/d'].requestParameters, { 'method.request.querystring.q': false, 'method.request.header.X-Id': true });
  assert.deepEqual([validatorName({ body: true, params: true }), validatorName({ body: true, params: false }), validatorName({ body: false, params: true }),
    validatorName({ body: false, params: false })], ['body-and-params', 'body-only', 'params-only', 'no-validation']);
});

test('unknown models, bad parameters and bad shapes are located errors', () => {
  const cases: [string, RegExp][] = [
    ['RequestModel: { Model: Usr }', /\(Resources\.Fn\.Properties\.Events\.Ea\.Properties\.RequestModel\.Model\): RequestModel Usr is not one of Api's Models \(did you mean 'User'\?\)$/],
    ['RequestModel: { Model: User, Validate: true }', /unknown RequestModel property 'Validate'/],
    ['RequestModel: { Model: User, ValidateBody: maybe }', /RequestModel\.ValidateBody\): ValidateBody is true or false$/],
    ['RequestModel: User', /RequestModel is a map with Model/],
    ['RequestParameters: [method.request.body.x]', /request parameter 'method\.request\.body\.x' is not of the form method\.request\.\{header,querystring,path\}\.name$/],
    ["RequestParameters: [{ 'method.request.path.id': { Required: true, Cache: true } }]", /unknown request parameter property 'Cache'/],
    ['RequestParameters: method.request.querystring.q', /RequestParameters is a list of/],
  ];
  for (const [extra, expected] of cases) {
    const { errors } = stack(MODELS, post('/a', extra));
    assert.equal(errors.length, 1, `${extra}: ${errors.join('\n')}`);
    assert.match(errors[0], expected);
  }
  const noModels = stack('', post('/a', 'RequestModel: { Model: User }')).errors;
  assert.match(noModels[0], /RequestModel User is not one of Api's Models \(it has none\)$/);
  const badName = stack('Models:\n  my_model: { type: object }', post('/a', 'Auth: {}')).errors;
  assert.match(badName[0], /model name 'my_model' must be alphanumeric/);
});

test('the routes fingerprint changes with models, parameters and validators, and not without them', () => {
  const route: RouteTarget = { method: 'POST', resourcePath: '/a', uri: 'u', label: 'fn' };
  const plain = routesFingerprint([route]);
  const withModel = routesFingerprint([{ ...route, requestModels: { 'application/json': 'User' } }], [], [], [{ name: 'User', schema: '{"type":"object"}' }]);
  const changedSchema = routesFingerprint([{ ...route, requestModels: { 'application/json': 'User' } }], [], [], [{ name: 'User', schema: '{"type":"array"}' }]);
  const withValidator = routesFingerprint([{ ...route, requestModels: { 'application/json': 'User' }, requestValidator: { name: 'body-only', id: 'x' } }], [], [], [{ name: 'User', schema: '{"type":"object"}' }]);
  const withParams = routesFingerprint([{ ...route, requestParameters: { 'method.request.querystring.q': true } }]);
  assert.equal(new Set([plain, withModel, changedSchema, withValidator, withParams]).size, 5);
  assert.equal(routesFingerprint([route]), plain);
});
