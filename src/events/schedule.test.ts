import { test } from 'node:test';
import assert from 'node:assert/strict';
import { latestDueTick, parseSchedule } from './schedule.js';

const at = (iso: string): number => Date.parse(iso);
const next = (expr: string, after: string, anchor = after): string => new Date(parseSchedule(expr).nextTick(at(after), at(anchor))!).toISOString();
const invalid = (expr: string) => assert.throws(() => parseSchedule(expr), (e: Error) => e.name === 'ValidationException' && e.message === 'Parameter ScheduleExpression is not valid.', expr);

test('rate schedules count periods from their anchor; 1 takes the singular unit', () => {
  assert.equal(next('rate(1 minute)', '2026-01-01T00:00:30.000Z'), '2026-01-01T00:01:30.000Z');
  assert.equal(next('rate(5 minutes)', '2026-01-01T00:07:00.000Z', '2026-01-01T00:00:30.000Z'), '2026-01-01T00:10:30.000Z');
  assert.equal(next('rate(2 hours)', '2026-01-01T00:00:00.000Z'), '2026-01-01T02:00:00.000Z');
  assert.equal(next('rate(1 day)', '2026-01-01T00:00:00.000Z'), '2026-01-02T00:00:00.000Z');
  for (const bad of ['rate(1 minutes)', 'rate(2 minute)', 'rate(0 minutes)', 'rate(5 seconds)', 'rate(-1 minutes)', 'every minute']) invalid(bad);
});

test('cron schedules: six fields in UTC, with ranges, steps, lists, names, L, W and #', () => {
  assert.equal(next('cron(0 10 * * ? *)', '2026-01-01T11:00:00.000Z'), '2026-01-02T10:00:00.000Z');
  assert.equal(next('cron(0/15 * * * ? *)', '2026-01-01T00:16:00.000Z'), '2026-01-01T00:30:00.000Z');
  assert.equal(next('cron(0 18 ? * MON-FRI *)', '2026-01-02T19:00:00.000Z'), '2026-01-05T18:00:00.000Z', 'Friday evening to Monday');
  assert.equal(next('cron(0 8 1 * ? *)', '2026-01-15T00:00:00.000Z'), '2026-02-01T08:00:00.000Z');
  assert.equal(next('cron(0 0 L * ? *)', '2026-02-01T00:00:00.000Z'), '2026-02-28T00:00:00.000Z');
  assert.equal(next('cron(0 0 ? * 6#3 *)', '2026-01-01T00:00:00.000Z'), '2026-01-16T00:00:00.000Z', 'third Friday');
  assert.equal(next('cron(0 0 1W * ? *)', '2026-02-02T00:00:00.000Z'), '2026-03-02T00:00:00.000Z', 'March 1st 2026 is a Sunday');
  assert.equal(next('cron(30 12 1 JAN ? 2027)', '2026-06-01T00:00:00.000Z'), '2027-01-01T12:30:00.000Z');
  assert.equal(parseSchedule('cron(0 0 1 1 ? 2020)').nextTick(at('2026-01-01T00:00:00Z'), 0), undefined);
  for (const bad of ['cron(0 10 * * * *)', 'cron(0 10 ? * ? *)', 'cron(0 10 * *)', 'cron(60 * * * ? *)', 'cron(0 24 * * ? *)', 'cron(0 0 ? * FUN *)']) invalid(bad);
});

test('a missed tick is due once: the latest one, never a backlog', () => {
  const rate = parseSchedule('rate(1 minute)');
  const anchor = at('2026-01-01T00:00:00Z');
  assert.equal(latestDueTick(rate, anchor, anchor, at('2026-01-01T00:00:59Z')), undefined);
  assert.equal(latestDueTick(rate, anchor, anchor, at('2026-01-01T00:10:30Z')), at('2026-01-01T00:10:00Z'));
  assert.equal(latestDueTick(rate, at('2026-01-01T00:10:00Z'), anchor, at('2026-01-01T00:10:30Z')), undefined);
});
