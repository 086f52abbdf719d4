import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseFunctionName, parseFunctionNameMember } from './arn.js';

test('function names, partial and full ARNs, with qualifiers', () => {
  assert.deepEqual(parseFunctionName('fn'), { name: 'fn', qualifier: undefined });
  assert.deepEqual(parseFunctionName('fn:prod'), { name: 'fn', qualifier: 'prod' });
  assert.deepEqual(parseFunctionName('123456789012:function:fn:1'), { accountId: '123456789012', name: 'fn', qualifier: '1' });
  assert.deepEqual(parseFunctionName('arn:aws:lambda:us-east-1:123456789012:function:fn:$LATEST'), { region: 'us-east-1', accountId: '123456789012', name: 'fn', qualifier: '$LATEST' });
});

test('FunctionName members: other forms are read group by group as AWS reads them (test_function_name_and_qualifier_validation[incomplete_arn])', () => {
  assert.equal(parseFunctionName('arn:aws:lambda:us-east-1:123456789012:function'), undefined);
  assert.deepEqual(parseFunctionNameMember('arn:aws:lambda:us-east-1:123456789012:function'), { region: 'us-east-1', accountId: '123456789012', name: 'function', qualifier: undefined });
  assert.deepEqual(parseFunctionNameMember('us-east-1:123456789012:fn'), { region: 'us-east-1', accountId: '123456789012', name: 'fn', qualifier: undefined });
  for (const bad of ['*', 'my-function!', 'function:fn:$LATEST:extra', 'arn:aws:lambda::123456789012:function:fn', 'arn:aws:lambda:us-east-1:123456789012:function:fn:$LATES']) {
    assert.equal(parseFunctionNameMember(bad), undefined, bad);
  }
});
