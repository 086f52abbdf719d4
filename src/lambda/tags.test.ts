// Tag values are held to the limits Lambda enforces but its published model leaves out.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadModel } from '../aws/model.js';
import { validateInput } from '../aws/validate.js';
import { withTagConstraints } from './tags.js';

const model = withTagConstraints(loadModel('lambda-2015-03-31'));
const resource = 'arn:aws:lambda:us-east-1:000000000000:function:f';

test('tag values up to 256 characters of letters, digits, spaces and _.:/=+-@ are accepted', () => {
  assert.deepEqual(validateInput(model, 'TagResourceRequest', { Resource: resource, Tags: { team: 'a'.repeat(256), empty: '', note: 'Ünïcode 1.0 +@/:=' } }), []);
});

test('longer values and other characters are refused as AWS words it', () => {
  const [violation] = validateInput(model, 'TagResourceRequest', { Resource: resource, Tags: { Creator: 'x'.repeat(257) } });
  assert.match(violation, /^Value '\{Creator=x+\}' at 'tags' failed to satisfy constraint: Map value must satisfy constraint: \[Member must have length less than or equal to 256, Member must have length greater than or equal to 0, Member must satisfy regular expression pattern: \^\(\[\\p\{L\}\\p\{Z\}\\p\{N\}_\.:\/=\+\\-@\]\*\)\$\]$/);
  assert.equal(validateInput(model, 'CreateFunctionRequest', { FunctionName: 'f', Role: 'arn:aws:iam::000000000000:role/r', Code: {}, Tags: { k: 'a,b' } }).length, 1);
});
