// DynamoDB tables and items. A table's description is a JSON body under (account, region, name);
// its items live under the table's id (a re-created table starts empty) and two encoded key
// strings (src/dynamodb/key-encoding.ts) whose byte order is DynamoDB's order, so the database's
// primary key index does Query ranges and ordering. Every item row carries a version: writes are
// compare-and-sets on it, and a commit of several writes is one transaction, so conditional writes
// hold against concurrent writers (other requests, other nodes of a cluster).

export interface TableScope {
  accountId: string;
  region: string;
}

/** A table's stored description (DynamoDB's TableDescription fields the handlers keep). */
export interface StoredTable {
  name: string;
  tableId: string;
  createdMs: number;
  /** The rest of the description, as the handlers build it (key schema, indexes, billing, tags, TTL, stream). */
  body: Record<string, unknown>;
}

/** An item row as stored: its JSON text and the version a later write compares. */
export interface StoredItem {
  pk: string;
  sk: string;
  /** The item as AWS JSON (attribute names to typed values). */
  json: string;
  version: number;
}

/** One write of a commit: `expectedVersion` 0 means the item must not exist; `json` undefined deletes it. */
export interface ItemWrite {
  tableId: string;
  pk: string;
  sk: string;
  expectedVersion: number;
  json?: string;
  /** The item's size in bytes (DescribeTable's TableSizeBytes sums them). */
  size?: number;
  /** Changes nothing, but fails the commit unless the item is still as read (a transaction's ConditionCheck). */
  checkOnly?: boolean;
}

/** A range over encoded sort keys (bounds included unless `…Exclusive`). */
export interface SortRange {
  from?: string;
  fromExclusive?: boolean;
  to?: string;
  toExclusive?: boolean;
}

export interface DynamoDbStore {
  /** False when the name is taken in the scope. */
  createTable(scope: TableScope, table: StoredTable): Promise<boolean>;
  getTable(scope: TableScope, name: string): Promise<StoredTable | undefined>;
  /** Names in byte order after `after`, at most `limit`. */
  listTables(scope: TableScope, after: string | undefined, limit: number): Promise<string[]>;
  /** Replaces the body (tags, billing, indexes, TTL). */
  updateTable(scope: TableScope, name: string, body: Record<string, unknown>): Promise<void>;
  /** Deletes the table and its items. */
  deleteTable(scope: TableScope, table: StoredTable): Promise<void>;
  /** Every table of every account and region (the time to live sweeper reads their settings). */
  allTables(): Promise<StoredTable[]>;
  /** Item count and summed sizes. */
  tableStats(tableId: string): Promise<{ count: number; bytes: number }>;

  getItem(tableId: string, pk: string, sk: string): Promise<StoredItem | undefined>;
  /** All writes or none: false (nothing written) when an item's version is not the one expected. */
  commit(writes: readonly ItemWrite[]): Promise<boolean>;
  /** A partition's items in sort key order (descending when `backward`), at most `limit`. */
  queryPartition(tableId: string, pk: string, range: SortRange, backward: boolean, limit: number): Promise<StoredItem[]>;
  /** Items in (pk, sk) order after the given key, at most `limit`. */
  scan(tableId: string, after: { pk: string; sk: string } | undefined, limit: number): Promise<StoredItem[]>;
}
