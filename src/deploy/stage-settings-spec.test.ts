// SAM's MethodSettings and AccessLogSetting as deploy reads them, without a server: keys as API
// Gateway keys method settings, values as UpdateStage takes them, the operations a stage needs,
// and located errors.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatIssue } from './issues.js';
import { validateStack } from './stack-validation.js';
import { stackModelOf } from './testing.js';
import { stageSettingsOps } from './apis.js';
import { methodSettingsKey } from './stage-settings-spec.js';
import { samApiTemplate } from '../cli/testing.js';

function stack(api: string) {
  const text = samApiTemplate('settings', api.replace(/^/gm, '      '), '');
  const { issues, model } = stackModelOf(text);
  const { apis } = validateStack(model);
  return { errors: issues.errors.map(formatIssue), api: apis[0] };
}

test('keys: "/*" with "*" is every method; other paths escape "/" as ~1 and upper-case the method', () => {
  assert.equal(methodSettingsKey('/*', '*'), '*/*');
  assert.equal(methodSettingsKey('/pets/{id}', 'get'), '~1pets~1{id}/GET');
  assert.equal(methodSettingsKey('/', 'POST'), '~1/POST');
});

test('MethodSettings and AccessLogSetting become the stage\'s UpdateStage operations', () => {
  const { errors, api } = stack(`MethodSettings:
  - { ResourcePath: '/*', HttpMethod: '*', ThrottlingRateLimit: 5.5, ThrottlingBurstLimit: 10, LoggingLevel: info }
  - { ResourcePath: /pets, HttpMethod: GET, ThrottlingBurstLimit: 1 }
AccessLogSetting: { DestinationArn: 'arn:aws:logs:us-east-1:000000000000:log-group:g', Format: '$context.requestId' }`);
  assert.deepEqual(errors, []);
  assert.deepEqual(stageSettingsOps(api, {}), [
    { op: 'replace', path: '/*/*/throttling/rateLimit', value: '5.5' },
    { op: 'replace', path: '/*/*/throttling/burstLimit', value: '10' },
    { op: 'replace', path: '/*/*/logging/loglevel', value: 'INFO' },
    { op: 'replace', path: '/~1pets/GET/throttling/burstLimit', value: '1' },
    { op: 'replace', path: '/accessLogSettings/destinationArn', value: 'arn:aws:logs:us-east-1:000000000000:log-group:g' },
    { op: 'replace', path: '/accessLogSettings/format', value: '$context.requestId' },
  ]);
  const same = {
    methodSettings: { '*/*': { throttlingRateLimit: 5.5, throttlingBurstLimit: 10, loggingLevel: 'INFO' }, '~1pets/GET': { throttlingBurstLimit: 1 } },
    accessLogSettings: { destinationArn: 'arn:aws:logs:us-east-1:000000000000:log-group:g', format: '$context.requestId' },
  };
  assert.deepEqual(stageSettingsOps(api, same), [], 'nothing to change');
  const { api: bare } = stack('Description: none');
  assert.deepEqual(stageSettingsOps(bare, same), [
    { op: 'remove', path: '/*/*' }, { op: 'remove', path: '/~1pets/GET' }, { op: 'remove', path: '/accessLogSettings' },
  ], 'what the template no longer names is removed');
});

test('CacheClusterEnabled and CacheClusterSize become the stage\'s cache cluster; without them it is disabled', () => {
  const { errors, api } = stack("CacheClusterEnabled: true\nCacheClusterSize: '1.6'");
  assert.deepEqual(errors, []);
  assert.deepEqual(stageSettingsOps(api, {}), [
    { op: 'replace', path: '/cacheClusterSize', value: '1.6' },
    { op: 'replace', path: '/cacheClusterEnabled', value: 'true' },
  ]);
  assert.deepEqual(stageSettingsOps(api, { cacheClusterEnabled: true, cacheClusterSize: '1.6' }), []);
  const { api: bare } = stack('Description: none');
  assert.deepEqual(stageSettingsOps(bare, { cacheClusterEnabled: true, cacheClusterSize: '1.6' }), [{ op: 'replace', path: '/cacheClusterEnabled', value: 'false' }]);
  assert.match(stack('CacheClusterSize: 2').errors.join('\n'), /CacheClusterSize must be one of 0.5, 1.6, 6.1/);
  assert.match(stack('CacheClusterEnabled: maybe').errors.join('\n'), /CacheClusterEnabled must be true or false/);
});

test('bad MethodSettings and AccessLogSetting are located errors', () => {
  const at = (api: string) => stack(api).errors.join('\n');
  assert.match(at('MethodSettings: { ResourcePath: /x }'), /MethodSettings is a list/);
  assert.match(at("MethodSettings: [{ HttpMethod: GET }]"), /ResourcePath must be a path/);
  assert.match(at("MethodSettings: [{ ResourcePath: /x, HttpMethod: GET, ThrottlingBurstLimit: 1.5 }]"), /ThrottlingBurstLimit must be a non-negative integer/);
  assert.match(at("MethodSettings: [{ ResourcePath: /x, HttpMethod: GET, ThrottlingRateLimit: -1 }]"), /ThrottlingRateLimit must be a non-negative number/);
  assert.match(at("MethodSettings: [{ ResourcePath: /x, HttpMethod: GET, CacheKeyThing: 1 }]"), /MethodSettings property CacheKeyThing is not supported/);
  assert.match(at("MethodSettings: [{ ResourcePath: /x, HttpMethod: GET }, { ResourcePath: /x, HttpMethod: get }]"), /lists \/x get twice/);
  assert.match(at("AccessLogSetting: { DestinationArn: 'arn:aws:logs:us-east-1:000000000000:log-group:g' }"), /Format must be a non-empty string/);
  assert.match(at("AccessLogSetting: { DestinationArn: nope, Format: x }"), /DestinationArn must be the ARN/);
  assert.match(at('AccessLogSetting: { DestinationArn: arn:x, Format: x, Extra: 1 }'), /unknown AccessLogSetting property 'Extra'/);
});
