import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { AttributeValue } from './attribute-value.js';
import { assertItemSize, checkAttributeValue, compareValues, itemSize, MAX_ITEM_SIZE, valueSize, valuesEqual } from './attribute-values.js';

function refuses(value: unknown, message: string): void {
  assert.throws(() => checkAttributeValue(value), { name: 'DynamoDbValidationError', message });
}

test('a value has exactly one type', () => {
  refuses({}, 'Supplied AttributeValue is empty, must contain exactly one of the supported datatypes');
  refuses({ a: '' }, 'Supplied AttributeValue is empty, must contain exactly one of the supported datatypes');
  refuses({ M: { a: {} } }, 'Supplied AttributeValue is empty, must contain exactly one of the supported datatypes');
  refuses({ L: [{}] }, 'Supplied AttributeValue is empty, must contain exactly one of the supported datatypes');
  refuses({ S: 'a', N: '1' }, 'Supplied AttributeValue has more than one datatypes set, must contain exactly one of the supported datatypes');
  assert.deepEqual(checkAttributeValue({ S: 'a', N: undefined }), { S: 'a' });
});

test('sets may not be empty nor hold duplicates', () => {
  refuses({ SS: ['a', null] }, 'One or more parameter values were invalid: An string set may not have a null string as a member');
  refuses({ SS: [] }, 'One or more parameter values were invalid: An string set  may not be empty');
  refuses({ NS: [] }, 'One or more parameter values were invalid: An number set  may not be empty');
  refuses({ BS: [] }, 'One or more parameter values were invalid: Binary sets should not be empty');
  // The current layer quotes members: those before the first repeat in byte order, then the rest as sent.
  refuses({ SS: ['b', 'a', 'b'] }, 'One or more parameter values were invalid: Input collection ["a", "b", "b"] contains duplicates.');
  refuses({ SS: ['c', 'b', 'c', 'a'] }, 'One or more parameter values were invalid: Input collection ["b", "c", "c", "a"] contains duplicates.');
  refuses({ BS: ['/w==', 'AA==', 'AA=='] }, 'One or more parameter values were invalid: Input collection ["AA==","/w==","AA=="]of type BS contains duplicates.');
  refuses({ NS: ['2', '1', '2.0'] }, 'One or more parameter values were invalid: Input collection contains duplicates.');
  // The older layer prints the members as sent.
  const older = (value: unknown, message: string) => assert.throws(() => checkAttributeValue(value, 'older'), { message });
  older({ SS: ['b', 'a', 'b'] }, 'One or more parameter values were invalid: Input collection [b, a, b] contains duplicates.');
  older({ BS: ['/w==', 'AA==', 'AA=='] }, 'One or more parameter values were invalid: Input collection [/w==, AA==, AA==]of type BS contains duplicates.');
  older({ NS: ['1', '1.0'] }, 'Input collection contains duplicates');
  older({ NS: ['1', ''] }, 'The parameter cannot be converted to a numeric value');
});

test('numbers are checked and normalised, also inside sets, maps and lists', () => {
  refuses({ N: 'b' }, 'The parameter cannot be converted to a numeric value: b');
  refuses({ NS: ['1', 'b'] }, 'The parameter cannot be converted to a numeric value: b');
  refuses({ M: { a: { N: '1e126' } } }, 'Number overflow. Attempting to store a number with magnitude larger than supported range');
  assert.deepEqual(checkAttributeValue({ M: { a: { L: [{ N: '1.50' }, { NS: ['1e1', '2'] }] } } }), {
    M: { a: { L: [{ N: '1.5' }, { NS: ['10', '2'] }] } },
  });
  refuses({ NULL: false }, 'One or more parameter values were invalid: Null attribute value types must have the value of true');
});

test('values nest at most 32 levels deep, counting the attribute itself', () => {
  const wrap = (depth: number): AttributeValue => (depth === 0 ? { S: 'leaf' } : depth % 2 ? { M: { n: wrap(depth - 1) } } : { L: [wrap(depth - 1)] });
  assert.doesNotThrow(() => checkAttributeValue(wrap(31)));
  refuses(wrap(32), 'Nesting Levels have exceeded supported limits: Attributes in the item have nested levels beyond supported limit');
});

test('equality: numbers by value, sets unordered, maps and lists deep', () => {
  assert.equal(valuesEqual({ N: '1.0' }, { N: '1' }), true);
  assert.equal(valuesEqual({ N: '1' }, { S: '1' }), false);
  assert.equal(valuesEqual({ SS: ['a', 'b'] }, { SS: ['b', 'a'] }), true);
  assert.equal(valuesEqual({ NS: ['1', '2'] }, { NS: ['2.0', '1'] }), true);
  assert.equal(valuesEqual({ SS: ['a'] }, { SS: ['a', 'b'] }), false);
  assert.equal(valuesEqual({ L: [{ S: 'a' }, { N: '1' }] }, { L: [{ S: 'a' }, { N: '1' }] }), true);
  assert.equal(valuesEqual({ L: [{ S: 'a' }, { N: '1' }] }, { L: [{ N: '1' }, { S: 'a' }] }), false);
  assert.equal(valuesEqual({ M: { a: { BOOL: true } } }, { M: { a: { BOOL: true } } }), true);
  assert.equal(valuesEqual({ M: { a: { BOOL: true } } }, { M: { b: { BOOL: true } } }), false);
  assert.equal(valuesEqual({ B: 'YQ==' }, { B: 'YQ' }), true);
});

test('ordering: N numerically, S by UTF-8 bytes, B by bytes; nothing else', () => {
  assert.equal(compareValues({ N: '10' }, { N: '9' }), 1);
  assert.equal(compareValues({ S: 'a' }, { S: 'B' }), 1);
  // U+FF5E sorts after U+10000 in UTF-16 code units but before it in UTF-8 bytes.
  assert.equal(compareValues({ S: '\uff5e' }, { S: '\u{10000}' }), -1);
  assert.equal(compareValues({ B: Buffer.from([1]).toString('base64') }, { B: Buffer.from([1, 0]).toString('base64') }), -1);
  assert.equal(compareValues({ N: '1' }, { S: '1' }), undefined);
  assert.equal(compareValues({ BOOL: true }, { BOOL: true }), undefined);
});

test('item size counts names and values by DynamoDB\'s rules', () => {
  assert.equal(itemSize({ ab: { S: 'héllo' } }), 2 + 6);
  assert.equal(valueSize({ N: '123' }), 3);
  assert.equal(valueSize({ N: '-1.5' }), 4);
  assert.equal(valueSize({ NS: ['1', '3.14159'] }), 2 + 5);
  assert.equal(valueSize({ B: 'AAEC' }), 3);
  assert.equal(valueSize({ BOOL: false }), 1);
  assert.equal(valueSize({ NULL: true }), 1);
  assert.equal(valueSize({ L: [{ S: 'ab' }] } as AttributeValue), 3 + 1 + 2);
  assert.equal(valueSize({ M: { k: { S: 'ab' } } }), 3 + 1 + 1 + 2);
  assert.equal(valueSize({ SS: ['a', 'bc'] }), 3);
  const name = 'big';
  assert.doesNotThrow(() => assertItemSize({ [name]: { S: 'x'.repeat(MAX_ITEM_SIZE - name.length) } }));
  assert.throws(() => assertItemSize({ [name]: { S: 'x'.repeat(MAX_ITEM_SIZE - name.length + 1) } }), {
    message: 'Item size has exceeded the maximum allowed size',
  });
});
