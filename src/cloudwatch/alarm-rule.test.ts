// AlarmRule: AWS's grammar (state functions over names or ARNs, quoted or not, TRUE/FALSE, NOT,
// AND, OR, parentheses), its precedence, its errors, and the names it references.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { AlarmRuleError, evaluateRule, parseAlarmRule, referencedName, ruleReferences } from './alarm-rule.js';
import type { AlarmState } from './alarm-record.js';

const states: Record<string, AlarmState> = { cpu: 'ALARM', disk: 'OK', deploy: 'INSUFFICIENT_DATA', 'my alarm': 'ALARM' };
const value = (rule: string): boolean => evaluateRule(parseAlarmRule(rule), (ref) => states[ref]);

test('state functions are true when the named alarm is in that state', () => {
  assert.equal(value('ALARM(cpu)'), true);
  assert.equal(value('ALARM("disk")'), false);
  assert.equal(value('OK(disk)'), true);
  assert.equal(value('INSUFFICIENT_DATA( "deploy" )'), true);
  assert.equal(value('ALARM(missing)'), false);
  assert.equal(value('ALARM("my alarm")'), true);
});

test('TRUE, FALSE, NOT, AND, OR and parentheses, NOT tightest and AND before OR', () => {
  assert.equal(value('TRUE'), true);
  assert.equal(value('false'), false);
  assert.equal(value('NOT ALARM(cpu)'), false);
  assert.equal(value('ALARM(cpu) AND NOT ALARM(disk)'), true);
  // AND binds tighter than OR: TRUE OR (FALSE AND FALSE).
  assert.equal(value('TRUE OR FALSE AND FALSE'), true);
  assert.equal(value('(TRUE OR FALSE) AND FALSE'), false);
  assert.equal(value('ALARM(cpu) AND (OK(disk) OR ALARM(deploy)) AND NOT (ALARM(disk))'), true);
  assert.equal(value('NOT NOT TRUE'), true);
});

test('references are the names as written, each once; ARNs of the account and region name their alarm', () => {
  const arn = 'arn:aws:cloudwatch:us-east-1:000000000000:alarm:cpu';
  assert.deepEqual(ruleReferences(parseAlarmRule(`ALARM(cpu) OR OK("disk") OR NOT ALARM(cpu) OR ALARM("${arn}")`)), ['cpu', 'disk', arn]);
  const scope = { accountId: '000000000000', region: 'us-east-1' };
  assert.equal(referencedName(arn, scope), 'cpu');
  assert.equal(referencedName('arn:aws:cloudwatch:eu-west-1:000000000000:alarm:cpu', scope), undefined);
  assert.equal(referencedName('cpu', scope), 'cpu');
  assert.deepEqual(ruleReferences(parseAlarmRule('TRUE AND FALSE')), []);
});

test('rules that do not parse fail as AWS words it: the token, its place (from 0) and what may come there', () => {
  const fails = (rule: string, message: string) => assert.throws(() => parseAlarmRule(rule), (e: Error) => e instanceof AlarmRuleError && e.message === message);
  const term = "'(', 'NOT', TRUE or FALSE, ALARM, OK, or INSUFFICIENT_DATA";
  fails(' ALARM(cpu)', 'AlarmRule must not contain leading or trailing whitespace or be null');
  fails('ALARM(cpu)\n', 'AlarmRule must not contain leading or trailing whitespace or be null');
  // Unquoted, a name is one word (AWS's answer to a name with spaces).
  fails('ALARM(my alarm)', "Error in AlarmRule [Unsupported token 'alarm' at char 9, must be: ')']");
  fails('()', `Error in AlarmRule [Unsupported token ')' at char 1, must be: ${term}]`);
  fails('ALARM(cpu) AND', `Error in AlarmRule [Unsupported token '' at char 14, must be: ${term}]`);
  fails('ALARM(cpu) XOR OK(disk)', "Error in AlarmRule [Unsupported token 'XOR' at char 11, must be: AND or OR]");
  fails('ALARM cpu', "Error in AlarmRule [Unsupported token 'cpu' at char 6, must be: '(']");
  fails('(ALARM(cpu)', "Error in AlarmRule [Unsupported token '' at char 11, must be: ')', AND or OR]");
  fails('ALARM(cpu', "Error in AlarmRule [Unsupported token '' at char 9, must be: ')']");
  fails('ALARM()', "Error in AlarmRule [Unsupported token ')' at char 6, must be: an alarm name or ARN]");
  fails('ALARM("cpu)', 'Error in AlarmRule [Unsupported token \'"cpu)\' at char 6]');
  fails('ALARM("cpu" x)', "Error in AlarmRule [Unsupported token 'x' at char 12, must be: ')']");
  fails('ALARM(cpu))', "Error in AlarmRule [Unsupported token ')' at char 10, must be: AND or OR]");
  fails('ALARMS(cpu)', `Error in AlarmRule [Unsupported token 'ALARMS' at char 0, must be: ${term}]`);
});
