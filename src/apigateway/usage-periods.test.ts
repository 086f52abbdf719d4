// Quota periods in UTC, named by their days, and the plan's offset in its initial period.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { daysBetween, parseDay, periodDays, periodStart, quotaAt } from './usage-periods.js';

test('periods start at 00:00 UTC: the day, the Monday of the week, the first of the month', () => {
  const wednesday = Date.UTC(2026, 10, 25, 21, 30);
  assert.equal(periodStart('DAY', wednesday), Date.UTC(2026, 10, 25));
  assert.equal(periodStart('WEEK', wednesday), Date.UTC(2026, 10, 23));
  assert.equal(periodStart('WEEK', Date.UTC(2026, 10, 29, 23)), Date.UTC(2026, 10, 23), 'Sunday belongs to the week before');
  assert.equal(periodStart('MONTH', wednesday), Date.UTC(2026, 10, 1));
});

test('a period is named by its first and last day, across month and year ends and leap days', () => {
  assert.deepEqual(periodDays('DAY', Date.UTC(2026, 11, 31, 23, 59, 59)), { first: '2026-12-31', last: '2026-12-31' });
  assert.deepEqual(periodDays('WEEK', Date.UTC(2026, 11, 31)), { first: '2026-12-28', last: '2027-01-03' });
  assert.deepEqual(periodDays('MONTH', Date.UTC(2028, 1, 10)), { first: '2028-02-01', last: '2028-02-29' });
  assert.deepEqual(periodDays('MONTH', Date.UTC(2026, 1, 28, 23)), { first: '2026-02-01', last: '2026-02-28' });
  assert.deepEqual(periodDays('MONTH', Date.UTC(2026, 2, 1, 0)), { first: '2026-03-01', last: '2026-03-31' }, 'midnight starts the next month');
  assert.deepEqual(daysBetween('2026-02-27', '2026-03-02'), ['2026-02-27', '2026-02-28', '2026-03-01', '2026-03-02']);
});

test('days parse only as real yyyy-MM-dd dates', () => {
  assert.equal(parseDay('2026-02-28'), Date.UTC(2026, 1, 28));
  for (const bad of ['2026-02-30', '2026-2-28', '20260228', '2026-02-28T00:00:00Z', '']) assert.equal(parseDay(bad), undefined, bad);
});

test('the offset is taken off the limit in the period the plan was created in, and only there', () => {
  const quota = { limit: 10, offset: 3, period: 'WEEK' as const };
  const created = Date.UTC(2026, 10, 25, 12); // a Wednesday
  assert.deepEqual(quotaAt(quota, created, Date.UTC(2026, 10, 29, 23)), { period: 'WEEK', limit: 7 }, 'same week (to Sunday)');
  assert.deepEqual(quotaAt(quota, created, Date.UTC(2026, 10, 30, 0)), { period: 'WEEK', limit: 10 }, 'the next Monday');
  assert.deepEqual(quotaAt(quota, undefined, created), { period: 'WEEK', limit: 10 }, 'a plan without a creation date');
  assert.equal(quotaAt({ period: 'DAY' }, created, created), undefined, 'no limit, no quota');
  assert.equal(quotaAt(undefined, created, created), undefined);
});
