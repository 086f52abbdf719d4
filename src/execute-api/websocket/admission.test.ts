// WebSocket admission: which key the handshake presents under each apiKeySelectionExpression, keys
// refused or admitted (and charged) through the API key runtime and usage meter, and route throttling
// by route key with the stage's default.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { ApiKeyRuntime, Admission } from '../../apigateway/api-key-runtime.js';
import type { HttpApiRecord, HttpStageRecord } from '../../store/httpapi-store.js';
import { RouteThrottle } from '../http-api/route-throttle.js';
import { UsageMeter } from '../usage-meter.js';
import { admitApiKey, isRefusal, presentedApiKey, throttled } from './admission.js';

const api = (apiKeySelectionExpression: string) => ({ apiId: 'a1', accountId: '000000000000', region: 'us-east-1', apiKeySelectionExpression }) as HttpApiRecord;
const stage = (settings: Partial<HttpStageRecord> = {}) => ({ stageName: 'dev', defaultRouteSettings: { detailedMetricsEnabled: false }, routeSettings: {}, ...settings }) as HttpStageRecord;

test('the presented key: x-api-key by default, the authorizer\'s usageIdentifierKey when the API says so; empty is none', () => {
  assert.equal(presentedApiKey(api('$request.header.x-api-key'), 'k1', 'k2'), 'k1');
  assert.equal(presentedApiKey(api('$context.authorizer.usageIdentifierKey'), 'k1', 'k2'), 'k2');
  assert.equal(presentedApiKey(api('$request.header.x-api-key'), '', undefined), undefined);
});

test('keys: none or unknown is 403 Forbidden, an admitted key is charged to its plan (429 Limit Exceeded past the quota)', async () => {
  const admission: Admission = { key: { id: 'key1', value: 'good' }, plan: { planId: 'p1', throttle: { burstLimit: 1, rateLimit: 0.001 } } };
  const apiKeys = { admit: async (_scope: unknown, apiId: string, stageName: string, value: string) => (apiId === 'a1' && stageName === 'dev' && value === 'good' ? admission : undefined) } as unknown as ApiKeyRuntime;
  const deps = { apiKeys, usageMeter: new UsageMeter() };
  assert.deepEqual(await admitApiKey(deps, api('$request.header.x-api-key'), stage(), undefined), { status: 403, message: 'Forbidden' });
  assert.deepEqual(await admitApiKey(deps, api('$request.header.x-api-key'), stage(), 'bad'), { status: 403, message: 'Forbidden' });
  const first = await admitApiKey(deps, api('$request.header.x-api-key'), stage(), 'good');
  assert.ok(!isRefusal(first));
  assert.deepEqual(first, { id: 'key1', value: 'good' });
  assert.deepEqual(await admitApiKey(deps, api('$request.header.x-api-key'), stage(), 'good'), { status: 429, message: 'Too Many Requests' });
});

test('route throttling: a route\'s own setting, else the stage default; unthrottled routes always pass', () => {
  const deps = { routeThrottle: new RouteThrottle(() => 1000) };
  const s = stage({ defaultRouteSettings: { detailedMetricsEnabled: false, throttlingBurstLimit: 2, throttlingRateLimit: 0 }, routeSettings: { tight: { throttlingBurstLimit: 1 } } });
  assert.equal(throttled(deps, s, 'tight'), undefined);
  assert.deepEqual(throttled(deps, s, 'tight'), { status: 429, message: 'Too Many Requests' });
  assert.equal(throttled(deps, s, '$default'), undefined);
  assert.equal(throttled(deps, s, '$default'), undefined);
  assert.deepEqual(throttled(deps, s, '$default'), { status: 429, message: 'Too Many Requests' });
  const open = stage();
  for (let i = 0; i < 100; i++) assert.equal(throttled(deps, open, '$default'), undefined);
  assert.equal(throttled({}, s, 'tight'), undefined);
});
