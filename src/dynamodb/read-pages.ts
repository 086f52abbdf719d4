// One page of a Query or Scan: items are evaluated in order until Limit items were read or 1 MB
// of them, the filter keeps some, and the last one read is the LastEvaluatedKey the next page
// starts after. Also an index's view of items (its projection) and the order index reads take.
import type { Item } from './attribute-value.js';
import type { CompiledCondition } from './expressions/api.js';
import type { IndexDefinition, KeyShape, TableDefinition } from './table-definition.js';
import { indexShape, keyAttributes, pickKey } from './item-keys.js';
import { encodeKeyValue, keyTypeOf } from './key-encoding.js';
import { itemSize } from './item-checks.js';

/** AWS stops a page once it has read 1 MB of items. */
export const PAGE_BYTES = 1024 * 1024;

export interface Page {
  items: Item[];
  scanned: number;
  /** The bytes of the items read (what the read's capacity counts). */
  bytes: number;
  lastEvaluated?: Item;
}

export async function readPage(source: AsyncIterable<Item>, options: { limit?: number; filter?: CompiledCondition; keyOf: (item: Item) => Item }): Promise<Page> {
  const items: Item[] = [];
  let scanned = 0;
  let bytes = 0;
  for await (const item of source) {
    scanned++;
    bytes += itemSize(item);
    if (!options.filter || options.filter.matches(item)) items.push(item);
    if (scanned === options.limit || bytes >= PAGE_BYTES) return { items, scanned, bytes, lastEvaluated: options.keyOf(item) };
  }
  return { items, scanned, bytes };
}

/** The attributes an index holds of an item: the table's and the index's keys, and what its projection adds. */
export function projectToIndex(item: Item, index: IndexDefinition, table: KeyShape, d: TableDefinition): Item {
  if (index.projection.ProjectionType === 'ALL') return item;
  const out = pickKey(item, [table, indexShape(index, d)]);
  if (index.projection.ProjectionType === 'INCLUDE') for (const n of index.projection.NonKeyAttributes ?? []) if (item[n] !== undefined) out[n] = item[n];
  return out;
}

/** An item's place in an index: the index's keys, then the table's (encoded, compared as text). */
export function indexOrder(item: Item, index: KeyShape, table: KeyShape): string[] {
  return [...keyAttributes(index), ...keyAttributes(table)].map((a) => (item[a.name] === undefined ? '' : encodeKeyValue(item[a.name])));
}

export function compareOrder(a: readonly string[], b: readonly string[]): number {
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    const x = a[i] ?? '';
    const y = b[i] ?? '';
    if (x !== y) return x < y ? -1 : 1;
  }
  return 0;
}

/** Does the item carry every key attribute of the index, of its type (a sparse index leaves the others out)? */
export const inIndex = (item: Item, index: KeyShape): boolean => keyAttributes(index).every((a) => item[a.name] !== undefined && keyTypeOf(item[a.name]) === a.type);

export async function* fromArray(items: readonly Item[]): AsyncIterable<Item> {
  yield* items;
}
