// A minimal DER (ITU-T X.690 Distinguished Encoding Rules) encoder: exactly the ASN.1 types an
// X.509 v3 certificate needs (src/core/self-signed-certificate.ts). Node's crypto signs and
// parses certificates but cannot build one, and a dependency for a few hundred bytes is not worth it.
// Every value is a tag-length-value triple; constructed types (SEQUENCE, SET, explicit tags)
// hold the concatenated encodings of their members.

/** Universal tags used here (X.690 §8; X.680 §8.4). */
const TAG = {
  boolean: 0x01,
  integer: 0x02,
  bitString: 0x03,
  octetString: 0x04,
  null: 0x05,
  oid: 0x06,
  utf8String: 0x0c,
  printableString: 0x13,
  utcTime: 0x17,
  generalizedTime: 0x18,
  sequence: 0x30,
  set: 0x31,
} as const;

/** The length octets: short form below 128, else 0x80|n followed by n big-endian bytes (X.690 §8.1.3). */
export function encodeLength(length: number): Buffer {
  if (length < 0x80) return Buffer.from([length]);
  const bytes: number[] = [];
  for (let n = length; n > 0; n = Math.floor(n / 256)) bytes.unshift(n & 0xff);
  return Buffer.from([0x80 | bytes.length, ...bytes]);
}

/** One tag-length-value triple. */
export function tlv(tag: number, content: Buffer): Buffer {
  return Buffer.concat([Buffer.from([tag]), encodeLength(content.length), content]);
}

export const sequence = (...members: Buffer[]): Buffer => tlv(TAG.sequence, Buffer.concat(members));
export const set = (...members: Buffer[]): Buffer => tlv(TAG.set, Buffer.concat(members));
export const nullValue = (): Buffer => tlv(TAG.null, Buffer.alloc(0));
export const boolean = (value: boolean): Buffer => tlv(TAG.boolean, Buffer.from([value ? 0xff : 0x00]));
export const octetString = (bytes: Buffer): Buffer => tlv(TAG.octetString, bytes);
/** A BIT STRING of whole bytes: the first content octet counts the unused bits of the last (none). */
export const bitString = (bytes: Buffer): Buffer => tlv(TAG.bitString, Buffer.concat([Buffer.from([0]), bytes]));
export const utf8String = (text: string): Buffer => tlv(TAG.utf8String, Buffer.from(text, 'utf8'));
export const printableString = (text: string): Buffer => tlv(TAG.printableString, Buffer.from(text, 'ascii'));

/** `[n] EXPLICIT`: a constructed, context-specific tag wrapping one encoded value. */
export const explicit = (n: number, value: Buffer): Buffer => tlv(0xa0 | n, value);

/**
 * A non-negative INTEGER from its big-endian magnitude: two's complement, so leading zero bytes go
 * (DER wants the shortest form) and a 0x00 is put back when the top bit would read as a sign.
 */
export function unsignedInteger(magnitude: Buffer): Buffer {
  let start = 0;
  while (start < magnitude.length - 1 && magnitude[start] === 0) start++;
  let bytes = magnitude.subarray(start);
  if (bytes.length === 0) bytes = Buffer.from([0]);
  if (bytes[0] & 0x80) bytes = Buffer.concat([Buffer.from([0]), bytes]);
  return tlv(TAG.integer, bytes);
}

export function smallInteger(value: number): Buffer {
  const hex = value.toString(16);
  return unsignedInteger(Buffer.from(hex.length % 2 ? `0${hex}` : hex, 'hex'));
}

/**
 * An OBJECT IDENTIFIER from dotted text: the first two arcs share one number (40·a + b), then each
 * arc in base 128, most significant group first, every byte but the last with its top bit set.
 */
export function oid(dotted: string): Buffer {
  const arcs = dotted.split('.').map(Number);
  if (arcs.length < 2 || arcs.some((a) => !Number.isSafeInteger(a) || a < 0)) throw new Error(`Invalid OID ${dotted}`);
  const numbers = [arcs[0] * 40 + arcs[1], ...arcs.slice(2)];
  const bytes: number[] = [];
  for (const n of numbers) {
    const groups = [n & 0x7f];
    for (let rest = Math.floor(n / 128); rest > 0; rest = Math.floor(rest / 128)) groups.unshift((rest & 0x7f) | 0x80);
    bytes.push(...groups);
  }
  return tlv(TAG.oid, Buffer.from(bytes));
}

const two = (n: number) => String(n).padStart(2, '0');

/**
 * A certificate validity time as RFC 5280 §4.1.2.5 requires: UTCTime (YYMMDDHHMMSSZ) through 2049,
 * GeneralizedTime (YYYYMMDDHHMMSSZ) from 2050; seconds, no fractions, always UTC.
 */
export function certificateTime(date: Date): Buffer {
  const year = date.getUTCFullYear();
  const rest = `${two(date.getUTCMonth() + 1)}${two(date.getUTCDate())}${two(date.getUTCHours())}${two(date.getUTCMinutes())}${two(date.getUTCSeconds())}Z`;
  return year < 2050
    ? tlv(TAG.utcTime, Buffer.from(`${two(year % 100)}${rest}`, 'ascii'))
    : tlv(TAG.generalizedTime, Buffer.from(`${String(year).padStart(4, '0')}${rest}`, 'ascii'));
}

/** Wraps DER bytes as PEM: base64 in 64-character lines between BEGIN and END labels (RFC 7468). */
export function pem(label: string, der: Buffer): string {
  const lines = der.toString('base64').match(/.{1,64}/g) ?? [];
  return `-----BEGIN ${label}-----\n${lines.join('\n')}\n-----END ${label}-----\n`;
}
