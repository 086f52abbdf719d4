import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { IntegrationResponseRecord } from '../store/httpapi-store.js';
import {
  evaluateTemplateSelection, integrationResponsePattern, mapWebSocketRequestParameters, requestParameterProblem, selectTemplate, selectWebSocketIntegrationResponse,
} from './websocket-mapping.js';

test('template selection expressions: escaped $default, static text, body paths and the integration response', () => {
  const input = { body: '{"action":"join","room":{"id":7}}' };
  assert.equal(evaluateTemplateSelection('\\$default', input), '$default');
  assert.equal(evaluateTemplateSelection('application/json', input), 'application/json');
  assert.equal(evaluateTemplateSelection('${request.body.action}', input), 'join');
  assert.equal(evaluateTemplateSelection('$request.body.action', input), 'join');
  assert.equal(evaluateTemplateSelection('v-${request.body.room.id}-beta', input), 'v-7-beta');
  assert.equal(evaluateTemplateSelection('${request.body.missing}', input), '');
  assert.equal(evaluateTemplateSelection('${request.body.action}', { body: 'not json' }), '');
  assert.equal(evaluateTemplateSelection(undefined, input), undefined);
  const answered = { ...input, integrationResponse: { statusCode: 404, headers: { 'Content-Type': 'text/plain' } } };
  assert.equal(evaluateTemplateSelection('${integration.response.statuscode}', answered), '404');
  assert.equal(evaluateTemplateSelection('${integration.response.header.content-type}', answered), 'text/plain');
});

test('a selection key picks its template, else the $default one', () => {
  const templates = { join: 'J', $default: 'D' };
  assert.equal(selectTemplate(templates, 'join'), 'J');
  assert.equal(selectTemplate(templates, 'leave'), 'D');
  assert.equal(selectTemplate(templates, undefined), 'D');
  assert.equal(selectTemplate({ join: 'J' }, 'leave'), undefined);
  assert.equal(selectTemplate(undefined, 'join'), undefined);
});

test('integration response keys are $default or /regex/, matched whole against the selector', () => {
  assert.equal(integrationResponsePattern('$default'), null);
  assert.equal(integrationResponsePattern('/2\\d\\d/'), '2\\d\\d');
  assert.equal(integrationResponsePattern('200'), undefined);
  assert.equal(integrationResponsePattern('/(/'), undefined);
  const responses: IntegrationResponseRecord[] = [
    { integrationResponseId: 'a', integrationId: 'i', integrationResponseKey: '$default' },
    { integrationResponseId: 'b', integrationId: 'i', integrationResponseKey: '/2\\d\\d/' },
    { integrationResponseId: 'c', integrationId: 'i', integrationResponseKey: '/4\\d\\d/' },
  ];
  assert.equal(selectWebSocketIntegrationResponse(responses, '201')?.integrationResponseId, 'b');
  assert.equal(selectWebSocketIntegrationResponse(responses, '404')?.integrationResponseId, 'c');
  assert.equal(selectWebSocketIntegrationResponse(responses, '500')?.integrationResponseId, 'a');
  assert.equal(selectWebSocketIntegrationResponse(responses, '2000')?.integrationResponseId, 'a');
  assert.equal(selectWebSocketIntegrationResponse(responses, undefined)?.integrationResponseId, 'a');
  assert.equal(selectWebSocketIntegrationResponse(responses.slice(1), '500'), undefined);
});

test('request parameters map route request values, context, stage variables and literals', () => {
  assert.equal(requestParameterProblem('integration.request.header.x-user', 'route.request.header.Authorization'), undefined);
  assert.equal(requestParameterProblem('integration.request.querystring.room', "'lobby'"), undefined);
  assert.match(requestParameterProblem('integration.request.path.x', 'context.connectionId') ?? '', /Invalid mapping expression/);
  assert.match(requestParameterProblem('integration.request.header.x', 'method.request.header.y') ?? '', /Invalid mapping expression/);
  const mapped = mapWebSocketRequestParameters({
    'integration.request.header.x-connection': 'context.connectionId',
    'integration.request.header.x-auth': 'route.request.header.authorization',
    'integration.request.querystring.room': 'route.request.body.room.id',
    'integration.request.querystring.color': 'stageVariables.color',
    'integration.request.header.x-fixed': "'yes'",
    'integration.request.header.x-absent': 'route.request.querystring.none',
  }, { body: '{"room":{"id":7}}', headers: { Authorization: 'token' }, context: { connectionId: 'c1' }, stageVariables: { color: 'blue' } });
  assert.deepEqual(mapped, { header: { 'x-connection': 'c1', 'x-auth': 'token', 'x-fixed': 'yes' }, querystring: { room: '7', color: 'blue' } });
});
