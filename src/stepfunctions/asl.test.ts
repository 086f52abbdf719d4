// The interpreter's pure pieces: JSONPath, payload templates and intrinsic functions, Choice rules,
// retry matching and backoff, and definition validation.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { place, select } from './jsonpath.js';
import { callIntrinsic } from './intrinsics.js';
import { effectiveInput, stateOutput } from './payload.js';
import { evaluateRule, matches } from './choice.js';
import { errorMatches, retryDelayMs } from './retry.js';
import { validateDefinition } from './validate.js';
import { StatesError } from './errors.js';

const input = { a: { b: [1, 2, 3], c: 'x' }, items: [{ id: 1 }, { id: 2 }], n: 5, s: 'hello', t: '2024-01-02T03:04:05Z', nul: null };

test('JSONPath selects fields, indexes, wildcards and slices; places results at reference paths', () => {
  assert.deepEqual(select('$', input), input);
  assert.equal(select('$.a.c', input), 'x');
  assert.equal(select("$['a']['b'][1]", input), 2);
  assert.equal(select('$.a.b[-1]', input), 3);
  assert.deepEqual(select('$.items[*].id', input), [1, 2]);
  assert.deepEqual(select('$.a.b[0:2]', input), [1, 2]);
  assert.equal(select('$.missing', input), undefined);
  assert.equal(select('$$.Execution.Id', input, { Execution: { Id: 'arn' } }), 'arn');
  assert.deepEqual(place('$.r.deep', { x: 1 }, 7), { x: 1, r: { deep: 7 } });
  assert.deepEqual(place('$', { x: 1 }, 7), 7);
  assert.equal(place('$.x.y', { x: 1 }, 7), undefined);
});

test('payload templates resolve .$ fields from paths, the context object and intrinsics; a missing path is States.Runtime', () => {
  const params = { 'id.$': '$.items[0].id', fixed: 1, 'nested': { 'c.$': '$.a.c' }, 'exec.$': '$$.Execution.Name', 'msg.$': "States.Format('{} is {}', $.s, $.n)" };
  assert.deepEqual(effectiveInput({ Parameters: params }, input, { Execution: { Name: 'e1' } }, 'S'), { id: 1, fixed: 1, nested: { c: 'x' }, exec: 'e1', msg: 'hello is 5' });
  assert.deepEqual(effectiveInput({ InputPath: '$.a' }, input, {}, 'S'), input.a);
  assert.deepEqual(effectiveInput({ InputPath: null }, input, {}, 'S'), {});
  assert.throws(() => effectiveInput({ Parameters: { 'x.$': '$.nope' } }, input, {}, 'S'), (e: unknown) => e instanceof StatesError && e.error === 'States.Runtime');
  assert.throws(() => effectiveInput({ InputPath: '$.nope' }, input, {}, 'S'), /Invalid path '\$.nope' : No results for path: \$\['nope'\]/);
  const out = stateOutput({ ResultSelector: { 'v.$': '$.Payload' }, ResultPath: '$.res', OutputPath: '$.res' }, { keep: 1 }, { Payload: 42 }, {}, 'S');
  assert.deepEqual(out, { v: 42 });
  assert.deepEqual(stateOutput({ ResultPath: null }, { keep: 1 }, 5, {}, 'S'), { keep: 1 });
});

test('intrinsic functions', () => {
  const call = (text: string) => callIntrinsic(text, input, {});
  assert.equal(call("States.Format('a{}b{}', 'x', 3)"), 'axb3');
  assert.deepEqual(call("States.StringToJson('{\"k\":[1]}')"), { k: [1] });
  assert.equal(call('States.JsonToString($.a)'), JSON.stringify(input.a));
  assert.deepEqual(call("States.Array(1, 'two', $.n, States.MathAdd($.n, -2))"), [1, 'two', 5, 3]);
  assert.equal(call('States.ArrayLength($.a.b)'), 3);
  assert.equal(call('States.ArrayGetItem($.a.b, 2)'), 3);
  assert.deepEqual(call('States.ArrayPartition($.a.b, 2)'), [[1, 2], [3]]);
  assert.deepEqual(call('States.ArrayRange(1, 9, 4)'), [1, 5, 9]);
  assert.equal(call('States.ArrayContains($.a.b, 2)'), true);
  assert.equal(call("States.Base64Decode(States.Base64Encode('hi'))"), 'hi');
  assert.deepEqual(call("States.StringSplit('a,b;c', ',;')"), ['a', 'b', 'c']);
  assert.match(String(call('States.UUID()')), /^[0-9a-f-]{36}$/);
  assert.throws(() => call("States.Format('{} {}', 1)"), (e: unknown) => e instanceof StatesError && e.error === 'States.IntrinsicFailure');
});

test('Choice rules: comparisons, their Path twins, type tests, And/Or/Not, StringMatches', () => {
  const is = (rule: Record<string, unknown>) => evaluateRule(rule as never, input, {});
  assert.equal(is({ Variable: '$.n', NumericGreaterThan: 4 }), true);
  assert.equal(is({ Variable: '$.n', NumericLessThanEquals: 4 }), false);
  assert.equal(is({ Variable: '$.s', StringEquals: 'hello' }), true);
  assert.equal(is({ Variable: '$.s', StringEquals: 5 }), false);
  assert.equal(is({ Variable: '$.n', NumericEqualsPath: '$.a.b[2]' }), false);
  assert.equal(is({ Variable: '$.a.c', StringLessThanPath: '$.s' }), false);
  assert.equal(is({ Variable: '$.t', TimestampGreaterThan: '2024-01-01T00:00:00Z' }), true);
  assert.equal(is({ Variable: '$.nul', IsNull: true }), true);
  assert.equal(is({ Variable: '$.missing', IsPresent: false }), true);
  assert.equal(is({ Variable: '$.t', IsTimestamp: true }), true);
  assert.equal(is({ And: [{ Variable: '$.n', IsNumeric: true }, { Not: { Variable: '$.s', StringMatches: 'h*z' } }] }), true);
  assert.equal(is({ Or: [{ Variable: '$.n', NumericEquals: 1 }, { Variable: '$.s', StringMatches: '*ll*' }] }), true);
  assert.equal(matches('a*b', 'a\\*b'), true);
  assert.equal(matches('axb', 'a\\*b'), false);
  assert.throws(() => is({ Variable: '$.missing', StringEquals: 'x' }), (e: unknown) => e instanceof StatesError && e.error === 'States.Runtime');
});

test('retriers match errors (States.ALL, States.TaskFailed but not States.Timeout, never States.Runtime) and back off', () => {
  assert.equal(errorMatches(['States.ALL'], 'MyError'), true);
  assert.equal(errorMatches(['States.ALL'], 'States.Runtime'), false);
  assert.equal(errorMatches(['States.TaskFailed'], 'States.Timeout'), false);
  assert.equal(errorMatches(['States.TaskFailed'], 'Lambda.Unknown'), true);
  assert.equal(errorMatches(['Other'], 'MyError'), false);
  assert.equal(retryDelayMs({ ErrorEquals: [] }, 0), 1000);
  assert.equal(retryDelayMs({ ErrorEquals: [], IntervalSeconds: 2, BackoffRate: 3 }, 2), 18_000);
  assert.equal(retryDelayMs({ ErrorEquals: [], IntervalSeconds: 2, BackoffRate: 3, MaxDelaySeconds: 5 }, 2), 5000);
});

test('definitions are validated with AWS problem codes and pointers', () => {
  assert.deepEqual(validateDefinition('{"StartAt":"A","States":{"A":{"Type":"Pass","End":true}}}'), []);
  assert.match(validateDefinition('{nope')[0], /^INVALID_JSON_DESCRIPTION: /);
  assert.deepEqual(validateDefinition('{"States":{}}'), ['SCHEMA_VALIDATION_FAILED: These fields are required: [StartAt] at /']);
  assert.deepEqual(validateDefinition('{"StartAt":"A","States":{"A":{"Type":"Pass","Next":"B"}}}'), ["MISSING_TRANSITION_TARGET: Missing 'Next' target: B at /States/A/Next"]);
  assert.deepEqual(validateDefinition('{"StartAt":"A","States":{"A":{"Type":"Pass"}}}'), ['SCHEMA_VALIDATION_FAILED: These fields are required: [Next] at /States/A']);
  assert.deepEqual(validateDefinition('{"StartAt":"A","States":{"A":{"Type":"Task","End":true}}}'), ['SCHEMA_VALIDATION_FAILED: These fields are required: [Resource] at /States/A']);
  assert.deepEqual(validateDefinition('{"StartAt":"A","States":{"A":{"Type":"Succeed"},"B":{"Type":"Succeed"}}}'), ['UNREACHABLE_STATE: State "B" is not reachable. at /States/B']);
  assert.deepEqual(validateDefinition('{"StartAt":"A","States":{"A":{"Type":"Bogus"}}}'), ["SCHEMA_VALIDATION_FAILED: The field 'Type' should have one of these values: [Task, Wait, Pass, Succeed, Fail, Choice, Parallel, Map] at /States/A/Type"]);
  const parallel = '{"StartAt":"P","States":{"P":{"Type":"Parallel","End":true,"Branches":[{"StartAt":"X","States":{"X":{"Type":"Pass","Next":"Y"}}}]}}}';
  assert.deepEqual(validateDefinition(parallel), ["MISSING_TRANSITION_TARGET: Missing 'Next' target: Y at /States/P/Branches/0/States/X/Next"]);
});
