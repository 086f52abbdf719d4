// ConsumedCapacity, when a request asks for it (ReturnConsumedCapacity TOTAL or INDEXES), counted
// by AWS's rules: a read unit per 4 KB read (half for an eventually consistent read), a write unit
// per 1 KB written (the larger of the item before and after), twice that in a transaction. Nothing
// is metered or throttled; secondary index writes are not counted.
import type { Item } from './attribute-value.js';
import { itemSize } from './item-checks.js';

export type CapacityMode = string | undefined;

export interface ConsumedCapacity {
  TableName: string;
  CapacityUnits: number;
  Table?: { CapacityUnits: number };
}

export const readUnits = (bytes: number, consistent: boolean | undefined): number => Math.max(1, Math.ceil(bytes / 4096)) * (consistent ? 1 : 0.5);

/** Write units of replacing `before` by `after` (either may be absent). */
export const writeUnits = (before: Item | undefined, after: Item | undefined | null): number =>
  Math.max(1, Math.ceil(Math.max(before ? itemSize(before) : 0, after ? itemSize(after) : 0) / 1024));

export function consumed(mode: CapacityMode, table: string, units: number): ConsumedCapacity | undefined {
  if (mode !== 'TOTAL' && mode !== 'INDEXES') return undefined;
  return { TableName: table, CapacityUnits: units, ...(mode === 'INDEXES' ? { Table: { CapacityUnits: units } } : {}) };
}

/** `{ ConsumedCapacity }` for one table's operation, or nothing when not asked for. */
export function capacityField(mode: CapacityMode, table: string, units: number): { ConsumedCapacity?: ConsumedCapacity } {
  const c = consumed(mode, table, units);
  return c ? { ConsumedCapacity: c } : {};
}

/** `{ ConsumedCapacity: [...] }` for a batch or transaction: units summed per table. */
export function capacityList(mode: CapacityMode, perTable: Map<string, number>): { ConsumedCapacity?: ConsumedCapacity[] } {
  if (mode !== 'TOTAL' && mode !== 'INDEXES') return {};
  return { ConsumedCapacity: [...perTable].map(([table, units]) => consumed(mode, table, units)!) };
}
