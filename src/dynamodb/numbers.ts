// DynamoDB numbers: exact decimals of up to 38 significant digits whose magnitude lies between
// 1E-130 and 9.9999999999999999999999999999999999999E+125 (or zero). Held as coefficient × 10^exponent
// with BigInt so that comparison and arithmetic never pass through binary floating point.
import { DynamoDbValidationError } from './validation-error.js';

/** sign × coefficient × 10^exponent; normalised: the coefficient has no trailing zeros, zero is sign 0. */
export interface Decimal {
  readonly sign: -1 | 0 | 1;
  readonly coefficient: bigint;
  readonly exponent: number;
}

const MAX_DIGITS = 38;
const MAX_EXPONENT = 125; // of the leading digit, in scientific notation
const MIN_EXPONENT = -130;
const NUMBER_SYNTAX = /^([+-]?)(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d+))?$/;

export const ZERO: Decimal = { sign: 0, coefficient: 0n, exponent: 0 };

function normalise(sign: -1 | 0 | 1, coefficient: bigint, exponent: number): Decimal {
  if (coefficient === 0n) return ZERO;
  while (coefficient % 10n === 0n) {
    coefficient /= 10n;
    exponent += 1;
  }
  return { sign, coefficient, exponent };
}

/** Refuses what DynamoDB cannot store, with its messages. */
function checkRange(value: Decimal): Decimal {
  if (value.sign === 0) return value;
  const digits = value.coefficient.toString().length;
  if (digits > MAX_DIGITS) throw new DynamoDbValidationError('Attempting to store more than 38 significant digits in a Number');
  const leading = value.exponent + digits - 1;
  if (leading > MAX_EXPONENT) {
    throw new DynamoDbValidationError('Number overflow. Attempting to store a number with magnitude larger than supported range');
  }
  if (leading < MIN_EXPONENT) {
    throw new DynamoDbValidationError('Number underflow. Attempting to store a number with magnitude smaller than supported range');
  }
  return value;
}

/**
 * DynamoDB checks values in one of two layers, by operation: the current one (PutItem, UpdateItem,
 * DeleteItem, GetItem, BatchGetItem, Query) and an older one (BatchWriteItem, the transactions,
 * Scan). They word a few refusals differently.
 */
export type ValueLayer = 'current' | 'older';

/** Parses a wire number ("1.50", "-0", "1e2"), throwing AWS's message when DynamoDB would refuse it. */
export function parseNumber(text: string, layer: ValueLayer = 'current'): Decimal {
  const match = typeof text === 'string' ? NUMBER_SYNTAX.exec(text) : null;
  const whole = match?.[2] ?? '';
  const fraction = match?.[3] ?? '';
  if (!match || whole.length + fraction.length === 0) {
    // The older layer names no text when there is none; the current one keeps ": ".
    const shown = layer === 'older' && (text === '' || text === undefined || text === null) ? '' : `: ${String(text)}`;
    throw new DynamoDbValidationError(`The parameter cannot be converted to a numeric value${shown}`);
  }
  const exponentText = match[4] ?? '0';
  // An absurd exponent is an overflow or underflow; keep it within safe integer range first.
  const exponent = Math.max(-1e6, Math.min(1e6, Number(exponentText))) - fraction.length;
  const coefficient = BigInt(whole + fraction);
  return checkRange(normalise(match[1] === '-' ? -1 : 1, coefficient, exponent));
}

/** True when the text is a number DynamoDB stores. */
export function isValidNumber(text: string): boolean {
  try {
    parseNumber(text);
    return true;
  } catch {
    return false;
  }
}

/** The plain decimal form DynamoDB returns: no exponent, no trailing fractional zeros, "0" for zero. */
export function formatNumber(value: Decimal): string {
  if (value.sign === 0) return '0';
  const digits = value.coefficient.toString();
  let text: string;
  if (value.exponent >= 0) text = digits + '0'.repeat(value.exponent);
  else {
    const point = digits.length + value.exponent;
    text = point > 0 ? `${digits.slice(0, point)}.${digits.slice(point)}` : `0.${'0'.repeat(-point)}${digits}`;
  }
  return value.sign < 0 ? `-${text}` : text;
}

/** Validates and normalises a wire number: "1.50" → "1.5", "-0" → "0", "1e2" → "100". */
export function normaliseNumber(text: string, layer: ValueLayer = 'current'): string {
  return formatNumber(parseNumber(text, layer));
}

function scaled(value: Decimal, exponent: number): bigint {
  return BigInt(value.sign) * value.coefficient * 10n ** BigInt(value.exponent - exponent);
}

/** -1, 0 or 1 as a is less than, equal to or greater than b. */
export function compareDecimals(a: Decimal, b: Decimal): number {
  if (a.sign !== b.sign) return a.sign < b.sign ? -1 : 1;
  const exponent = Math.min(a.exponent, b.exponent);
  const x = scaled(a, exponent);
  const y = scaled(b, exponent);
  return x === y ? 0 : x < y ? -1 : 1;
}

/** Compares two wire numbers numerically. */
export function compareNumbers(a: string, b: string): number {
  return compareDecimals(parseNumber(a), parseNumber(b));
}

function sum(a: Decimal, b: Decimal): Decimal {
  const exponent = Math.min(a.exponent, b.exponent);
  const total = scaled(a, exponent) + scaled(b, exponent);
  const sign = total === 0n ? 0 : total < 0n ? -1 : 1;
  return checkRange(normalise(sign, total < 0n ? -total : total, exponent));
}

/** a + b exactly, as a normalised wire number; refuses results DynamoDB cannot store. */
export function addNumbers(a: string, b: string): string {
  return formatNumber(sum(parseNumber(a), parseNumber(b)));
}

/** a - b exactly, as a normalised wire number. */
export function subtractNumbers(a: string, b: string): string {
  const negated = parseNumber(b);
  return formatNumber(sum(parseNumber(a), { ...negated, sign: (-negated.sign || 0) as -1 | 0 | 1 }));
}

/**
 * A number's size in an item, as DynamoDB charges it (measured against DynamoDB, not the developer
 * guide's approximation): 1 byte, plus half the integer part's significant digits and half the
 * fraction's, each rounded up, plus 1 for a negative number; zeros at either end do not count.
 */
export function numberSize(text: string): number {
  const value = parseNumber(text);
  if (value.sign === 0) return 2; // not measured; counted as the one digit "0"
  const digits = value.coefficient.toString().length;
  const fraction = value.exponent < 0 ? Math.min(digits, -value.exponent) : 0;
  return 1 + Math.ceil((digits - fraction) / 2) + Math.ceil(fraction / 2) + (value.sign < 0 ? 1 : 0);
}
