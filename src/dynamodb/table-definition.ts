// A table as the handlers keep it (the stored body of src/store/dynamodb-store.ts), CreateTable's
// checks in AWS's wording, and the TableDescription DescribeTable answers.
import type * as ddb from '../aws/generated/dynamodb.js';
import type { StoredTable } from '../store/dynamodb-store.js';
import type { KeyType } from './key-encoding.js';
import { invalidParameter, validation } from './errors.js';

export interface KeyAttribute {
  name: string;
  type: KeyType;
}

/** A table's or index's key: a partition key and maybe a sort key. */
export interface KeyShape {
  partition: KeyAttribute;
  sort?: KeyAttribute;
}

export interface IndexDefinition {
  name: string;
  global: boolean;
  keySchema: ddb.KeySchemaElement[];
  projection: ddb.Projection;
  provisioned?: { read: number; write: number };
}

export interface TableDefinition {
  attributeDefinitions: ddb.AttributeDefinition[];
  keySchema: ddb.KeySchemaElement[];
  billingMode: 'PROVISIONED' | 'PAY_PER_REQUEST';
  provisioned: { read: number; write: number };
  indexes: IndexDefinition[];
  stream?: ddb.StreamSpecification;
  streamLabel?: string;
  tags: ddb.Tag[];
  ttl?: { attributeName: string; enabled: boolean };
  deletionProtection: boolean;
  tableClass?: string;
}

export const definitionOf = (t: StoredTable): TableDefinition => t.body as unknown as TableDefinition;

export function keyShape(keySchema: readonly ddb.KeySchemaElement[], attributes: readonly ddb.AttributeDefinition[]): KeyShape {
  const attr = (e: ddb.KeySchemaElement): KeyAttribute => ({ name: e.AttributeName, type: attributes.find((a) => a.AttributeName === e.AttributeName)?.AttributeType ?? 'S' });
  const hash = keySchema.find((e) => e.KeyType === 'HASH')!;
  const range = keySchema.find((e) => e.KeyType === 'RANGE');
  return { partition: attr(hash), ...(range ? { sort: attr(range) } : {}) };
}

export const tableKey = (d: TableDefinition): KeyShape => keyShape(d.keySchema, d.attributeDefinitions);

/** Checks one key schema (the table's or an index's) as CreateTable does. */
function checkKeySchema(schema: readonly ddb.KeySchemaElement[], defined: ReadonlySet<string>, what: string): void {
  if (schema.length < 1 || schema.length > 2) {
    throw validation(`1 validation error detected: Value '[${schema.map((e) => `KeySchemaElement(attributeName=${e.AttributeName}, keyType=${e.KeyType})`).join(', ')}]' at '${what}' failed to satisfy constraint: Member must have length less than or equal to 2`);
  }
  if (schema[0].KeyType !== 'HASH') throw validation('Invalid KeySchema: The first KeySchemaElement is not a HASH key type');
  if (schema[1] && schema[1].KeyType !== 'RANGE') throw validation('Invalid KeySchema: The second KeySchemaElement is not a RANGE key type');
  if (schema[1] && schema[1].AttributeName === schema[0].AttributeName) throw validation('Both the Hash Key and the Range Key element in the KeySchema have the same name');
  const undefinedKeys = schema.filter((e) => !defined.has(e.AttributeName));
  if (undefinedKeys.length) {
    throw invalidParameter(`Some index key attributes are not defined in AttributeDefinitions. Keys: [${undefinedKeys.map((e) => e.AttributeName).join(', ')}], AttributeDefinitions: [${[...defined].join(', ')}]`);
  }
}

function checkProjection(p: ddb.Projection | undefined): ddb.Projection {
  const type = p?.ProjectionType ?? 'KEYS_ONLY';
  if (type === 'INCLUDE' && !p?.NonKeyAttributes?.length) throw invalidParameter('NonKeyAttributes must be specified when ProjectionType is INCLUDE');
  if (type !== 'INCLUDE' && p?.NonKeyAttributes) throw invalidParameter('NonKeyAttributes cannot be specified when ProjectionType is ' + type);
  return { ProjectionType: type, ...(p?.NonKeyAttributes ? { NonKeyAttributes: p.NonKeyAttributes } : {}) };
}

/** The table's (index undefined) or a global index's throughput, as its billing mode requires. */
function throughput(mode: TableDefinition['billingMode'], given: ddb.ProvisionedThroughput | undefined, index?: string): { read: number; write: number } | undefined {
  if (mode === 'PAY_PER_REQUEST') {
    if (given && index === undefined) throw invalidParameter('Neither ReadCapacityUnits nor WriteCapacityUnits can be specified when BillingMode is PAY_PER_REQUEST');
    if (given) throw invalidParameter(`ProvisionedThroughput should not be specified for index: ${index} when BillingMode is PAY_PER_REQUEST`);
    return undefined;
  }
  if (!given && index === undefined) throw invalidParameter('ReadCapacityUnits and WriteCapacityUnits must both be specified when BillingMode is PROVISIONED');
  if (!given) throw invalidParameter(`ProvisionedThroughput is not specified for index: ${index}`);
  return { read: given.ReadCapacityUnits, write: given.WriteCapacityUnits };
}

/** An index to add (CreateTable's, or UpdateTable's Create action). */
export function indexDefinition(given: ddb.GlobalSecondaryIndex | ddb.LocalSecondaryIndex, global: boolean, d: Pick<TableDefinition, 'billingMode' | 'attributeDefinitions'>,
  defined: ReadonlySet<string>): IndexDefinition {
  checkKeySchema(given.KeySchema, defined, global ? 'globalSecondaryIndexes.member.keySchema' : 'localSecondaryIndexes.member.keySchema');
  const provisioned = global ? throughput(d.billingMode, (given as ddb.GlobalSecondaryIndex).ProvisionedThroughput, given.IndexName) : undefined;
  return { name: given.IndexName, global, keySchema: given.KeySchema, projection: checkProjection(given.Projection), ...(provisioned ? { provisioned } : {}) };
}

export function createDefinition(input: ddb.CreateTableInput): TableDefinition {
  const attributeDefinitions = input.AttributeDefinitions ?? [];
  const keySchema = input.KeySchema ?? [];
  const defined = new Set(attributeDefinitions.map((a) => a.AttributeName));
  checkKeySchema(keySchema, defined, 'keySchema');
  const billingMode = input.BillingMode ?? 'PROVISIONED';
  const provisioned = throughput(billingMode, input.ProvisionedThroughput) ?? { read: 0, write: 0 };
  const d = { billingMode, attributeDefinitions };
  const indexes = [
    ...(input.LocalSecondaryIndexes ?? []).map((i) => indexDefinition(i, false, d, defined)),
    ...(input.GlobalSecondaryIndexes ?? []).map((i) => indexDefinition(i, true, d, defined)),
  ];
  const key = keyShape(keySchema, attributeDefinitions);
  for (const lsi of indexes.filter((i) => !i.global)) {
    if (!key.sort) throw invalidParameter('Table KeySchema does not have a range key, which is required when specifying a LocalSecondaryIndex');
    if (lsi.keySchema[0].AttributeName !== key.partition.name) throw invalidParameter('Index KeySchema does not have the same leading hash key as table KeySchema for index: ' + lsi.name + '. index hash key: ' + lsi.keySchema[0].AttributeName + ', table hash key: ' + key.partition.name);
  }
  const names = new Set<string>();
  for (const i of indexes) {
    if (names.has(i.name)) throw invalidParameter(`Duplicate index name: ${i.name}`);
    names.add(i.name);
  }
  const used = new Set([...keySchema, ...indexes.flatMap((i) => i.keySchema)].map((e) => e.AttributeName));
  if (used.size !== defined.size || [...defined].some((n) => !used.has(n))) {
    throw invalidParameter(indexes.length
      ? 'Number of attributes in KeySchema does not exactly match number of attributes defined in AttributeDefinitions'
      : 'Number of attributes in KeySchema does not exactly match number of attributes defined in AttributeDefinitions');
  }
  if (input.StreamSpecification?.StreamEnabled && !input.StreamSpecification.StreamViewType) {
    throw invalidParameter('You must specify a StreamViewType when enabling a stream');
  }
  return {
    attributeDefinitions, keySchema, billingMode, provisioned, indexes, tags: input.Tags ?? [], deletionProtection: input.DeletionProtectionEnabled ?? false,
    ...(input.StreamSpecification?.StreamEnabled ? { stream: input.StreamSpecification, streamLabel: new Date().toISOString().replace(/Z$/, '') } : {}),
    ...(input.TableClass ? { tableClass: input.TableClass } : {}),
  };
}

export const tableArn = (region: string, accountId: string, name: string) => `arn:aws:dynamodb:${region}:${accountId}:table/${name}`;

/** DescribeTable's TableDescription (ACTIVE at once: tables and indexes need no provisioning here). */
export function describe(t: StoredTable, scope: { region: string; accountId: string }, stats: { count: number; bytes: number },
  status: ddb.TableDescription['TableStatus'] = 'ACTIVE'): ddb.TableDescription {
  const d = definitionOf(t);
  const arn = tableArn(scope.region, scope.accountId, t.name);
  const created = new Date(t.createdMs);
  const provisionedDescription = (p: { read: number; write: number } | undefined): ddb.ProvisionedThroughputDescription =>
    ({ NumberOfDecreasesToday: 0, ReadCapacityUnits: p?.read ?? 0, WriteCapacityUnits: p?.write ?? 0 });
  const gsis = d.indexes.filter((i) => i.global);
  const lsis = d.indexes.filter((i) => !i.global);
  return {
    AttributeDefinitions: d.attributeDefinitions,
    TableName: t.name,
    KeySchema: d.keySchema,
    TableStatus: status,
    CreationDateTime: created,
    ProvisionedThroughput: provisionedDescription(d.provisioned),
    TableSizeBytes: stats.bytes,
    ItemCount: stats.count,
    TableArn: arn,
    TableId: t.tableId,
    ...(d.billingMode === 'PAY_PER_REQUEST' ? { BillingModeSummary: { BillingMode: 'PAY_PER_REQUEST', LastUpdateToPayPerRequestDateTime: created } } : {}),
    ...(lsis.length ? {
      LocalSecondaryIndexes: lsis.map((i) => ({ IndexName: i.name, KeySchema: i.keySchema, Projection: i.projection, IndexSizeBytes: 0, ItemCount: 0, IndexArn: `${arn}/index/${i.name}` })),
    } : {}),
    ...(gsis.length ? {
      GlobalSecondaryIndexes: gsis.map((i) => ({
        IndexName: i.name, KeySchema: i.keySchema, Projection: i.projection, IndexStatus: 'ACTIVE' as const, ProvisionedThroughput: provisionedDescription(i.provisioned),
        IndexSizeBytes: 0, ItemCount: 0, IndexArn: `${arn}/index/${i.name}`,
      })),
    } : {}),
    ...(d.stream ? { StreamSpecification: d.stream } : {}),
    ...(d.stream?.StreamEnabled && d.streamLabel ? { LatestStreamLabel: d.streamLabel, LatestStreamArn: `${arn}/stream/${d.streamLabel}` } : {}),
    ...(d.tableClass ? { TableClassSummary: { TableClass: d.tableClass as 'STANDARD' } } : {}),
    DeletionProtectionEnabled: d.deletionProtection,
  };
}
