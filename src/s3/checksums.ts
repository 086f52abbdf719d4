// The flexible checksums S3 verifies and stores (x-amz-checksum-*): CRC32, CRC32C, CRC64NVME,
// SHA-1 and SHA-256, each sent base64 of its big-endian digest.
import { createHash } from 'node:crypto';
import { crc32 } from 'node:zlib';

export const CHECKSUM_ALGORITHMS = ['crc32', 'crc32c', 'crc64nvme', 'sha1', 'sha256'] as const;
export type ChecksumAlgorithm = (typeof CHECKSUM_ALGORITHMS)[number];

function crc32Table(poly: number): Uint32Array {
  const t = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? (c >>> 1) ^ poly : c >>> 1;
    t[n] = c >>> 0;
  }
  return t;
}

const CRC32C = crc32Table(0x82f63b78);

function crc32c(data: Buffer): number {
  let c = 0xffffffff;
  for (let i = 0; i < data.length; i++) c = CRC32C[(c ^ data[i]) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

// CRC-64/NVME (reflected, polynomial 0x9a6c9329ac4bc9b5, init and xorout all ones).
const CRC64 = (() => {
  const t = new BigUint64Array(256);
  const poly = 0x9a6c9329ac4bc9b5n;
  for (let n = 0; n < 256; n++) {
    let c = BigInt(n);
    for (let k = 0; k < 8; k++) c = c & 1n ? (c >> 1n) ^ poly : c >> 1n;
    t[n] = c;
  }
  // Split into 32-bit halves: BigInt per byte would be far too slow for megabytes.
  const hi = new Uint32Array(256);
  const lo = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    hi[n] = Number(t[n] >> 32n);
    lo[n] = Number(t[n] & 0xffffffffn);
  }
  return { hi, lo };
})();

function crc64nvme(data: Buffer): Buffer {
  let hi = 0xffffffff;
  let lo = 0xffffffff;
  for (let i = 0; i < data.length; i++) {
    const idx = (lo ^ data[i]) & 0xff;
    // (c >> 8) ^ table[idx], over the two halves
    const nlo = ((lo >>> 8) | ((hi & 0xff) << 24)) >>> 0;
    const nhi = hi >>> 8;
    lo = (nlo ^ CRC64.lo[idx]) >>> 0;
    hi = (nhi ^ CRC64.hi[idx]) >>> 0;
  }
  const out = Buffer.alloc(8);
  out.writeUInt32BE((hi ^ 0xffffffff) >>> 0, 0);
  out.writeUInt32BE((lo ^ 0xffffffff) >>> 0, 4);
  return out;
}

const u32 = (n: number): Buffer => {
  const b = Buffer.alloc(4);
  b.writeUInt32BE(n >>> 0);
  return b;
};

export function checksum(algorithm: ChecksumAlgorithm, data: Buffer): string {
  switch (algorithm) {
    case 'crc32': return u32(crc32(data)).toString('base64');
    case 'crc32c': return u32(crc32c(data)).toString('base64');
    case 'crc64nvme': return crc64nvme(data).toString('base64');
    case 'sha1': return createHash('sha1').update(data).digest('base64');
    case 'sha256': return createHash('sha256').update(data).digest('base64');
  }
}

