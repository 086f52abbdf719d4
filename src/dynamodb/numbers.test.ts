import { test } from 'node:test';
import assert from 'node:assert/strict';
import { addNumbers, compareNumbers, isValidNumber, normaliseNumber, significantDigits, subtractNumbers } from './numbers.js';

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
  refuses('', 'The parameter cannot be converted to a numeric value');
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

test('significant digits count what DynamoDB stores', () => {
  assert.equal(significantDigits('0'), 1);
  assert.equal(significantDigits('1000'), 1);
  assert.equal(significantDigits('-12.5'), 3);
});
