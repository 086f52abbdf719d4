// The key encoding's order is DynamoDB's: encoded texts compare (as the databases compare text,
// byte by byte) exactly as the values do.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { encodeKeyValue, encodeNumber, PREFIX_END } from './key-encoding.js';
import { compareNumbers } from './numbers.js';

const sign = (n: number) => Math.sign(n);
const byBytes = (a: string, b: string) => Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));

test('numbers encode in numeric order, equal numbers alike', () => {
  const samples = ['0', '-0', '0.0', '1', '1.0', '01', '1e0', '10', '1e1', '9', '99', '100', '-1', '-10', '-9', '-99', '-0.5', '0.5', '0.05', '5e-1',
    '123.456', '123.4560', '-123.456', '-123.45', '-123.4567', '1e125', '-1e125', '1e-130', '-1e-130', '99999999999999999999999999999999999999',
    '0.000000000000000000000000000000000000012345', '-7.5e10', '7.5e10', '12', '120', '-12', '-120', '2', '-2'];
  for (let i = 0; i < 200; i++) samples.push(((Math.random() - 0.5) * 10 ** Math.floor(Math.random() * 12 - 6)).toPrecision(1 + Math.floor(Math.random() * 10)));
  for (const a of samples) {
    for (const b of samples) {
      assert.equal(sign(byBytes(encodeNumber(a), encodeNumber(b))), sign(compareNumbers(a, b)), `${a} vs ${b}`);
    }
  }
});

test('strings encode in UTF-8 byte order, binaries bytewise; a prefix range holds exactly the values that begin with it', () => {
  const strings = ['', 'a', 'ab', 'b', 'Z', 'é', '中', 'Ａ', '😀', 'a😀', 'aé'];
  for (const a of strings) {
    for (const b of strings) {
      assert.equal(sign(byBytes(encodeKeyValue({ S: a }), encodeKeyValue({ S: b }))), sign(byBytes(a, b)), `${a} vs ${b}`);
      const prefix = encodeKeyValue({ S: a });
      const value = encodeKeyValue({ S: b });
      assert.equal(value >= prefix && value < `${prefix}${PREFIX_END}`, Buffer.from(b).subarray(0, Buffer.byteLength(a)).equals(Buffer.from(a)), `begins_with(${b}, ${a})`);
    }
  }
  const binaries = [[], [0], [0, 0], [0, 1], [1], [127], [128], [255], [255, 0]].map((b) => Buffer.from(b));
  for (const a of binaries) {
    for (const b of binaries) {
      assert.equal(sign(byBytes(encodeKeyValue({ B: a.toString('base64') }), encodeKeyValue({ B: b.toString('base64') }))), sign(Buffer.compare(a, b)));
    }
  }
});
