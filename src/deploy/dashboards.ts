// AWS::CloudWatch::Dashboard resources of a template, put into Stagecraft's CloudWatch
// (PutDashboard) with the stack's alarms. The name is DashboardName or CloudFormation's generated
// `{stack}-{LogicalId}-{suffix}`, the same !Ref gives; DashboardBody is a string (often a !Sub or
// CDK's Fn::Join naming the template's functions). Dashboards are tagged with the stack: one removed
// from the template goes at the next deploy, and `stagecraft delete` removes them all.
import { evaluate, NO_VALUE, type Scope } from './intrinsics.js';
import type { ActiveResource } from './stack-model.js';
import type { ConnectionSettings } from './clients.js';
import { cloudWatchCall } from './cloudwatch-calls.js';
import { STACK_TAG } from './functions.js';
import { located } from './other-resources.js';
import { get, synthetic, type MapNode } from './source.js';

export interface DashboardInput {
  DashboardName: string;
  DashboardBody: string;
  Tags: { Key: string; Value: string }[];
}

/** PutDashboard's input for one dashboard resource. */
export function dashboardInput(r: ActiveResource, scope: Scope, stackName: string): DashboardInput {
  const node = get(r.properties as MapNode, 'DashboardBody');
  const body = node === undefined ? NO_VALUE : located(node, () => evaluate(node, scope));
  if (body === NO_VALUE) throw new Error('DashboardBody is required');
  // CloudFormation takes a string; a map written in the template is taken as its JSON (Stagecraft's choice).
  const text = typeof body === 'string' ? body : JSON.stringify(body);
  const name = scope.resourceRef(r.def.logicalId, synthetic({ Ref: r.def.logicalId }, r.def.path, r.def.loc));
  return { DashboardName: String(name), DashboardBody: text, Tags: [{ Key: STACK_TAG, Value: stackName }] };
}

/** Puts the dashboard; says whether it was new. */
export async function putDashboard(connection: ConnectionSettings, input: DashboardInput): Promise<'created' | 'updated'> {
  const existed = (await dashboardNames(connection, input.DashboardName)).includes(input.DashboardName);
  await cloudWatchCall(connection, 'PutDashboard', { ...input });
  return existed ? 'updated' : 'created';
}

interface DashboardEntry { DashboardName: string; DashboardArn: string }

async function dashboardEntries(connection: ConnectionSettings, prefix?: string): Promise<DashboardEntry[]> {
  const out: DashboardEntry[] = [];
  let NextToken: string | undefined;
  do {
    const page = await cloudWatchCall<{ DashboardEntries?: DashboardEntry[]; NextToken?: string }>(connection, 'ListDashboards', { DashboardNamePrefix: prefix, NextToken });
    out.push(...(page.DashboardEntries ?? []));
    NextToken = page.NextToken;
  } while (NextToken);
  return out;
}

const dashboardNames = async (connection: ConnectionSettings, prefix?: string) => (await dashboardEntries(connection, prefix)).map((d) => d.DashboardName);

/** Every dashboard's name and tags. */
export async function dashboardsWithTags(connection: ConnectionSettings): Promise<{ name: string; tags: Record<string, string> }[]> {
  return Promise.all((await dashboardEntries(connection)).map(async ({ DashboardName: name, DashboardArn: arn }) => {
    const { Tags } = await cloudWatchCall<{ Tags?: { Key: string; Value: string }[] }>(connection, 'ListTagsForResource', { ResourceARN: arn });
    return { name, tags: Object.fromEntries((Tags ?? []).map((t) => [t.Key, t.Value])) };
  }));
}

export async function deleteDashboard(connection: ConnectionSettings, name: string): Promise<void> {
  await cloudWatchCall(connection, 'DeleteDashboards', { DashboardNames: [name] });
}

/** Deletes the stack's dashboards that are not in `keep` (removed from the template); their names. */
export async function removeStaleDashboards(connection: ConnectionSettings, stackName: string, keep: ReadonlySet<string>): Promise<string[]> {
  const stale = (await dashboardsWithTags(connection)).filter((d) => d.tags[STACK_TAG] === stackName && !keep.has(d.name)).map((d) => d.name);
  for (const name of stale) await deleteDashboard(connection, name);
  return stale;
}
