import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadModel } from './model.js';
import { validateInput, validationMessage } from './validate.js';

const lambda = loadModel('lambda-2015-03-31');

test('reports a pattern violation in AWS wording', () => {
  const v = validateInput(lambda, 'CreateFunctionRequest', { FunctionName: 'f', Role: 'r1', Code: {} });
  assert.deepEqual(v, ["Value 'r1' at 'role' failed to satisfy constraint: Member must satisfy regular expression pattern: arn:(aws[a-zA-Z-]*)?:iam::\\d{12}:role/?[a-zA-Z_0-9+=,.@\\-_/]+"]);
  assert.equal(validationMessage(v), `1 validation error detected: ${v[0]}`);
});

test('reports missing required members and counts several errors', () => {
  const v = validateInput(lambda, 'CreateFunctionRequest', { Role: 'r1' });
  assert.ok(v.includes("Value null at 'functionName' failed to satisfy constraint: Member must not be null"));
  assert.ok(v.includes("Value null at 'code' failed to satisfy constraint: Member must not be null"));
  assert.match(validationMessage(v), /^3 validation errors detected: /);
});

test('map values and keys list every constraint, doubles print like Java', () => {
  const weights = (w: Record<string, number>) => validateInput(lambda, 'CreateAliasRequest', { FunctionName: 'f', Name: 'a', FunctionVersion: '1', RoutingConfig: { AdditionalVersionWeights: w } });
  assert.deepEqual(weights({ '2': 2 }), ["Value '{2=2.0}' at 'routingConfig.additionalVersionWeights' failed to satisfy constraint: Map value must satisfy constraint: [Member must have value less than or equal to 1.0, Member must have value greater than or equal to 0.0, Member must not be null]"]);
  assert.deepEqual(weights({ $LATEST: 0.5 }), ["Value '{$LATEST=0.5}' at 'routingConfig.additionalVersionWeights' failed to satisfy constraint: Map keys must satisfy constraint: [Member must have length less than or equal to 1024, Member must have length greater than or equal to 1, Member must satisfy regular expression pattern: [0-9]+]"]); // as recorded: TestLambdaAlias::test_notfound_and_invalid_routingconfigs
  assert.deepEqual(weights({ '2': 0.5 }), []);
});

test('list members are checked against their enum', () => {
  const v = validateInput(lambda, 'CreateFunctionRequest', { FunctionName: 'f', Role: 'arn:aws:iam::000000000000:role/r', Code: {}, Architectures: ['X86_64'] });
  assert.deepEqual(v, ["Value '[X86_64]' at 'architectures' failed to satisfy constraint: Member must satisfy constraint: [Member must satisfy enum value set: [x86_64, arm64], Member must not be null]"]);
});

test('URI members are reported after the others, as AWS orders them (test_function_name_and_qualifier_validation)', () => {
  const v = validateInput(lambda, 'GetFunctionRequest', { FunctionName: 'my-function!', Qualifier: 'a'.repeat(129) });
  assert.equal(v.length, 2);
  assert.match(v[0], /^Value 'a+' at 'qualifier' failed to satisfy constraint: Member must have length less than or equal to 128$/);
  assert.match(v[1], /^Value 'my-function!' at 'functionName' failed to satisfy constraint: Member must satisfy regular expression pattern: /);
});
