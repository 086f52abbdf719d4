// Conditional writes as optimistic compare-and-sets: read the items (with their versions), decide
// what to write from what was read (conditions, update expressions), commit every write only if
// no item changed since it was read, and on a conflict read and decide again. A condition is thus
// always judged on the item the write replaces, across requests and across the nodes of a cluster.
import type { DynamoDbStore, ItemWrite } from '../store/dynamodb-store.js';
import type { Item } from './attribute-value.js';
import type { EncodedKey } from './item-keys.js';
import { awsError } from '../core/errors.js';
import { itemSize } from './item-checks.js';

export interface ItemTarget {
  tableId: string;
  key: EncodedKey;
}

/** What to do with an item: write it, delete it (null), leave it but require it unchanged ('check'), or nothing (undefined). */
export type ItemOutcome = Item | null | 'check' | undefined;

const MAX_ATTEMPTS = 100;

export async function readItem(store: DynamoDbStore, tableId: string, key: EncodedKey): Promise<Item | undefined> {
  const row = await store.getItem(tableId, key.pk, key.sk);
  return row && (JSON.parse(row.json) as Item);
}

/**
 * Runs `decide` on the current items (undefined: absent) until its writes commit against exactly
 * those items; it may throw (a failed condition) and nothing is written. Answers the items as read.
 */
export async function writeItems(store: DynamoDbStore, targets: readonly ItemTarget[], decide: (current: (Item | undefined)[]) => ItemOutcome[]): Promise<(Item | undefined)[]> {
  for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
    const rows = await Promise.all(targets.map((t) => store.getItem(t.tableId, t.key.pk, t.key.sk)));
    const current = rows.map((r) => r && (JSON.parse(r.json) as Item));
    const outcomes = decide(current);
    const writes: ItemWrite[] = [];
    targets.forEach((t, i) => {
      const outcome = outcomes[i];
      const base = { tableId: t.tableId, pk: t.key.pk, sk: t.key.sk, expectedVersion: rows[i]?.version ?? 0 };
      if (outcome === undefined) return;
      if (outcome === 'check') writes.push({ ...base, checkOnly: true });
      else if (outcome === null) {
        if (rows[i] || targets.length > 1) writes.push(base);
      } else writes.push({ ...base, json: JSON.stringify(outcome), size: itemSize(outcome) });
    });
    if (!writes.length || (await store.commit(writes))) return current;
  }
  throw awsError('TransactionConflictException', 'Transaction is ongoing for the item');
}
