// An item's primary key against its table's key schema, with AWS's messages for a key that is
// missing, of the wrong type or empty, and the encoded (pk, sk) the item's row is stored under.
import type { AttributeValue, Item } from './attribute-value.js';
import type { IndexDefinition, KeyAttribute, KeyShape, TableDefinition } from './table-definition.js';
import { keyShape } from './table-definition.js';
import { encodeKeyValue, keyTypeOf } from './key-encoding.js';
import { invalidParameter, validation } from './errors.js';

export interface EncodedKey {
  pk: string;
  sk: string;
  /** The key attributes themselves. */
  key: Item;
}

const typeName = (v: AttributeValue): string => Object.keys(v)[0] ?? '';

/** The key of an item being written (PutItem): each key attribute present, of its type, not empty. */
export function keyOfItem(item: Item, shape: KeyShape): EncodedKey {
  for (const attr of keyAttributes(shape)) {
    const v = item[attr.name];
    if (v === undefined) throw invalidParameter(`Missing the key ${attr.name} in the item`);
    if (keyTypeOf(v) !== attr.type) throw invalidParameter(`Type mismatch for key ${attr.name} expected: ${attr.type} actual: ${typeName(v)}`);
    checkNotEmpty(attr.name, v);
  }
  checkKeySizes(item, shape);
  return encode(item, shape);
}

/** A Key parameter (GetItem, DeleteItem, UpdateItem, batches, transactions): exactly the key's attributes. */
export function keyOfKey(key: Item | undefined, shape: KeyShape, message = 'The provided key element does not match the schema'): EncodedKey {
  const attrs = keyAttributes(shape);
  if (!key || Object.keys(key).length !== attrs.length) throw validation(message);
  for (const attr of attrs) {
    const v = key[attr.name];
    if (v === undefined || keyTypeOf(v) !== attr.type) throw validation(message);
    checkNotEmpty(attr.name, v);
  }
  checkKeySizes(key, shape);
  return encode(key, shape);
}

/** Secondary index keys an item carries must be of their declared type and not empty (an item without them is left out of the index). */
export function checkIndexKeys(item: Item, d: TableDefinition): void {
  for (const index of d.indexes) {
    for (const attr of keyAttributes(indexShape(index, d))) {
      const v = item[attr.name];
      if (v === undefined) continue;
      if (keyTypeOf(v) !== attr.type) {
        throw invalidParameter(`Type mismatch for Index Key ${attr.name} Expected: ${attr.type} Actual: ${typeName(v)} IndexName: ${index.name}`);
      }
      if (isEmpty(v)) {
        throw validation(`One or more parameter values are not valid. A value specified for a secondary index key is not supported. The AttributeValue for a key attribute cannot contain an empty ${attr.type === 'S' ? 'string' : 'binary'} value. IndexName: ${index.name}, IndexKey: ${attr.name}`);
      }
    }
  }
}

export const indexShape = (index: IndexDefinition, d: TableDefinition): KeyShape => keyShape(index.keySchema, d.attributeDefinitions);

export const keyAttributes = (shape: KeyShape): KeyAttribute[] => (shape.sort ? [shape.partition, shape.sort] : [shape.partition]);

/** The key attributes of an item (for LastEvaluatedKey, projections, UnprocessedKeys). */
export function pickKey(item: Item, shapes: readonly KeyShape[]): Item {
  const out: Item = {};
  for (const shape of shapes) for (const attr of keyAttributes(shape)) if (item[attr.name] !== undefined) out[attr.name] = item[attr.name];
  return out;
}

const isEmpty = (v: AttributeValue): boolean => ('S' in v && v.S === '') || ('B' in v && v.B === '');

function checkNotEmpty(name: string, v: AttributeValue): void {
  if (isEmpty(v)) {
    throw validation(`One or more parameter values are not valid. The AttributeValue for a key attribute cannot contain an empty ${'S' in v ? 'string' : 'binary'} value. Key: ${name}`);
  }
}

/** A string or binary key value's bytes (numbers are bounded by their 38 digits). */
const keyBytes = (v: AttributeValue): number => ('S' in v ? Buffer.byteLength(v.S, 'utf8') : 'B' in v ? Buffer.from(v.B, 'base64').length : 0);

/** AWS's limits on a key, for writes and reads alike: 2048 bytes of partition key, 1024 of sort key (AWS's spacing kept). */
function checkKeySizes(source: Item, shape: KeyShape): void {
  if (keyBytes(source[shape.partition.name]) > 2048) throw invalidParameter('Size of hashkey has exceeded the maximum size limit of2048 bytes');
  if (shape.sort && keyBytes(source[shape.sort.name]) > 1024) throw invalidParameter('Aggregated size of all range keys has exceeded the size limit of 1024 bytes');
}

function encode(source: Item, shape: KeyShape): EncodedKey {
  const key: Item = { [shape.partition.name]: source[shape.partition.name] };
  if (shape.sort) key[shape.sort.name] = source[shape.sort.name];
  return { pk: `${shape.partition.type}${encodeKeyValue(source[shape.partition.name])}`, sk: shape.sort ? encodeKeyValue(source[shape.sort.name]) : '', key };
}
