// Parameter names, paths, references and labels as AWS reads them.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { checkNewName, checkPath, isInvalidLabel, parameterArn, parseReference } from './names.js';

const scope = { accountId: '123456789012', region: 'eu-west-1' };
const code = (fn: () => unknown): string | undefined => {
  try {
    fn();
    return undefined;
  } catch (e) {
    return (e as { code: string }).code;
  }
};

test('checkNewName trims, and refuses reserved prefixes, other characters, relative paths and deep hierarchies', () => {
  assert.equal(checkNewName('  /a/b  '), '/a/b');
  assert.equal(checkNewName('plain.name_1-x'), 'plain.name_1-x');
  assert.equal(code(() => checkNewName('/aws/x')), 'AccessDeniedException');
  assert.equal(code(() => checkNewName('/Ssm/x')), 'ValidationException');
  assert.equal(code(() => checkNewName('awsName')), 'ValidationException');
  assert.equal(code(() => checkNewName('/a b')), 'ValidationException');
  assert.equal(code(() => checkNewName('/a//b')), 'ValidationException');
  assert.equal(code(() => checkNewName('a/b')), 'ValidationException');
  assert.equal(code(() => checkNewName(`/${'x/'.repeat(15)}y`)), 'HierarchyLevelLimitExceededException');
  assert.equal(checkNewName(`/${'x/'.repeat(14)}y`).split('/').length, 16);
});

test('checkPath takes / and slash-led paths, answered with a trailing slash', () => {
  assert.equal(checkPath('/'), '/');
  assert.equal(checkPath('/a/b'), '/a/b/');
  assert.equal(checkPath('/a/b/'), '/a/b/');
  assert.equal(code(() => checkPath('a/b')), 'ValidationException');
});

test('parseReference reads names, ARNs of this account and region, versions and labels', () => {
  assert.deepEqual(parseReference(scope, '/a/b'), { names: ['/a/b'] });
  assert.deepEqual(parseReference(scope, '/a/b:3'), { names: ['/a/b'], selector: ':3', version: 3 });
  assert.deepEqual(parseReference(scope, 'x:prod'), { names: ['x'], selector: ':prod', label: 'prod' });
  assert.deepEqual(parseReference(scope, parameterArn(scope, '/a/b')), { names: ['/a/b'] });
  assert.deepEqual(parseReference(scope, `${parameterArn(scope, 'plain')}:2`), { names: ['plain', '/plain'], selector: ':2', version: 2 });
  assert.equal(parameterArn(scope, '/a/b'), 'arn:aws:ssm:eu-west-1:123456789012:parameter/a/b');
  // Another account's ARN is no reference to this one's parameter.
  assert.notDeepEqual(parseReference(scope, 'arn:aws:ssm:eu-west-1:000000000000:parameter/a').names, ['/a']);
});

test('isInvalidLabel: leading digits, aws/ssm prefixes, other characters, over 100 characters', () => {
  assert.equal(isInvalidLabel('prod'), false);
  assert.equal(isInvalidLabel('v1.2_x-y'), false);
  for (const bad of ['1st', 'awsx', 'SSMx', 'a b', 'x'.repeat(101)]) assert.equal(isInvalidLabel(bad), true, bad);
});
