import { test } from 'node:test';
import assert from 'node:assert/strict';
import { addNumbers, compareNumbers, isValidNumber, normaliseNumber, numberSize, subtractNumbers } from './numbers.js';

function refuses(text: string, message: string): void {
  assert.throws(() => normaliseNumber(text), { name: 'DynamoDbValidationError', message });
}

test('numbers come back normalised as DynamoDB returns them', () => {
  assert.equal(normaliseNumber('1.50'), '1.5');
  assert.equal(normaliseNumber('-0'), '0');
  assert.equal(normaliseNumber('0.000'), '0');
  assert.equal(normaliseNumber('1e2'), '100');
  assert.equal(normaliseNumber('1E-2'), '0.01');
  assert.equal(normaliseNumber('+007'), '7');
  assert.equal(normaliseNumber('.5'), '0.5');
  assert.equal(normaliseNumber('5.'), '5');
  assert.equal(normaliseNumber('-12.340e1'), '-123.4');
  assert.equal(normaliseNumber('1e-130'), `0.${'0'.repeat(129)}1`);
});

test('numbers that cannot be parsed are refused with AWS\'s message', () => {
  refuses('abc', 'The parameter cannot be converted to a numeric value: abc');
  refuses('1.2.3', 'The parameter cannot be converted to a numeric value: 1.2.3');
  refuses('e5', 'The parameter cannot be converted to a numeric value: e5');
  refuses(' 1', 'The parameter cannot be converted to a numeric value:  1');
  refuses('', 'The parameter cannot be converted to a numeric value: ');
  // The older layer (BatchWriteItem, transactions, Scan) drops the colon for an empty string.
  assert.throws(() => normaliseNumber('', 'older'), { message: 'The parameter cannot be converted to a numeric value' });
  assert.throws(() => normaliseNumber('x', 'older'), { message: 'The parameter cannot be converted to a numeric value: x' });
  refuses('1 ', 'The parameter cannot be converted to a numeric value: 1 ');
  refuses('0x10', 'The parameter cannot be converted to a numeric value: 0x10');
  refuses('1e', 'The parameter cannot be converted to a numeric value: 1e');
  refuses('Infinity', 'The parameter cannot be converted to a numeric value: Infinity');
  refuses('NaN', 'The parameter cannot be converted to a numeric value: NaN');
});

test('at most 38 significant digits; leading and trailing zeros do not count', () => {
  assert.equal(normaliseNumber('12345678901234567890123456789012345678'), '12345678901234567890123456789012345678');
  assert.equal(normaliseNumber(`1${'0'.repeat(60)}`), `1${'0'.repeat(60)}`);
  assert.equal(normaliseNumber(`0.000${'1'.repeat(38)}000`), `0.000${'1'.repeat(38)}`);
  refuses('123456789012345678901234567890123456789', 'Attempting to store more than 38 significant digits in a Number');
  refuses('-1.23456789012345678901234567890123456789', 'Attempting to store more than 38 significant digits in a Number');
});

test('magnitudes outside 1E-130 .. 9.99…E+125 overflow or underflow', () => {
  assert.equal(isValidNumber('9.9999999999999999999999999999999999999E+125'), true);
  assert.equal(isValidNumber('-1e-130'), true);
  refuses('1e126', 'Number overflow. Attempting to store a number with magnitude larger than supported range');
  refuses('-1e126', 'Number overflow. Attempting to store a number with magnitude larger than supported range');
  refuses('1e-131', 'Number underflow. Attempting to store a number with magnitude smaller than supported range');
  refuses('1e999999999', 'Number overflow. Attempting to store a number with magnitude larger than supported range');
  refuses('1e2147483647', 'Number overflow. Attempting to store a number with magnitude larger than supported range');
  refuses('1e-99999999999', 'Number underflow. Attempting to store a number with magnitude smaller than supported range');
  assert.equal(normaliseNumber('0e999999999'), '0');
});

test('comparison is numeric and exact', () => {
  assert.equal(compareNumbers('10', '9'), 1);
  assert.equal(compareNumbers('-10', '9'), -1);
  assert.equal(compareNumbers('1.50', '1.5'), 0);
  assert.equal(compareNumbers('-2', '-10'), 1);
  assert.equal(compareNumbers('0', '-0.0001'), 1);
  assert.equal(compareNumbers('0.1000000000000000000000000000000000001', '0.1'), 1);
});

test('addition and subtraction are exact decimals, never floats', () => {
  assert.equal(addNumbers('0.1', '0.2'), '0.3');
  assert.equal(addNumbers('1', '-1'), '0');
  assert.equal(subtractNumbers('5', '7.5'), '-2.5');
  assert.equal(subtractNumbers('-1', '-1'), '0');
  assert.equal(addNumbers('99999999999999999999999999999999999999', '1'), '100000000000000000000000000000000000000');
  assert.throws(() => addNumbers('99999999999999999999999999999999999999', '0.1'), {
    message: 'Attempting to store more than 38 significant digits in a Number',
  });
  assert.throws(() => addNumbers('9.9999999999999999999999999999999999999E+125', '1E+88'), {
    message: 'Number overflow. Attempting to store a number with magnitude larger than supported range',
  });
});

test('a number costs what DynamoDB charges for it', () => {
  assert.equal(numberSize('123456'), 4);
  assert.equal(numberSize('3.14159'), 5);
  assert.equal(numberSize('1E125'), 2);
  assert.equal(numberSize('1'), 2);
  assert.equal(numberSize('-1'), 3);
  assert.equal(numberSize('0042.1200'), 1 + 1 + 1);
  assert.equal(numberSize('0.0012'), 1 + 0 + 1);
  assert.equal(numberSize('1000.5'), 1 + 2 + 1);
});
