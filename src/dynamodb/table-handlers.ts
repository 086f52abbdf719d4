// DynamoDB's table operations: CreateTable, DescribeTable, ListTables, UpdateTable, DeleteTable,
// tags, time to live, continuous backups, endpoints and limits. Tables are ACTIVE at once.
import { randomUUID } from 'node:crypto';
import type * as ddb from '../aws/generated/dynamodb.js';
import type { RequestContext } from '../aws/request-context.js';
import type { DynamoDbStore, StoredTable } from '../store/dynamodb-store.js';
import { indexNotFound, invalidParameter, resourceArnNotFound, tableInUse, tableNotFound, validation } from './errors.js';
import { createDefinition, definitionOf, describe, indexDefinition, type TableDefinition } from './table-definition.js';

export type Handler = (input: any, ctx: RequestContext) => Promise<unknown>;

const scopeOf = (ctx: RequestContext) => ({ accountId: ctx.accountId, region: ctx.region });

/** The named table, or AWS's ResourceNotFoundException (table operations name it, item operations don't). */
export async function requireTable(store: DynamoDbStore, ctx: RequestContext, name: string, named = false): Promise<StoredTable> {
  const table = await store.getTable(scopeOf(ctx), name);
  if (!table) throw tableNotFound(named ? name : undefined);
  return table;
}

/** The table an ARN names in the caller's account and region. */
async function tableOfArn(store: DynamoDbStore, ctx: RequestContext, arn: string): Promise<StoredTable> {
  const m = /^arn:aws:dynamodb:([^:]+):(\d{12}):table\/([A-Za-z0-9_.-]{3,255})$/.exec(arn);
  if (!m) throw validation(`Invalid TableArn: Invalid ResourceArn provided as input ${arn}`);
  if (m[1] !== ctx.region || m[2] !== ctx.accountId) throw resourceArnNotFound(arn);
  const table = await store.getTable(scopeOf(ctx), m[3]);
  if (!table) throw resourceArnNotFound(arn);
  return table;
}

export function tableHandlers(store: DynamoDbStore, now: () => number = Date.now): Record<string, Handler> {
  const described = async (t: StoredTable, ctx: RequestContext, status?: ddb.TableDescription['TableStatus']) =>
    describe(t, scopeOf(ctx), await store.tableStats(t.tableId), status);
  const save = (ctx: RequestContext, t: StoredTable, d: TableDefinition) => store.updateTable(scopeOf(ctx), t.name, d as unknown as Record<string, unknown>);

  return {
    async CreateTable(input: ddb.CreateTableInput, ctx) {
      const definition = createDefinition(input);
      const table: StoredTable = { name: input.TableName, tableId: randomUUID(), createdMs: now(), body: definition as unknown as Record<string, unknown> };
      if (!(await store.createTable(scopeOf(ctx), table))) throw tableInUse(`Table already exists: ${input.TableName}`);
      return { TableDescription: describe(table, scopeOf(ctx), { count: 0, bytes: 0 }) };
    },

    async DescribeTable(input: ddb.DescribeTableInput, ctx) {
      return { Table: await described(await requireTable(store, ctx, input.TableName, true), ctx) };
    },

    async ListTables(input: ddb.ListTablesInput, ctx) {
      const limit = input.Limit ?? 100;
      const names = await store.listTables(scopeOf(ctx), input.ExclusiveStartTableName, limit + 1);
      const page = names.slice(0, limit);
      return { TableNames: page, ...(names.length > limit ? { LastEvaluatedTableName: page[page.length - 1] } : {}) };
    },

    async DeleteTable(input: ddb.DeleteTableInput, ctx) {
      const table = await requireTable(store, ctx, input.TableName, true);
      if (definitionOf(table).deletionProtection) {
        throw validation(`Resource cannot be deleted as it is currently protected against deletion. Disable deletion protection first.`);
      }
      const description = await described(table, ctx, 'DELETING');
      await store.deleteTable(scopeOf(ctx), table);
      return { TableDescription: description };
    },

    async UpdateTable(input: ddb.UpdateTableInput, ctx) {
      const table = await requireTable(store, ctx, input.TableName, true);
      const d = structuredClone(definitionOf(table));
      if (input.BillingMode) d.billingMode = input.BillingMode;
      if (input.ProvisionedThroughput) {
        if (d.billingMode === 'PAY_PER_REQUEST') throw invalidParameter('Neither ReadCapacityUnits nor WriteCapacityUnits can be specified when BillingMode is PAY_PER_REQUEST');
        d.provisioned = { read: input.ProvisionedThroughput.ReadCapacityUnits, write: input.ProvisionedThroughput.WriteCapacityUnits };
      } else if (input.BillingMode === 'PROVISIONED' && d.provisioned.read === 0) {
        throw validation('One or more parameter values were invalid: ProvisionedThroughput must be specified when BillingMode is PROVISIONED');
      }
      for (const a of input.AttributeDefinitions ?? []) {
        const known = d.attributeDefinitions.find((x) => x.AttributeName === a.AttributeName);
        if (!known) d.attributeDefinitions.push(a);
        else if (known.AttributeType !== a.AttributeType) throw invalidParameter(`Cannot change the type of attribute ${a.AttributeName}`);
      }
      const defined = new Set(d.attributeDefinitions.map((a) => a.AttributeName));
      for (const u of input.GlobalSecondaryIndexUpdates ?? []) {
        if (u.Create) {
          if (d.indexes.some((i) => i.name === u.Create!.IndexName)) throw validation(`One or more parameter values were invalid: Index with name ${u.Create.IndexName} already exists`);
          d.indexes.push(indexDefinition(u.Create, true, d, defined));
        } else if (u.Delete || u.Update) {
          const name = (u.Delete ?? u.Update)!.IndexName;
          const index = d.indexes.find((i) => i.global && i.name === name);
          if (!index) throw indexNotFound(name, table.name);
          if (u.Delete) d.indexes = d.indexes.filter((i) => i !== index);
          else if (u.Update?.ProvisionedThroughput) index.provisioned = { read: u.Update.ProvisionedThroughput.ReadCapacityUnits, write: u.Update.ProvisionedThroughput.WriteCapacityUnits };
        }
      }
      if (input.StreamSpecification) {
        if (input.StreamSpecification.StreamEnabled && d.stream?.StreamEnabled) throw validation(`Table already has an enabled stream: TableName: ${table.name}`);
        d.stream = input.StreamSpecification;
        if (input.StreamSpecification.StreamEnabled) d.streamLabel = new Date(now()).toISOString().replace(/Z$/, '');
      }
      if (input.DeletionProtectionEnabled !== undefined) d.deletionProtection = input.DeletionProtectionEnabled;
      if (input.TableClass) d.tableClass = input.TableClass;
      await save(ctx, table, d);
      return { TableDescription: await described({ ...table, body: d as unknown as Record<string, unknown> }, ctx) };
    },

    async TagResource(input: ddb.TagResourceInput, ctx) {
      const table = await tableOfArn(store, ctx, input.ResourceArn);
      const d = definitionOf(table);
      const tags = new Map(d.tags.map((t) => [t.Key, t.Value]));
      for (const t of input.Tags) tags.set(t.Key, t.Value);
      if (tags.size > 50) throw validation('One or more parameter values were invalid: The number of tags exceeds the limit of 50');
      await save(ctx, table, { ...d, tags: [...tags].map(([Key, Value]) => ({ Key, Value })) });
      return {};
    },

    async UntagResource(input: ddb.UntagResourceInput, ctx) {
      const table = await tableOfArn(store, ctx, input.ResourceArn);
      const d = definitionOf(table);
      await save(ctx, table, { ...d, tags: d.tags.filter((t) => !input.TagKeys.includes(t.Key)) });
      return {};
    },

    async ListTagsOfResource(input: ddb.ListTagsOfResourceInput, ctx) {
      return { Tags: definitionOf(await tableOfArn(store, ctx, input.ResourceArn)).tags };
    },

    async DescribeTimeToLive(input: ddb.DescribeTimeToLiveInput, ctx) {
      const ttl = definitionOf(await requireTable(store, ctx, input.TableName, true)).ttl;
      return { TimeToLiveDescription: ttl?.enabled ? { TimeToLiveStatus: 'ENABLED', AttributeName: ttl.attributeName } : { TimeToLiveStatus: 'DISABLED' } };
    },

    async UpdateTimeToLive(input: ddb.UpdateTimeToLiveInput, ctx) {
      const table = await requireTable(store, ctx, input.TableName, true);
      const d = definitionOf(table);
      const spec = input.TimeToLiveSpecification;
      if (spec.Enabled && d.ttl?.enabled) throw validation('TimeToLive is already enabled');
      if (!spec.Enabled && !d.ttl?.enabled) throw validation('TimeToLive is already disabled');
      if (!spec.Enabled && d.ttl && d.ttl.attributeName !== spec.AttributeName) throw validation('TimeToLive is active on a different AttributeName: current AttributeName is ' + d.ttl.attributeName);
      await save(ctx, table, { ...d, ttl: { attributeName: spec.AttributeName, enabled: spec.Enabled } });
      return { TimeToLiveSpecification: spec };
    },

    async DescribeContinuousBackups(input: ddb.DescribeContinuousBackupsInput, ctx) {
      await requireTable(store, ctx, input.TableName, true);
      return { ContinuousBackupsDescription: { ContinuousBackupsStatus: 'ENABLED', PointInTimeRecoveryDescription: { PointInTimeRecoveryStatus: 'DISABLED' } } };
    },

    async DescribeEndpoints(_input: unknown, ctx) {
      return { Endpoints: [{ Address: new URL(ctx.baseUrl).host, CachePeriodInMinutes: 1440 }] };
    },

    async DescribeLimits() {
      return { AccountMaxReadCapacityUnits: 80000, AccountMaxWriteCapacityUnits: 80000, TableMaxReadCapacityUnits: 40000, TableMaxWriteCapacityUnits: 40000 };
    },
  };
}
