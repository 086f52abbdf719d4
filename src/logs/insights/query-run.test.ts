import { test } from 'node:test';
import assert from 'node:assert/strict';
import { compileQuery, QueryRun, type ResultField } from './query-run.js';
import { QuerySyntaxError } from './query-parser.js';
import { discoverFields } from './discovered-fields.js';

const BASE = Date.UTC(2026, 0, 1, 12, 0, 0);
const events = [
  { t: 0, m: 'START RequestId: 11111111-1111-1111-1111-111111111111 Version: $LATEST\n' },
  { t: 1000, m: '{"level":"ERROR","user":{"id":7},"latency":120}' },
  { t: 2000, m: 'REPORT RequestId: 11111111-1111-1111-1111-111111111111\tDuration: 10.50 ms\tBilled Duration: 11 ms\tMemory Size: 128 MB\tMax Memory Used: 60 MB\tInit Duration: 150.25 ms\t\n' },
  { t: 61_000, m: '{"level":"INFO","user":{"id":8},"latency":30}' },
  { t: 62_000, m: 'REPORT RequestId: 22222222-2222-2222-2222-222222222222\tDuration: 20.50 ms\tBilled Duration: 21 ms\tMemory Size: 128 MB\tMax Memory Used: 70 MB\t\n' },
];

function run(query: string, limit = 1000): Record<string, string>[] {
  const r = new QueryRun(compileQuery(query), limit);
  for (const e of events) r.add(discoverFields({ group: 'g', accountId: '123456789012', streamName: 's', timestamp: BASE + e.t, ingestionTime: BASE + e.t, message: e.m }));
  return r.results(() => 'ptr').map((row: ResultField[]) => Object.fromEntries(row.map((f) => [f.field, f.value])));
}

test('stats over REPORT lines by bin, with Lambda fields in AWS units', () => {
  const rows = run('filter @type = "REPORT" | stats avg(@duration), max(@maxMemoryUsed), count(*) as n by bin(1m) | sort bin(1m) asc');
  assert.deepEqual(rows, [
    { 'bin(1m)': '2026-01-01 12:00:00.000', 'avg(@duration)': '10.5', 'max(@maxMemoryUsed)': '60000000', n: '1' },
    { 'bin(1m)': '2026-01-01 12:01:00.000', 'avg(@duration)': '20.5', 'max(@maxMemoryUsed)': '70000000', n: '1' },
  ]);
});

test('fields, filter on JSON members, sort and limit; newest first by default', () => {
  assert.deepEqual(run('fields @timestamp, level, user.id as uid | filter ispresent(level)'), [
    { '@timestamp': '2026-01-01 12:01:01.000', level: 'INFO', uid: '8', '@ptr': 'ptr' },
    { '@timestamp': '2026-01-01 12:00:01.000', level: 'ERROR', uid: '7', '@ptr': 'ptr' },
  ]);
  assert.deepEqual(run('fields latency | filter latency > 50 or level in ["INFO"] | sort latency asc | limit 1'), [{ latency: '30', '@ptr': 'ptr' }]);
  assert.deepEqual(run('filter @message like /(?i)init duration/ | display @requestId, @initDuration'), [
    { '@requestId': '11111111-1111-1111-1111-111111111111', '@initDuration': '150.25', '@ptr': 'ptr' },
  ]);
  assert.equal(run('filter not @message like "RequestId"').length, 2);
  assert.equal(run('fields @message', 2).length, 2, 'the StartQuery limit applies when the query has none');
});

test('parse with a glob and with named groups; scalar functions; percentiles and count_distinct', () => {
  assert.deepEqual(run('filter @type = "REPORT" | parse @message "*Billed Duration: * ms*" as a, billed, b | display billed, toupper(@type) as t | sort billed desc'), [
    { billed: '21', t: 'REPORT', '@ptr': 'ptr' }, { billed: '11', t: 'REPORT', '@ptr': 'ptr' },
  ]);
  assert.deepEqual(run('parse @message /Max Memory Used: (?<mem>\\d+) MB/ | filter ispresent(mem) | stats sum(mem) as total, pct(@duration, 50) as p50, count_distinct(@requestId) as ids'), [
    { total: '130', p50: '10.5', ids: '2' },
  ]);
  assert.deepEqual(run('fields strlen(level) as n, concat(level, "!") as c, abs(-2) as a, floor(1.5) as f | filter level = "INFO"'), [
    { n: '4', c: 'INFO!', a: '2', f: '1', '@ptr': 'ptr' },
  ]);
});

test('malformed queries carry the offending range', () => {
  const fails = (q: string, start: number) => {
    assert.throws(() => compileQuery(q), (e: unknown) => e instanceof QuerySyntaxError && e.start === start, q);
  };
  fails('fields @message | frobnicate x', 18);
  fails('filter @message like "x', 21);
  fails('stats nosuch(@duration)', 6);
  fails('fields count(*)', 7);
  fails('stats count(*) by bin(7)', 18);
  fails('fields @message |', 17);
});

test('hostile queries are refused or run in bounded time', () => {
  assert.throws(() => compileQuery(`filter ${'('.repeat(5000)}1${')'.repeat(5000)}`), QuerySyntaxError);
  assert.throws(() => compileQuery(`filter ${'not '.repeat(2000)}1`), QuerySyntaxError);
  assert.throws(() => compileQuery(`fields ${'-'.repeat(9000)}1`), QuerySyntaxError);
  assert.throws(() => compileQuery('filter @message like /(/'), QuerySyntaxError);
  const started = Date.now();
  assert.equal(run(`filter @message like /(a+)+$/ | parse @message "${'*a'.repeat(20)}" as ${Array.from({ length: 20 }, (_, i) => `f${i}`).join(', ')}`).length, 0);
  assert.ok(Date.now() - started < 1000);
});

test('any text either compiles and runs or is a QuerySyntaxError', () => {
  const pieces = ['fields', 'filter', 'stats', 'sort', 'limit', 'parse', 'display', 'by', 'as', 'asc', 'desc', 'like', 'in', 'not', 'and', 'or',
    '@message', '@duration', 'level', 'count(*)', 'avg(', 'pct(', 'bin(5m)', 'bin(', 'strlen(', '(', ')', '[', ']', ',', '|', '=', '!=', '<', '>=',
    '+', '-', '*', '/', '"x*y"', '"', '/a+/', '/(?<k>\\w+)/', '1', '2.5', '5m', '`odd name`', '#c\n', '\u0000', '!', '=~', '=='];
  let seed = 7;
  const rand = (n: number) => { seed = (seed * 1103515245 + 12345) % 2 ** 31; return seed % n; };
  for (let i = 0; i < 3000; i++) {
    const q = Array.from({ length: 1 + rand(12) }, () => pieces[rand(pieces.length)]).join(rand(2) ? ' ' : '');
    try {
      run(q);
    } catch (e) {
      assert.ok(e instanceof QuerySyntaxError, `${JSON.stringify(q)}: ${String(e)}`);
    }
  }
});
