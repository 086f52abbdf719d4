// Publish's MessageAttributes: AWS's checks of names, types and values, and the attributes as
// notifications carry them ({Type, Value}, binary values in base64).
import type { MessageAttributeValue } from '../aws/generated/sns.js';
import { invalidParameter, invalidParameterValue } from './errors.js';

export interface NotificationAttribute { Type: string; Value: string }

const MAX_ATTRIBUTES = 10;
const NAME = /^[A-Za-z0-9_.-]{1,256}$/;
const TYPE = /^(String|Number|Binary)(\.[A-Za-z0-9_.-]+)?$/;

/** Checks the attributes; answers them as notifications carry them, and their size in bytes. */
export function notificationAttributes(attributes: Record<string, MessageAttributeValue> | undefined): { attributes: Record<string, NotificationAttribute>; bytes: number } {
  const out: Record<string, NotificationAttribute> = {};
  let bytes = 0;
  const entries = Object.entries(attributes ?? {});
  if (entries.length > MAX_ATTRIBUTES) throw invalidParameter(`MessageAttributes Reason: Number of message attributes [${entries.length}] exceeds the allowed maximum [${MAX_ATTRIBUTES}].`);
  for (const [name, a] of entries) {
    if (!NAME.test(name) || name.startsWith('.') || name.endsWith('.') || name.includes('..') || /^(aws|amazon)\./i.test(name)) {
      throw invalidParameterValue(`The message attribute name '${name}' is invalid.`);
    }
    if (!TYPE.test(a.DataType)) {
      throw invalidParameterValue(`The message attribute '${name}' has an invalid message attribute type, the set of supported type prefixes is Binary, Number, and String.`);
    }
    const binary = a.DataType.startsWith('Binary');
    if (binary ? a.BinaryValue === undefined || a.BinaryValue.length === 0 : a.StringValue === undefined || a.StringValue === '') {
      throw invalidParameterValue(`The message attribute '${name}' must contain non-empty message attribute value for message attribute type '${a.DataType.split('.')[0]}'.`);
    }
    if (a.DataType.startsWith('Number') && !Number.isFinite(Number(a.StringValue))) {
      throw invalidParameterValue(`Could not cast message attribute '${name}' value to number.`);
    }
    if (a.DataType === 'String.Array' && !isFlatArray(a.StringValue!)) {
      throw invalidParameterValue(`The message attribute '${name}' with type 'String.Array' has an invalid value: ${a.StringValue}.`);
    }
    const value = binary ? a.BinaryValue!.toString('base64') : a.StringValue!;
    bytes += Buffer.byteLength(name) + Buffer.byteLength(a.DataType) + (binary ? a.BinaryValue!.length : Buffer.byteLength(value));
    out[name] = { Type: a.DataType, Value: value };
  }
  return { attributes: out, bytes };
}

function isFlatArray(text: string): boolean {
  try {
    const v: unknown = JSON.parse(text);
    return Array.isArray(v) && v.every((x) => x === null || ['string', 'number', 'boolean'].includes(typeof x));
  } catch {
    return false;
  }
}
