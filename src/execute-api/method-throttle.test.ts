// MethodThrottle: a token bucket per stage and method from the stage's method settings.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { MethodSetting } from '../aws/generated/apigateway.js';
import type { MethodRecord, SnapshotResource } from '../apigateway/stage-runtime.js';
import { isGatewayError } from './errors.js';
import { MethodThrottle, methodSettingKey, throttleLimits } from './method-throttle.js';

const resource = (path: string): SnapshotResource => ({ id: path, path, resourceMethods: {} });
const method = (httpMethod: string): MethodRecord => ({ httpMethod, authorizationType: 'NONE' });
const pets = resource('/pets');
const pet = resource('/pets/{id}');
const getPets = method('GET');
const getPet = method('GET');
const postPets = method('POST');

const answer = (fn: () => void): string => {
  try {
    fn();
    return 'ok';
  } catch (e) {
    assert.ok(isGatewayError(e));
    return `${e.status} ${e.type} ${e.body().toString()}`;
  }
};
const THROTTLED = '429 THROTTLED {"message":"Too Many Requests"}';
const limits = (rate: number, burst: number): MethodSetting => ({ throttlingRateLimit: rate, throttlingBurstLimit: burst, metricsEnabled: false });

test('keys escape "/" as ~1, as methodSettings keys do', () => {
  assert.equal(methodSettingKey('/pets/{id}', 'GET'), '~1pets~1{id}/GET');
  assert.equal(methodSettingKey('/', 'ANY'), '~1/ANY');
});

test('AWS\'s account defaults (10000/s, burst 5000) do not throttle', () => {
  assert.equal(throttleLimits(limits(10000, 5000)), undefined);
  assert.equal(throttleLimits(undefined), undefined);
  assert.deepEqual(throttleLimits(limits(1, 5000)), { rate: 1, burst: 5000 });
  assert.deepEqual(throttleLimits({ throttlingBurstLimit: 0 }), { rate: 10000, burst: 0 });
});

test('"*/*" gives each method its own bucket: burst at once, then rate per second', () => {
  let now = 1_000_000;
  const throttle = new MethodThrottle(() => now);
  const settings = { '*/*': limits(1, 2) };
  assert.equal(answer(() => throttle.admit(settings, pets, getPets)), 'ok');
  assert.equal(answer(() => throttle.admit(settings, pets, getPets)), 'ok');
  assert.equal(answer(() => throttle.admit(settings, pets, getPets)), THROTTLED);
  assert.equal(answer(() => throttle.admit(settings, pets, postPets)), 'ok', 'another method has its own bucket');
  now += 1000;
  assert.equal(answer(() => throttle.admit(settings, pets, getPets)), 'ok', 'one token back after a second');
  assert.equal(answer(() => throttle.admit(settings, pets, getPets)), THROTTLED);
});

test('a method\'s own setting wins over "*/*", whether lower or higher', () => {
  const throttle = new MethodThrottle(() => 0);
  const settings = { '*/*': limits(0, 0), '~1pets~1{id}/GET': limits(10000, 5000), '~1pets/POST': limits(0, 1) };
  assert.equal(answer(() => throttle.admit(settings, pets, getPets)), THROTTLED, 'burst 0 throttles everything');
  for (let i = 0; i < 100; i++) assert.equal(answer(() => throttle.admit(settings, pet, getPet)), 'ok');
  assert.equal(answer(() => throttle.admit(settings, pets, postPets)), 'ok');
  assert.equal(answer(() => throttle.admit(settings, pets, postPets)), THROTTLED);
});

test('new settings (a new settings object) take effect at once with fresh buckets; none cost nothing', () => {
  const throttle = new MethodThrottle(() => 0);
  const strict = { '*/*': limits(0, 1) };
  assert.equal(answer(() => throttle.admit(strict, pets, getPets)), 'ok');
  assert.equal(answer(() => throttle.admit(strict, pets, getPets)), THROTTLED);
  const lifted = {};
  for (let i = 0; i < 10; i++) assert.equal(answer(() => throttle.admit(lifted, pets, getPets)), 'ok');
  const loggingOnly = { '*/*': { ...limits(10000, 5000), loggingLevel: 'INFO' } };
  for (let i = 0; i < 10; i++) assert.equal(answer(() => throttle.admit(loggingOnly, pets, getPets)), 'ok');
  const again = { '*/*': limits(0, 1) };
  assert.equal(answer(() => throttle.admit(again, pets, getPets)), 'ok', 'a fresh bucket');
});
