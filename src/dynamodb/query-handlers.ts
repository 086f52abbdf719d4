// Query and Scan, on a table or one of its secondary indexes. A table's Query reads one partition
// in sort key order straight from the database's index (the encoded sort keys sort as DynamoDB
// does); index reads and Scans of an index order the table's items in memory.
import type * as ddb from '../aws/generated/dynamodb.js';
import type { DynamoDbStore, SortRange } from '../store/dynamodb-store.js';
import type { AttributeValue, Item } from './attribute-value.js';
import type { CompiledKeyCondition } from './expressions/api.js';
import type { Handler } from './table-handlers.js';
import { keyNames, tableContext, type TableContext } from './item-handlers.js';
import { compileExpressions, type Compiled } from './request-expressions.js';
import { indexShape, keyAttributes, keyOfKey, pickKey } from './item-keys.js';
import { encodeKeyValue, keyTypeOf, PREFIX_END } from './key-encoding.js';
import type { IndexDefinition, KeyShape } from './table-definition.js';
import { compareOrder, fromArray, inIndex, indexOrder, projectToIndex, readPage, type Page } from './read-pages.js';
import { invalidParameter, validation } from './errors.js';
import { capacityField, readUnits } from './consumed-capacity.js';

const BATCH = 200;
const BAD_START_KEY = 'The provided starting key is invalid: The provided key element does not match the schema';

interface ReadTarget {
  t: TableContext;
  index?: IndexDefinition;
  /** The key the read orders by: the index's, or the table's. */
  key: KeyShape;
}

function target(t: TableContext, indexName: string | undefined, consistent: boolean | undefined): ReadTarget {
  if (indexName === undefined) return { t, key: t.key };
  const index = t.definition.indexes.find((i) => i.name === indexName);
  if (!index) throw validation(`The table does not have the specified index: ${indexName}`);
  if (index.global && consistent) throw validation('Consistent reads are not supported on global secondary indexes');
  return { t, index, key: indexShape(index, t.definition) };
}

/** Select and ProjectionExpression together: only SPECIFIC_ATTRIBUTES (Query's refusal carries the validation prefix, Scan's not, as on AWS). */
function checkSelect(r: ReadTarget, select: string | undefined, projection: string | undefined, operation: 'Query' | 'Scan'): void {
  if (projection !== undefined && select !== undefined && select !== 'SPECIFIC_ATTRIBUTES') {
    const message = `Cannot specify the ProjectionExpression when choosing to get ${select === 'COUNT' ? 'only the Count' : select}`;
    throw validation(operation === 'Query' ? `1 validation error detected: ${message}` : message);
  }
  if (select === 'ALL_ATTRIBUTES' && r.index?.global && r.index.projection.ProjectionType !== 'ALL') {
    throw invalidParameter(`Select type ALL_ATTRIBUTES is not supported for global secondary index ${r.index.name} because its projection type is not ALL`);
  }
}

/** The page as AWS answers it: projected items (or only their count), counts and LastEvaluatedKey. */
function answer(r: ReadTarget, page: Page, compiled: Compiled, input: { Select?: string; ConsistentRead?: boolean; ReturnConsumedCapacity?: string }) {
  const select = input.Select;
  const view = (item: Item) => {
    const indexed = r.index && !(select === 'ALL_ATTRIBUTES') && !(r.index.global === false && compiled.projection) ? projectToIndex(item, r.index, r.t.key, r.t.definition) : item;
    return compiled.projection ? compiled.projection.project(indexed) : indexed;
  };
  return {
    ...(select === 'COUNT' ? {} : { Items: page.items.map(view) }),
    Count: page.items.length,
    ScannedCount: page.scanned,
    ...(page.lastEvaluated ? { LastEvaluatedKey: page.lastEvaluated } : {}),
    ...capacityField(input.ReturnConsumedCapacity, r.t.table.name, readUnits(page.bytes, input.ConsistentRead)),
  };
}

const keyOf = (r: ReadTarget) => (item: Item) => pickKey(item, r.index ? [r.t.key, r.key] : [r.t.key]);

/** The sort key condition as a range of encoded sort keys. */
function sortRange(sort: CompiledKeyCondition['sort']): SortRange {
  if (!sort) return {};
  const [a, b] = sort.values.map(encodeKeyValue);
  switch (sort.op) {
    case '=': return { from: a, to: a };
    case '<': return { to: a, toExclusive: true };
    case '<=': return { to: a };
    case '>': return { from: a, fromExclusive: true };
    case '>=': return { from: a };
    case 'BETWEEN':
      if (a > b) {
        const show = (v: AttributeValue) => `AttributeValue: {${Object.keys(v)[0]}:${Object.values(v)[0] as string}}`;
        throw validation(`Invalid KeyConditionExpression: The BETWEEN operator requires upper bound to be greater than or equal to lower bound; lower bound operand: ${show(sort.values[0])}, upper bound operand: ${show(sort.values[1])}`);
      }
      return { from: a, to: b };
    case 'BEGINS_WITH': return { from: a, to: `${a}${PREFIX_END}`, toExclusive: true };
  }
}

function checkKeyTypes(cond: CompiledKeyCondition, key: KeyShape): void {
  const wrong = keyTypeOf(cond.partition) !== key.partition.type || (cond.sort && key.sort && cond.sort.values.some((v) => keyTypeOf(v) !== key.sort!.type));
  if (wrong) throw invalidParameter('Condition parameter type does not match schema type');
}

export function queryHandlers(store: DynamoDbStore): Record<string, Handler> {
  /** The table's items in (pk, sk) order after `after`. */
  async function* scanTable(tableId: string, after: { pk: string; sk: string } | undefined): AsyncIterable<{ pk: string; sk: string; item: Item }> {
    let cursor = after;
    for (;;) {
      const rows = await store.scan(tableId, cursor, BATCH);
      for (const row of rows) yield { pk: row.pk, sk: row.sk, item: JSON.parse(row.json) as Item };
      if (rows.length < BATCH) return;
      cursor = rows[rows.length - 1];
    }
  }

  /** The items an index holds, in its order, after the start key's place when given. */
  async function indexItems(r: ReadTarget, keep: (item: Item) => boolean, start: Item | undefined, backward = false): Promise<Item[]> {
    const held: { item: Item; order: string[] }[] = [];
    for await (const { item } of scanTable(r.t.table.tableId, undefined)) {
      if (inIndex(item, r.key) && keep(item)) held.push({ item, order: indexOrder(item, r.key, r.t.key) });
    }
    const sign = backward ? -1 : 1;
    held.sort((x, y) => sign * compareOrder(x.order, y.order));
    const from = start ? indexOrder(start, r.key, r.t.key) : undefined;
    return held.filter((h) => !from || sign * compareOrder(h.order, from) > 0).map((h) => h.item);
  }

  function startKey(r: ReadTarget, esk: Item | undefined): Item | undefined {
    if (!esk) return undefined;
    keyOfKey(pickKey(esk, [r.t.key]), r.t.key, BAD_START_KEY);
    const expected = new Set([...keyAttributes(r.t.key), ...keyAttributes(r.key)].map((a) => a.name));
    if (Object.keys(esk).some((n) => !expected.has(n))) throw validation(BAD_START_KEY);
    return esk;
  }

  return {
    async Query(input: ddb.QueryInput, ctx) {
      const t = await tableContext(store, ctx, input.TableName);
      const r = target(t, input.IndexName, input.ConsistentRead);
      if (input.KeyConditionExpression === undefined && input.KeyConditions === undefined) {
        throw validation('Either the KeyConditions or KeyConditionExpression parameter must be specified in the request.');
      }
      checkSelect(r, input.Select, input.ProjectionExpression, 'Query');
      const compiled = compileExpressions(input as never, keyNames(r.key));
      const cond = compiled.keyCondition!;
      checkKeyTypes(cond, r.key);
      const backward = input.ScanIndexForward === false;
      const esk = startKey(r, input.ExclusiveStartKey as Item | undefined);
      const partition = encodeKeyValue(cond.partition);
      let source: AsyncIterable<Item>;
      if (!r.index) {
        const range = sortRange(cond.sort);
        source = (async function* () {
          let cursor = esk && r.key.sort ? encodeKeyValue(esk[r.key.sort.name]) : undefined;
          if (esk && !r.key.sort) return;
          for (;;) {
            const bounded: SortRange = { ...range };
            if (cursor !== undefined) {
              if (backward) Object.assign(bounded, range.to === undefined || cursor <= range.to ? { to: cursor, toExclusive: true } : {});
              else Object.assign(bounded, range.from === undefined || cursor >= range.from ? { from: cursor, fromExclusive: true } : {});
            }
            const rows = await store.queryPartition(t.table.tableId, `${r.key.partition.type}${partition}`, bounded, backward, BATCH);
            for (const row of rows) yield JSON.parse(row.json) as Item;
            if (rows.length < BATCH) return;
            cursor = rows[rows.length - 1].sk;
          }
        })();
      } else {
        const range = sortRange(cond.sort);
        const sortName = r.key.sort?.name;
        const keep = (item: Item) => {
          if (encodeKeyValue(item[r.key.partition.name]) !== partition) return false;
          if (!sortName) return true;
          const sk = encodeKeyValue(item[sortName]);
          return (range.from === undefined || (range.fromExclusive ? sk > range.from : sk >= range.from))
            && (range.to === undefined || (range.toExclusive ? sk < range.to : sk <= range.to));
        };
        source = fromArray(await indexItems(r, keep, esk, backward));
      }
      const page = await readPage(source, { limit: input.Limit, filter: compiled.filter, keyOf: keyOf(r) });
      return answer(r, page, compiled, input);
    },

    async Scan(input: ddb.ScanInput, ctx) {
      const t = await tableContext(store, ctx, input.TableName);
      const r = target(t, input.IndexName, input.ConsistentRead);
      checkSelect(r, input.Select, input.ProjectionExpression, 'Scan');
      const { Segment: segment, TotalSegments: total } = input;
      if (segment !== undefined && total === undefined) throw validation('The TotalSegments parameter is required but was not present in the request when Segment parameter is present');
      if (total !== undefined && segment === undefined) throw validation('The Segment parameter is required but was not present in the request when parameter TotalSegments is present');
      if (segment !== undefined && total !== undefined && segment >= total) {
        throw validation(`The Segment parameter is zero-based and must be less than parameter TotalSegments: Segment: ${segment} is not less than TotalSegments: ${total}`);
      }
      const compiled = compileExpressions(input as never);
      const esk = startKey(r, input.ExclusiveStartKey as Item | undefined);
      const inSegment = (item: Item) => total === undefined || segmentOf(encodeKeyValue(item[t.key.partition.name]), total) === segment;
      let source: AsyncIterable<Item>;
      if (!r.index) {
        const after = esk ? keyOfKey(esk, t.key, BAD_START_KEY) : undefined;
        source = (async function* () {
          for await (const row of scanTable(t.table.tableId, after)) if (inSegment(row.item)) yield row.item;
        })();
      } else {
        source = fromArray(await indexItems(r, inSegment, esk));
      }
      const page = await readPage(source, { limit: input.Limit, filter: compiled.filter, keyOf: keyOf(r) });
      return answer(r, page, compiled, input);
    },
  };
}

/** A partition's segment of a parallel Scan: a stable hash of its encoded key. */
function segmentOf(partition: string, total: number): number {
  let h = 0;
  for (let i = 0; i < partition.length; i++) h = (Math.imul(h, 31) + partition.charCodeAt(i)) >>> 0;
  return h % total;
}
