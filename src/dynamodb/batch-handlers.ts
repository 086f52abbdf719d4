// BatchGetItem and BatchWriteItem: up to 100 keys read and 25 puts or deletes, each on its own (a
// batch is not atomic); every request is processed, so UnprocessedKeys and UnprocessedItems are
// always empty.
import type * as ddb from '../aws/generated/dynamodb.js';
import type { DynamoDbStore } from '../store/dynamodb-store.js';
import type { Item } from './attribute-value.js';
import type { Handler } from './table-handlers.js';
import { checkKey, checkNewItem, tableContext } from './item-handlers.js';
import type { EncodedKey } from './item-keys.js';
import { readItem, writeItems } from './item-writes.js';
import { compileExpressions } from './request-expressions.js';
import { validation } from './errors.js';
import { itemSize } from './item-checks.js';
import { capacityList, readUnits, writeUnits } from './consumed-capacity.js';

const DUPLICATES = 'Provided list of item keys contains duplicates';

function noDuplicates(keys: readonly { table: string; key: EncodedKey }[]): void {
  const seen = new Set<string>();
  for (const k of keys) {
    const id = JSON.stringify([k.table, k.key.pk, k.key.sk]);
    if (seen.has(id)) throw validation(DUPLICATES);
    seen.add(id);
  }
}

export function batchHandlers(store: DynamoDbStore): Record<string, Handler> {
  return {
    async BatchGetItem(input: ddb.BatchGetItemInput, ctx) {
      const entries = Object.entries(input.RequestItems);
      if (entries.reduce((n, [, r]) => n + r.Keys.length, 0) > 100) throw validation('Too many items requested for the BatchGetItem call');
      const plans = [];
      for (const [name, request] of entries) {
        const t = await tableContext(store, ctx, name);
        const compiled = compileExpressions(request as never);
        const keys = request.Keys.map((k) => checkKey(k as unknown as Item, t));
        noDuplicates(keys.map((key) => ({ table: name, key })));
        plans.push({ name, t, compiled, keys, consistent: request.ConsistentRead });
      }
      const Responses: Record<string, Item[]> = {};
      const units = new Map<string, number>();
      for (const { name, t, compiled, keys, consistent } of plans) {
        const items = await Promise.all(keys.map((key) => readItem(store, t.table.tableId, key)));
        units.set(name, items.reduce((n, i) => n + readUnits(i ? itemSize(i) : 0, consistent), 0));
        Responses[name] = items.filter((i): i is Item => i !== undefined).map((i) => (compiled.projection ? compiled.projection.project(i) : i));
      }
      return { Responses, UnprocessedKeys: {}, ...capacityList(input.ReturnConsumedCapacity, units) };
    },

    async BatchWriteItem(input: ddb.BatchWriteItemInput, ctx) {
      const entries = Object.entries(input.RequestItems);
      if (entries.reduce((n, [, r]) => n + r.length, 0) > 25) throw validation('Too many items requested for the BatchWriteItem call');
      const writes: { table: string; tableId: string; key: EncodedKey; item: Item | null }[] = [];
      for (const [name, requests] of entries) {
        const t = await tableContext(store, ctx, name);
        for (const r of requests) {
          if ((r.PutRequest === undefined) === (r.DeleteRequest === undefined)) {
            throw validation('Supplied AttributeValue has more than one datatypes set, must contain exactly one of the supported datatypes');
          }
          if (r.PutRequest) {
            const { item, key } = checkNewItem(r.PutRequest.Item as unknown as Item, t);
            writes.push({ table: name, tableId: t.table.tableId, key, item });
          } else {
            writes.push({ table: name, tableId: t.table.tableId, key: checkKey(r.DeleteRequest!.Key as unknown as Item, t), item: null });
          }
        }
      }
      noDuplicates(writes);
      const units = new Map<string, number>();
      for (const w of writes) {
        const [old] = await writeItems(store, [{ tableId: w.tableId, key: w.key }], () => [w.item]);
        units.set(w.table, (units.get(w.table) ?? 0) + writeUnits(old, w.item));
      }
      return { UnprocessedItems: {}, ...capacityList(input.ReturnConsumedCapacity, units) };
    },
  };
}
