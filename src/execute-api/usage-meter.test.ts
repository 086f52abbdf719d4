// UsageMeter: a plan's throttle as a token bucket and its quota per UTC calendar period, per key.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isGatewayError } from './errors.js';
import { UsageMeter, periodStart } from './usage-meter.js';

const refusal = (fn: () => void): string | undefined => {
  try {
    fn();
    return undefined;
  } catch (e) {
    assert.ok(isGatewayError(e));
    return `${e.status} ${e.errorType} ${e.body().toString()}`;
  }
};
const THROTTLED = '429 TooManyRequestsException {"message":"Too Many Requests"}';
const QUOTA = '429 LimitExceededException {"message":"Limit Exceeded"}';

test('periods start at 00:00 UTC: the day, the Monday of the week, the first of the month', () => {
  const wednesday = Date.UTC(2026, 10, 25, 21, 30);
  assert.equal(periodStart('DAY', wednesday), Date.UTC(2026, 10, 25));
  assert.equal(periodStart('WEEK', wednesday), Date.UTC(2026, 10, 23));
  assert.equal(periodStart('WEEK', Date.UTC(2026, 10, 29, 23)), Date.UTC(2026, 10, 23), 'Sunday belongs to the week before');
  assert.equal(periodStart('MONTH', wednesday), Date.UTC(2026, 10, 1));
});

test('throttle: burstLimit requests at once, then rateLimit per second; per key', () => {
  let now = 1_000_000;
  const meter = new UsageMeter(() => now);
  const plan = { planId: 'p', throttle: { burstLimit: 2, rateLimit: 1 } };
  assert.equal(refusal(() => meter.charge(plan, 'k')), undefined);
  assert.equal(refusal(() => meter.charge(plan, 'k')), undefined);
  assert.equal(refusal(() => meter.charge(plan, 'k')), THROTTLED);
  assert.equal(refusal(() => meter.charge(plan, 'other')), undefined, 'another key has its own bucket');
  now += 1000;
  assert.equal(refusal(() => meter.charge(plan, 'k')), undefined, 'one token back after a second');
  assert.equal(refusal(() => meter.charge(plan, 'k')), THROTTLED);
});

test('quota: limit requests per period, counted afresh in the next one; throttled requests are not counted', () => {
  let now = Date.UTC(2026, 10, 25, 23, 59);
  const meter = new UsageMeter(() => now);
  const plan = { planId: 'p', quota: { limit: 2, offset: 0, period: 'DAY' as const } };
  assert.equal(refusal(() => meter.charge(plan, 'k')), undefined);
  assert.equal(refusal(() => meter.charge(plan, 'k')), undefined);
  assert.equal(refusal(() => meter.charge(plan, 'k')), QUOTA);
  now = Date.UTC(2026, 10, 26, 0, 1);
  assert.equal(refusal(() => meter.charge(plan, 'k')), undefined, 'a new day');

  const both = { planId: 'q', throttle: { burstLimit: 1, rateLimit: 0 }, quota: { limit: 1, offset: 0, period: 'MONTH' as const } };
  assert.equal(refusal(() => meter.charge(both, 'k')), undefined);
  assert.equal(refusal(() => meter.charge(both, 'k')), THROTTLED, 'the throttle answers first');
});
