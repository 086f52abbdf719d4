// Key values as the text the item rows are keyed by, in an encoding whose byte order is
// DynamoDB's order for the key's type: S by the UTF-8 bytes, B bytewise (both as lowercase hex, so
// a prefix of the value is a prefix of its text: begins_with is a range), N numerically (a sign,
// a biased exponent and the significant digits; a negative number's digits complemented). A
// table's key attribute has one type, so its encoded values compare only with their own kind.
import type { AttributeValue } from './attribute-value.js';
import { parseNumber } from './numbers.js';

export type KeyType = 'S' | 'N' | 'B';

/** Greater than any character an encoding holds: the upper bound of a begins_with range. */
export const PREFIX_END = '~';

export function encodeKeyValue(value: AttributeValue): string {
  if ('S' in value) return Buffer.from(value.S, 'utf8').toString('hex');
  if ('B' in value) return Buffer.from(value.B, 'base64').toString('hex');
  if ('N' in value) return encodeNumber(value.N);
  throw new Error('not a key value');
}

/** The key type a value has, if it is one a key may have. */
export function keyTypeOf(value: AttributeValue): KeyType | undefined {
  if ('S' in value) return 'S';
  if ('N' in value) return 'N';
  if ('B' in value) return 'B';
  return undefined;
}

/**
 * A decimal's sortable form: '2' for zero; '3' + (exponent + 500, 4 digits) + digits for a positive
 * number 0.d1d2… × 10^exponent; '1' + (9999 - that) + complemented digits + PREFIX_END for a
 * negative one (the end mark makes a shorter negative sort after a longer one it prefixes).
 */
export function encodeNumber(text: string): string {
  const { sign, coefficient, exponent } = parseNumber(text);
  if (sign === 0) return '2';
  const digits = coefficient.toString();
  const biased = exponent + digits.length + 500;
  if (sign > 0) return `3${String(biased).padStart(4, '0')}${digits}`;
  const complemented = [...digits].map((d) => String(9 - Number(d))).join('');
  return `1${String(9999 - biased).padStart(4, '0')}${complemented}${PREFIX_END}`;
}
