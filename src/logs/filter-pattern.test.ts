// Filter patterns against the examples of AWS's "Filter and pattern syntax" guide.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { compileFilterPattern, FilterPatternError } from './filter-pattern.js';

const matches = (pattern: string, messages: string[]) => {
  const m = compileFilterPattern(pattern);
  return messages.filter((msg) => m(msg));
};

test('empty and match-everything patterns match all events', () => {
  for (const p of ['', '  ', '""', '" "']) assert.deepEqual(matches(p, ['a', 'b c']), ['a', 'b c']);
});

test('terms are case-sensitive substrings and all must occur', () => {
  const events = ['[ERROR] A fatal exception has occurred', 'Exiting with ERRORCODE: -1', 'error lowercase', '[ERROR] Caught IllegalArgumentException'];
  assert.deepEqual(matches('ERROR', events), [events[0], events[1], events[3]]);
  assert.deepEqual(matches('ERROR Exception', events), [events[3]]);
});

test('quoted phrases match as written; - excludes; "- term" with a space works too', () => {
  const events = ['[WARN] Failed to process the request', 'Failed: to process', '[ERROR] A fatal exception', 'Exiting with ERRORCODE: -1'];
  assert.deepEqual(matches('"Failed to process"', events), [events[0]]);
  assert.deepEqual(matches('"ERROR" - "Exiting"', events), [events[2]]);
  assert.deepEqual(matches('ERROR -Exiting', events), [events[2]]);
});

test('?term is OR; plain terms combine with it', () => {
  const events = ['ERROR WARN message', 'ERROR message', 'WARN message', 'INFO message'];
  assert.deepEqual(matches('ERROR', events), [events[0], events[1]]);
  assert.deepEqual(matches('?ERROR ?WARN', events), events.slice(0, 3));
  assert.deepEqual(matches('ERROR WARN', events), [events[0]]);
  assert.deepEqual(matches('ERROR -WARN', events), [events[1]]);
  assert.deepEqual(matches('?ERROR ?WARN -ERROR', events), [events[2]]);
});

test('regular expressions between percent signs', () => {
  const events = ['[ERROR 401] UNAUTHORIZED REQUEST', '[SUCCESS 200] AUTHORIZED REQUEST', 'nothing'];
  assert.deepEqual(matches('%AUTHORIZED%', events), events.slice(0, 2));
  assert.deepEqual(matches('%^\\[ERROR 4[0-9]+%', events), [events[0]]);
});

const doc = JSON.stringify({
  eventType: 'UpdateTrail',
  sourceIPAddress: '111.111.111.111',
  arrayKey: ['value', 'another value'],
  objectList: [{ name: 'a', id: 1 }, { name: 'b', id: 2 }],
  SomeObject: null,
  ThisFlag: true,
  latency: 750,
  user: { id: 1, email: 'John.Stiles@example.com' },
  users: [{ id: 2, email: 'John.Doe@example.com' }],
  actions: ['GET', 'PUT', 'DELETE'],
  coordinates: [[0, 1, 2], [4, 5, 6]],
});

test('JSON patterns: selectors, equality, wildcards, IS / NOT EXISTS', () => {
  const yes = (p: string) => assert.equal(compileFilterPattern(p)(doc), true, p);
  const no = (p: string) => assert.equal(compileFilterPattern(p)(doc), false, p);
  yes('{ $.eventType = "UpdateTrail" }');
  yes('{$.eventType=UpdateTrail}');
  no('{ $.eventType = "updatetrail" }');
  yes('{ $.sourceIPAddress != 123.123.* }');
  no('{ $.sourceIPAddress != 111.111.* }');
  yes('{ $.eventType = *Trail }');
  yes('{ $.arrayKey[0] = "value" }');
  yes('{ $.objectList[1].id = 2 }');
  no('{ $.objectList[1].id = 1 }');
  yes('{ $.SomeObject IS NULL }');
  yes('{ $.SomeOtherObject NOT EXISTS }');
  no('{ $.eventType NOT EXISTS }');
  yes('{ $.ThisFlag IS TRUE }');
  no('{ $.ThisFlag IS FALSE }');
  // Objects and arrays are not values: neither = nor != applies.
  no('{ $.users = 1 }');
  no('{ $.users != 1 }');
  no('{ $.missing != "x" }');
});

test('JSON patterns: numeric comparisons and compound conditions with precedence', () => {
  const yes = (p: string) => assert.equal(compileFilterPattern(p)(doc), true, p);
  const no = (p: string) => assert.equal(compileFilterPattern(p)(doc), false, p);
  yes('{ $.latency >= 500 }');
  yes('{ $.latency > +700 }');
  no('{ $.latency < 10e2 && $.latency > 1000 }');
  yes('{ $.latency = 750 }');
  yes('{ ($.user.id = 1) && ($.users[0].email = "John.Doe@example.com") }');
  no('{ ($.user.id = 2 && $.users[0].email = "nonmatch") || $.actions[2] = "GET" }');
  yes('{ $.user.email = "John.Stiles@example.com" || $.coordinates[0][1] = nonmatch && $.actions[2] = nomatch }');
  no('{ ($.user.email = "John.Stiles@example.com" || $.coordinates[0][1] = nonmatch) && $.actions[2] = nomatch }');
  yes('{ $.coordinates[1][2] = 6 }');
  yes('{ $.eventType = %Update.*% }');
});

test('JSON patterns never match non-JSON text, and find JSON after a Lambda log prefix', () => {
  const m = compileFilterPattern('{ $.level = "ERROR" }');
  assert.equal(m('level ERROR'), false);
  assert.equal(m('{"level":"ERROR"}'), true);
  assert.equal(m('2024-01-01T00:00:00.000Z\t8f5e2b1c\tINFO\t{"level":"ERROR"}'), true);
  assert.equal(m('{"level":"INFO"}'), false);
});

test('space-delimited patterns bind fields by position, with conditions and an ellipsis', () => {
  const lines = [
    '127.0.0.1 - frank [10/Oct/2000:13:25:15 -0700] "GET /apache_pb.gif HTTP/1.0" 200 1534',
    '127.0.0.1 - frank [10/Oct/2000:13:35:22 -0700] "GET /index.html HTTP/1.0" 404 5324',
    '127.0.0.1 - frank [10/Oct/2000:13:50:35 -0700] "GET /apache_pb.gif HTTP/1.0" 403 355',
  ];
  assert.deepEqual(matches('[ip, user, username, timestamp, request, status_code, bytes]', lines), lines);
  assert.deepEqual(matches('[ip, user, username, timestamp, request, status_code = 4*, bytes]', lines), lines.slice(1));
  assert.deepEqual(matches('[ip, user, username, timestamp, request, status_code, bytes > 1000]', lines), lines.slice(0, 2));
  assert.deepEqual(matches('[..., status_code = 4*, bytes > 1000]', lines), [lines[1]]);
  assert.deepEqual(matches('[ip, user, ..., status_code = 4* && status_code != 403, bytes]', lines), [lines[1]]);
  assert.deepEqual(matches('[..., request = *html*, status_code = 4*,]', lines), [lines[1]]);
  assert.deepEqual(matches('[ip, user]', lines), []);
  const levels = ['ERROR WARN message', 'ERROR message', 'WARN message'];
  assert.deepEqual(matches('[w1=ERROR, w2]', levels), [levels[1]]);
  assert.deepEqual(matches('[w1=ERROR || w1=WARN, w2]', levels), levels.slice(1));
  assert.deepEqual(matches('[r=REPORT, ...]', ['REPORT RequestId: 1 Duration: 2 ms', 'START RequestId: 1']), ['REPORT RequestId: 1 Duration: 2 ms']);
});

test('malformed patterns are rejected', () => {
  for (const p of ['{ $.a = }', '{ $.a = 1', '{ a = 1 }', '"unterminated', '%abc', '[a, b', '{ $.a > abc }', '- ', '%(a)%']) {
    assert.throws(() => compileFilterPattern(p), FilterPatternError, p);
  }
});
