// TransactWriteItems and TransactGetItems. A write transaction's conditions are judged on the
// items it replaces and its writes commit together or not at all (item-writes.ts); a failed
// condition cancels it with a reason per action, in the order given.
import type * as ddb from '../aws/generated/dynamodb.js';
import type { DynamoDbStore } from '../store/dynamodb-store.js';
import type { Item } from './attribute-value.js';
import type { Handler } from './table-handlers.js';
import { checkKey, checkNewItem, checkUpdateLeavesKey, tableContext, updatedItem } from './item-handlers.js';
import type { EncodedKey } from './item-keys.js';
import { readItem, writeItems, type ItemOutcome, type ItemTarget } from './item-writes.js';
import { compileExpressions, type Compiled } from './request-expressions.js';
import { itemSize } from './item-checks.js';
import { capacityList, readUnits, writeUnits } from './consumed-capacity.js';
import { transactionCanceled, validation, type CancellationReason } from './errors.js';

interface Action {
  table: string;
  target: ItemTarget;
  compiled: Compiled;
  returnOnFailure?: string;
  apply(current: Item | undefined): ItemOutcome;
}

export function transactHandlers(store: DynamoDbStore): Record<string, Handler> {
  async function action(item: ddb.TransactWriteItem, ctx: Parameters<Handler>[1]): Promise<Action> {
    const kinds = [item.ConditionCheck, item.Put, item.Delete, item.Update].filter((k) => k !== undefined);
    if (kinds.length !== 1) throw validation('TransactItems can only contain one of Check, Put, Update or Delete');
    const op = kinds[0]!;
    const t = await tableContext(store, ctx, op.TableName);
    const compiled = compileExpressions(op as never);
    const common = { table: t.table.name, compiled, returnOnFailure: op.ReturnValuesOnConditionCheckFailure };
    if (item.Put) {
      const { item: newItem, key } = checkNewItem(item.Put.Item as unknown as Item, t);
      return { ...common, target: { tableId: t.table.tableId, key }, apply: () => newItem };
    }
    const key = checkKey((op as ddb.Delete).Key as unknown as Item, t);
    const target = { tableId: t.table.tableId, key };
    if (item.ConditionCheck) {
      if (!item.ConditionCheck.ConditionExpression) throw validation('The ConditionExpression parameter is required for a ConditionCheck');
      return { ...common, target, apply: () => 'check' };
    }
    if (item.Delete) return { ...common, target, apply: () => null };
    checkUpdateLeavesKey(compiled, t);
    return { ...common, target, apply: (current) => updatedItem(compiled, current, key, t) };
  }

  return {
    async TransactWriteItems(input: ddb.TransactWriteItemsInput, ctx) {
      const actions: Action[] = [];
      for (const item of input.TransactItems) actions.push(await action(item, ctx));
      const seen = new Set<string>();
      for (const a of actions) {
        const id = JSON.stringify([a.target.tableId, a.target.key.pk, a.target.key.sk]);
        if (seen.has(id)) throw validation('Transaction request cannot include multiple operations on one item');
        seen.add(id);
      }
      let written: ItemOutcome[] = [];
      const before = await writeItems(store, actions.map((a) => a.target), (current) => {
        const reasons: CancellationReason[] = actions.map((a, i) => {
          if (a.compiled.condition && !a.compiled.condition.matches(current[i])) {
            return { Code: 'ConditionalCheckFailed', Message: 'The conditional request failed', ...(a.returnOnFailure === 'ALL_OLD' && current[i] ? { Item: current[i] } : {}) };
          }
          return { Code: 'None' };
        });
        if (reasons.some((r) => r.Code !== 'None')) throw transactionCanceled(reasons);
        return (written = actions.map((a, i) => a.apply(current[i])));
      });
      const units = new Map<string, number>();
      actions.forEach((a, i) => {
        const after = written[i];
        units.set(a.table, (units.get(a.table) ?? 0) + 2 * writeUnits(before[i], typeof after === 'object' ? after : before[i]));
      });
      return capacityList(input.ReturnConsumedCapacity, units);
    },

    async TransactGetItems(input: ddb.TransactGetItemsInput, ctx) {
      const gets: { compiled: Compiled; table: string; tableId: string; key: EncodedKey }[] = [];
      for (const { Get: get } of input.TransactItems) {
        const t = await tableContext(store, ctx, get.TableName);
        gets.push({ table: t.table.name, tableId: t.table.tableId, compiled: compileExpressions(get as never), key: checkKey(get.Key as unknown as Item, t) });
      }
      const items = await Promise.all(gets.map((g) => readItem(store, g.tableId, g.key)));
      const units = new Map<string, number>();
      items.forEach((item, i) => units.set(gets[i].table, (units.get(gets[i].table) ?? 0) + 2 * readUnits(item ? itemSize(item) : 0, true)));
      return {
        Responses: items.map((item, i) => (item ? { Item: gets[i].compiled.projection ? gets[i].compiled.projection!.project(item) : item } : {})),
        ...capacityList(input.ReturnConsumedCapacity, units),
      };
    },
  };
}
