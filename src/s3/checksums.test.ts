import { test } from 'node:test';
import assert from 'node:assert/strict';
import { checksum } from './checksums.js';

test('the checksums of "123456789" are their algorithms\' check values', () => {
  const data = Buffer.from('123456789');
  const hex = (b64: string) => Buffer.from(b64, 'base64').toString('hex');
  assert.equal(hex(checksum('crc32', data)), 'cbf43926');
  assert.equal(hex(checksum('crc32c', data)), 'e3069283');
  assert.equal(hex(checksum('crc64nvme', data)), 'ae8b14860a799888');
  assert.equal(hex(checksum('sha1', data)), 'f7c3bc1d808e04732adf679965ccc34ca7ae3441');
});
