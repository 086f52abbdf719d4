// A template's AWS::DynamoDB::Table and AWS::Serverless::SimpleTable resources in Stagecraft's
// DynamoDB. A table is created with its keys, indexes, stream, TTL and tags (and the stack's mark)
// or, existing, updated in place as CloudFormation does (billing, throughput, global secondary
// indexes, stream, TTL, tags). A changed KeySchema or set of local secondary indexes needs a new
// table: a generated name's table is deleted and made again (its items go, as on AWS); a
// custom-named one is refused with CloudFormation's message. A changed TableName is a new table
// and the old one goes with the stack's other stale tables.
import {
  CreateTableCommand, DeleteTableCommand, DescribeTableCommand, DescribeTimeToLiveCommand, ListTablesCommand, ListTagsOfResourceCommand, TagResourceCommand,
  UntagResourceCommand, UpdateTableCommand, UpdateTimeToLiveCommand,
  type CreateTableCommandInput, type GlobalSecondaryIndex, type GlobalSecondaryIndexUpdate, type TableDescription,
} from '@aws-sdk/client-dynamodb';
import { canonicalJson } from './canonical-json.js';
import { awsErrorType } from './errors.js';
import type { Value } from './intrinsics.js';
import { markedTags, ownership, STACK_TAG_KEYS, type Props } from './service-clients.js';
import { SIMPLE_TABLE_TYPE, type ServiceContext, type WantedResource } from './service-resource.js';

type Throughput = { ReadCapacityUnits: number; WriteCapacityUnits: number };

const list = (v: Value | undefined): Props[] => (Array.isArray(v) ? v.filter((x): x is Props => !!x && typeof x === 'object' && !Array.isArray(x)) : []);
const throughput = (v: Value | undefined): Throughput | undefined => {
  if (!v || typeof v !== 'object' || Array.isArray(v)) return undefined;
  return { ReadCapacityUnits: Number(v.ReadCapacityUnits), WriteCapacityUnits: Number(v.WriteCapacityUnits) };
};
/** The template's JSON values as the SDK's shapes (numbers in strings made numbers where the API wants them). */
const as = <T>(v: Value | undefined): T => v as unknown as T;

function gsi(p: Props, billing: string): GlobalSecondaryIndex {
  return {
    IndexName: String(p.IndexName), KeySchema: as(p.KeySchema), Projection: as(p.Projection),
    ...(billing === 'PROVISIONED' && throughput(p.ProvisionedThroughput) ? { ProvisionedThroughput: throughput(p.ProvisionedThroughput) } : {}),
  };
}

/** SAM's expansion of an AWS::Serverless::SimpleTable: PrimaryKey (default `id`, String), on-demand unless ProvisionedThroughput is given. */
export function simpleTableProps(props: Props): Props {
  const pk = (props.PrimaryKey && typeof props.PrimaryKey === 'object' && !Array.isArray(props.PrimaryKey) ? props.PrimaryKey : {}) as Props;
  const name = String(pk.Name ?? 'id');
  const type = ({ String: 'S', Number: 'N', Binary: 'B' } as Record<string, string>)[String(pk.Type ?? 'String')] ?? 'S';
  const tags = props.Tags && typeof props.Tags === 'object' && !Array.isArray(props.Tags) ? Object.entries(props.Tags).map(([Key, v]) => ({ Key, Value: String(v) })) : undefined;
  return {
    ...(props.TableName !== undefined ? { TableName: props.TableName } : {}),
    KeySchema: [{ AttributeName: name, KeyType: 'HASH' }],
    AttributeDefinitions: [{ AttributeName: name, AttributeType: type }],
    ...(props.ProvisionedThroughput ? { BillingMode: 'PROVISIONED', ProvisionedThroughput: props.ProvisionedThroughput } : { BillingMode: 'PAY_PER_REQUEST' }),
    ...(tags ? { Tags: tags } : {}),
  };
}

/** The table's properties as CloudFormation's AWS::DynamoDB::Table has them (a SimpleTable expanded). */
export const tableProps = (r: WantedResource): Props => (r.type === SIMPLE_TABLE_TYPE ? simpleTableProps(r.props) : r.props);

/** CloudFormation's default billing: PROVISIONED (ProvisionedThroughput then required). */
const billingOf = (props: Props) => String(props.BillingMode ?? 'PROVISIONED');

export function createTableInput(name: string, props: Props, tags: { Key: string; Value: string }[]): CreateTableCommandInput {
  const billing = billingOf(props);
  const gsis = list(props.GlobalSecondaryIndexes).map((p) => gsi(p, billing));
  const lsis = list(props.LocalSecondaryIndexes);
  const stream = props.StreamSpecification as Props | undefined;
  return {
    TableName: name, KeySchema: as(props.KeySchema), AttributeDefinitions: as(props.AttributeDefinitions), BillingMode: as(billing),
    ...(billing === 'PROVISIONED' ? { ProvisionedThroughput: throughput(props.ProvisionedThroughput) } : {}),
    ...(gsis.length ? { GlobalSecondaryIndexes: gsis } : {}),
    ...(lsis.length ? { LocalSecondaryIndexes: as(lsis) } : {}),
    ...(stream?.StreamViewType ? { StreamSpecification: { StreamEnabled: true, StreamViewType: as(stream.StreamViewType) } } : {}),
    ...(props.DeletionProtectionEnabled !== undefined ? { DeletionProtectionEnabled: props.DeletionProtectionEnabled === true || props.DeletionProtectionEnabled === 'true' } : {}),
    Tags: tags,
  };
}

/** What only a new table can change: its key schema and its local secondary indexes. */
export function replacementReason(current: TableDescription, wanted: CreateTableCommandInput): string | undefined {
  const keys = (k: { AttributeName?: string; KeyType?: string }[] | undefined) => canonicalJson((k ?? []).map((x) => ({ AttributeName: x.AttributeName, KeyType: x.KeyType })) as Value);
  if (keys(current.KeySchema) !== keys(wanted.KeySchema)) return 'KeySchema';
  const lsis = (l: { IndexName?: string; KeySchema?: { AttributeName?: string; KeyType?: string }[] }[] | undefined) =>
    (l ?? []).map((i) => `${i.IndexName}:${keys(i.KeySchema)}`).sort().join('|');
  if (lsis(current.LocalSecondaryIndexes) !== lsis(wanted.LocalSecondaryIndexes)) return 'LocalSecondaryIndexes';
  return undefined;
}

async function describe(ctx: ServiceContext, name: string): Promise<TableDescription | undefined> {
  try {
    return (await ctx.clients.dynamodb.send(new DescribeTableCommand({ TableName: name }))).Table;
  } catch (e) {
    if (awsErrorType(e) === 'ResourceNotFoundException') return undefined;
    throw e;
  }
}

/** The table's TTL as the template wants it: its attribute when enabled. */
async function syncTtl(ctx: ServiceContext, name: string, props: Props, creating: boolean): Promise<boolean> {
  const spec = props.TimeToLiveSpecification as Props | undefined;
  const wanted = spec && (spec.Enabled === true || spec.Enabled === 'true') ? String(spec.AttributeName) : undefined;
  const now = creating ? undefined : (await ctx.clients.dynamodb.send(new DescribeTimeToLiveCommand({ TableName: name }))).TimeToLiveDescription;
  const current = now?.TimeToLiveStatus === 'ENABLED' || now?.TimeToLiveStatus === 'ENABLING' ? now.AttributeName : undefined;
  if (current === wanted) return false;
  if (current) await ctx.clients.dynamodb.send(new UpdateTimeToLiveCommand({ TableName: name, TimeToLiveSpecification: { Enabled: false, AttributeName: current } }));
  if (wanted) await ctx.clients.dynamodb.send(new UpdateTimeToLiveCommand({ TableName: name, TimeToLiveSpecification: { Enabled: true, AttributeName: wanted } }));
  return true;
}

/** Billing, throughput, global secondary indexes (one change a call, as DynamoDB takes them) and stream, set in place; whether any changed. */
async function updateInPlace(ctx: ServiceContext, current: TableDescription, wanted: CreateTableCommandInput): Promise<boolean> {
  const name = wanted.TableName!;
  const send = (input: Omit<ConstructorParameters<typeof UpdateTableCommand>[0], 'TableName'>) => ctx.clients.dynamodb.send(new UpdateTableCommand({ TableName: name, ...input }));
  let changed = false;
  const billing = current.BillingModeSummary?.BillingMode ?? 'PROVISIONED';
  const tp = current.ProvisionedThroughput;
  const wantTp = wanted.ProvisionedThroughput;
  if (billing !== wanted.BillingMode || (wantTp && (tp?.ReadCapacityUnits !== wantTp.ReadCapacityUnits || tp?.WriteCapacityUnits !== wantTp.WriteCapacityUnits))) {
    await send({ BillingMode: wanted.BillingMode, ...(wantTp ? { ProvisionedThroughput: wantTp } : {}) });
    changed = true;
  }
  const have = new Map((current.GlobalSecondaryIndexes ?? []).map((i) => [i.IndexName!, i]));
  const want = new Map((wanted.GlobalSecondaryIndexes ?? []).map((i) => [i.IndexName!, i]));
  const updates: GlobalSecondaryIndexUpdate[] = [];
  for (const [n, i] of have) {
    const w = want.get(n);
    // A GSI's keys or projection can't change in place: CloudFormation drops and re-adds it.
    if (!w || canonicalJson(i.KeySchema as unknown as Value) !== canonicalJson(w.KeySchema as unknown as Value)) updates.push({ Delete: { IndexName: n } });
  }
  for (const [n, w] of want) {
    const i = have.get(n);
    if (!i || updates.some((u) => u.Delete?.IndexName === n)) updates.push({ Create: w });
    else if (w.ProvisionedThroughput && (i.ProvisionedThroughput?.ReadCapacityUnits !== w.ProvisionedThroughput.ReadCapacityUnits || i.ProvisionedThroughput?.WriteCapacityUnits !== w.ProvisionedThroughput.WriteCapacityUnits)) {
      updates.push({ Update: { IndexName: n, ProvisionedThroughput: w.ProvisionedThroughput } });
    }
  }
  for (const u of updates) await send({ ...(u.Create ? { AttributeDefinitions: wanted.AttributeDefinitions } : {}), GlobalSecondaryIndexUpdates: [u] });
  const stream = current.StreamSpecification?.StreamEnabled ? current.StreamSpecification.StreamViewType : undefined;
  const wantStream = wanted.StreamSpecification?.StreamViewType;
  if (stream !== wantStream) {
    if (stream) await send({ StreamSpecification: { StreamEnabled: false } });
    if (wantStream) await send({ StreamSpecification: { StreamEnabled: true, StreamViewType: wantStream } });
  }
  return changed || updates.length > 0 || stream !== wantStream;
}

async function syncTags(ctx: ServiceContext, arn: string, tags: { Key: string; Value: string }[]): Promise<boolean> {
  const before = Object.fromEntries(((await ctx.clients.dynamodb.send(new ListTagsOfResourceCommand({ ResourceArn: arn }))).Tags ?? []).map((t) => [t.Key!, t.Value ?? '']));
  const wanted = Object.fromEntries(tags.map((t) => [t.Key, t.Value]));
  const gone = Object.keys(before).filter((k) => !(k in wanted));
  const changed = tags.filter((t) => before[t.Key] !== t.Value);
  if (gone.length) await ctx.clients.dynamodb.send(new UntagResourceCommand({ ResourceArn: arn, TagKeys: gone }));
  if (changed.length) await ctx.clients.dynamodb.send(new TagResourceCommand({ ResourceArn: arn, Tags: changed }));
  return gone.length + changed.length > 0;
}

/** Creates, updates or replaces the table; its ARN and (with a stream) its stream's ARN. */
export async function syncTable(ctx: ServiceContext, r: WantedResource): Promise<{ arn: string; streamArn?: string }> {
  const props = tableProps(r);
  const tags = markedTags(ctx.stackName, r.retain, props.Tags);
  const wanted = createTableInput(r.name, props, tags);
  let current = await describe(ctx, r.name);
  const reason = current && replacementReason(current, wanted);
  if (current && reason) {
    if (props.TableName !== undefined) {
      throw new Error(`CloudFormation cannot update a stack when a custom-named resource requires replacing. Rename ${r.name} and update the stack again.`);
    }
    await ctx.clients.dynamodb.send(new DeleteTableCommand({ TableName: r.name }));
    ctx.log.report({ subject: r.logicalId, kind: 'removed', message: `DynamoDB table ${r.name} (its ${reason} changed: replaced)` });
    current = undefined;
  }
  if (!current) {
    const created = (await ctx.clients.dynamodb.send(new CreateTableCommand(wanted))).TableDescription!;
    await syncTtl(ctx, r.name, props, true);
    ctx.log.report({ subject: r.logicalId, kind: 'created', message: `DynamoDB table ${r.name}` });
    return { arn: created.TableArn!, streamArn: created.LatestStreamArn };
  }
  const updated = await updateInPlace(ctx, current, wanted);
  const ttl = await syncTtl(ctx, r.name, props, false);
  const retag = await syncTags(ctx, current.TableArn!, tags);
  ctx.log.report({ subject: r.logicalId, kind: updated || ttl || retag ? 'updated' : 'unchanged', message: `DynamoDB table ${r.name}` });
  const now = updated ? await describe(ctx, r.name) : current;
  return { arn: current.TableArn!, streamArn: now?.LatestStreamArn };
}

/** The stack's tables not in `keep` (by name): deleted, or, retained, no longer marked; their names. */
export async function removeStaleTables(ctx: ServiceContext, keep: ReadonlySet<string>): Promise<string[]> {
  const names: string[] = [];
  let start: string | undefined;
  do {
    const page = await ctx.clients.dynamodb.send(new ListTablesCommand({ ExclusiveStartTableName: start }));
    names.push(...(page.TableNames ?? []));
    start = page.LastEvaluatedTableName;
  } while (start);
  const removed: string[] = [];
  for (const name of names) {
    if (keep.has(name)) continue;
    const table = await describe(ctx, name);
    if (!table?.TableArn) continue;
    const tags = Object.fromEntries(((await ctx.clients.dynamodb.send(new ListTagsOfResourceCommand({ ResourceArn: table.TableArn }))).Tags ?? []).map((t) => [t.Key!, t.Value ?? '']));
    const own = ownership(tags, ctx.stackName);
    if (own === 'other') continue;
    if (ctx.dryRun) { /* only found */ } else if (own === 'retain') await ctx.clients.dynamodb.send(new UntagResourceCommand({ ResourceArn: table.TableArn, TagKeys: STACK_TAG_KEYS }));
    else await ctx.clients.dynamodb.send(new DeleteTableCommand({ TableName: name }));
    ctx.log.report({ subject: 'Tables', kind: 'removed', message: `DynamoDB table ${name}${own === 'retain' ? ' (retained: left in place)' : ''}` });
    removed.push(name);
  }
  return removed;
}
