// The digests SQS answers and SDKs check: MD5 of the body's UTF-8 bytes, and of message (or
// message system) attributes encoded as AWS specifies: for each attribute in name order, the name,
// the data type and the value, each as a 4-byte big-endian length and its bytes, with a transport
// byte before the value (1 for String and Number, 2 for Binary).
import { createHash } from 'node:crypto';

export interface AttributeValue {
  DataType: string;
  StringValue?: string;
  BinaryValue?: Uint8Array;
}

export const md5Hex = (data: string | Uint8Array): string => createHash('md5').update(data).digest('hex');

function lengthPrefixed(bytes: Uint8Array): Buffer {
  const head = Buffer.alloc(4);
  head.writeUInt32BE(bytes.length);
  return Buffer.concat([head, bytes]);
}

export function md5OfAttributes(attributes: Record<string, AttributeValue>): string | undefined {
  const names = Object.keys(attributes).sort();
  if (!names.length) return undefined;
  const parts: Buffer[] = [];
  for (const name of names) {
    const a = attributes[name];
    parts.push(lengthPrefixed(Buffer.from(name, 'utf8')), lengthPrefixed(Buffer.from(a.DataType, 'utf8')));
    if (a.BinaryValue !== undefined) parts.push(Buffer.from([2]), lengthPrefixed(a.BinaryValue));
    else parts.push(Buffer.from([1]), lengthPrefixed(Buffer.from(a.StringValue ?? '', 'utf8')));
  }
  return md5Hex(Buffer.concat(parts));
}
