// DynamoDB's single-item operations: PutItem, GetItem, DeleteItem and UpdateItem, with
// ConditionExpression (judged atomically against the item replaced, see item-writes.ts),
// ReturnValues and ReturnValuesOnConditionCheckFailure.
import type * as ddb from '../aws/generated/dynamodb.js';
import type { RequestContext } from '../aws/request-context.js';
import type { DynamoDbStore, StoredTable } from '../store/dynamodb-store.js';
import type { Item } from './attribute-value.js';
import type { Handler } from './table-handlers.js';
import { requireTable } from './table-handlers.js';
import { definitionOf, tableKey, type KeyShape, type TableDefinition } from './table-definition.js';
import { checkIndexKeys, keyAttributes, keyOfItem, keyOfKey, type EncodedKey } from './item-keys.js';
import { readItem, writeItems } from './item-writes.js';
import { compileExpressions, type Compiled } from './request-expressions.js';
import { updatedAttributes } from './expressions/index.js';
import { checkItemSize, checkItemValues, itemSize } from './item-checks.js';
import { capacityField, readUnits, writeUnits } from './consumed-capacity.js';
import { conditionalCheckFailed, invalidParameter, validation } from './errors.js';

export interface TableContext {
  table: StoredTable;
  definition: TableDefinition;
  key: KeyShape;
}

export async function tableContext(store: DynamoDbStore, ctx: RequestContext, name: string): Promise<TableContext> {
  const table = await requireTable(store, ctx, name);
  const definition = definitionOf(table);
  return { table, definition, key: tableKey(definition) };
}

export const keyNames = (key: KeyShape) => ({ partition: key.partition.name, ...(key.sort ? { sort: key.sort.name } : {}) });

/** Throws the failed condition's error (with the item when asked for) unless the condition holds. */
export function checkCondition(compiled: Compiled, current: Item | undefined, returnOnFailure: string | undefined): void {
  if (compiled.condition && !compiled.condition.matches(current)) throw conditionalCheckFailed(returnOnFailure === 'ALL_OLD' ? current : undefined);
}

/** A new item for PutItem (and batches and transactions): valid values (normalised), key and index keys, size. */
export function checkNewItem(given: Item, t: TableContext): { item: Item; key: EncodedKey } {
  const item = checkItemValues(given);
  const key = keyOfItem(item, t.key);
  checkIndexKeys(item, t.definition);
  checkItemSize(item);
  return { item, key };
}

/** A Key parameter: valid values, exactly the table's key. */
export const checkKey = (given: Item | undefined, t: TableContext, message?: string): EncodedKey =>
  keyOfKey(given === undefined ? undefined : checkItemValues(given), t.key, message);

/** The update applied to the item (or to its key alone when there is none), checked as AWS checks what UpdateItem writes. */
export function updatedItem(compiled: Compiled, current: Item | undefined, key: EncodedKey, t: TableContext): Item {
  const base = structuredClone(current ?? key.key);
  const next = compiled.update ? compiled.update.apply(base) : base;
  checkIndexKeys(next, t.definition);
  checkItemSize(next, true);
  return next;
}

/** UpdateExpression may not change the key. */
export function checkUpdateLeavesKey(compiled: Compiled, t: TableContext): void {
  const names = keyAttributes(t.key).map((a) => a.name);
  for (const name of compiled.update?.topLevelNames ?? []) {
    if (names.includes(name)) throw invalidParameter(`Cannot update attribute ${name}. This attribute is part of the key`);
  }
}

/** PutItem's and DeleteItem's request checks, made before the table is looked up (as AWS orders them). */
function requestChecks(input: ddb.PutItemInput | ddb.DeleteItemInput): Compiled {
  if (input.ReturnValues !== undefined && input.ReturnValues !== 'NONE' && input.ReturnValues !== 'ALL_OLD') throw validation('ReturnValues can only be ALL_OLD or NONE');
  return compileExpressions(input as never);
}

const attributes = (item: Item | undefined) => (item && Object.keys(item).length ? { Attributes: item } : {});

/** What UPDATED_OLD and UPDATED_NEW return: the item's parts at the paths the update names. */
function updatedParts(compiled: Compiled, item: Item | undefined): Item | undefined {
  return item && compiled.update ? updatedAttributes(compiled.update, item) : undefined;
}

export function itemHandlers(store: DynamoDbStore): Record<string, Handler> {
  /** PutItem's and DeleteItem's write: the item replaced (or deleted) when the condition holds on the one there. */
  async function replace(t: TableContext, input: ddb.PutItemInput | ddb.DeleteItemInput, compiled: Compiled, key: EncodedKey, item: Item | null) {
    const [old] = await writeItems(store, [{ tableId: t.table.tableId, key }], ([current]) => {
      checkCondition(compiled, current, input.ReturnValuesOnConditionCheckFailure);
      return [item];
    });
    return { ...(input.ReturnValues === 'ALL_OLD' ? attributes(old) : {}), ...capacityField(input.ReturnConsumedCapacity, t.table.name, writeUnits(old, item)) };
  }

  return {
    async PutItem(input: ddb.PutItemInput, ctx) {
      const compiled = requestChecks(input);
      const t = await tableContext(store, ctx, input.TableName);
      const { item, key } = checkNewItem(input.Item as unknown as Item, t);
      return replace(t, input, compiled, key, item);
    },

    async GetItem(input: ddb.GetItemInput, ctx) {
      const compiled = compileExpressions(input as never);
      const t = await tableContext(store, ctx, input.TableName);
      const key = checkKey(input.Key as unknown as Item, t);
      const item = await readItem(store, t.table.tableId, key);
      const capacity = capacityField(input.ReturnConsumedCapacity, t.table.name, readUnits(item ? itemSize(item) : 0, input.ConsistentRead));
      if (!item) return capacity;
      return { Item: compiled.projection ? compiled.projection.project(item) : item, ...capacity };
    },

    async DeleteItem(input: ddb.DeleteItemInput, ctx) {
      const compiled = requestChecks(input);
      const t = await tableContext(store, ctx, input.TableName);
      return replace(t, input, compiled, checkKey(input.Key as unknown as Item, t), null);
    },

    async UpdateItem(input: ddb.UpdateItemInput, ctx) {
      const compiled = compileExpressions(input as never);
      const t = await tableContext(store, ctx, input.TableName);
      const key = checkKey(input.Key as unknown as Item, t);
      checkUpdateLeavesKey(compiled, t);
      let updated: Item | undefined;
      const [old] = await writeItems(store, [{ tableId: t.table.tableId, key }], ([current]) => {
        checkCondition(compiled, current, input.ReturnValuesOnConditionCheckFailure);
        updated = updatedItem(compiled, current, key, t);
        return [updated];
      });
      const capacity = capacityField(input.ReturnConsumedCapacity, t.table.name, writeUnits(old, updated));
      switch (input.ReturnValues ?? 'NONE') {
        case 'ALL_OLD': return { ...attributes(old), ...capacity };
        case 'ALL_NEW': return { ...attributes(updated), ...capacity };
        case 'UPDATED_OLD': return { ...attributes(updatedParts(compiled, old)), ...capacity };
        case 'UPDATED_NEW': return { ...attributes(updatedParts(compiled, updated)), ...capacity };
        default: return capacity;
      }
    },
  };
}
