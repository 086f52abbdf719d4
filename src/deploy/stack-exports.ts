// Cross-stack references for `stagecraft deploy`, as CloudFormation makes them: the region's
// exports are read from the server before anything is deployed (Fn::ImportValue resolves from
// them; an unknown one fails the deploy), and once the stack is deployed its exported outputs and
// what it imports are recorded there (src/cloudformation/stack-exports.ts), where the next deploys
// of every stack find them.
import { STACK_EXPORTS_PATH, type StackExportsListing, type StackExportsRecord } from '../cloudformation/stack-exports.js';
import type { StackExport } from '../store/stack-exports-store.js';
import { signedFetch, type ConnectionSettings } from './clients.js';
import { NotAnAwsAnswerError } from './errors.js';
import { evaluate, intrinsicName, type Scope } from './intrinsics.js';
import type { Issues } from './issues.js';
import type { StackModel } from './stack-model.js';
import type { MapNode, TNode } from './source.js';

export type { StackExport };

async function answerOf(res: Response, action: string): Promise<StackExportsListing> {
  const type = res.headers.get('content-type') ?? undefined;
  // Another web server on the port (or no Stagecraft): said as the AWS calls say it.
  if (!type?.startsWith('application/json')) throw new NotAnAwsAnswerError(res.status, type);
  const body = await res.json().catch(() => ({})) as Partial<StackExportsListing> & { message?: string };
  if (!res.ok || !Array.isArray(body.exports)) throw new Error(body.message ?? `${action}: the server answered ${res.status}`);
  return body as StackExportsListing;
}

/** The region's exports, each with the stacks importing it. */
export async function readExports(connection: ConnectionSettings): Promise<StackExport[]> {
  const url = new URL(STACK_EXPORTS_PATH, connection.endpoint);
  url.searchParams.set('region', connection.region);
  return (await answerOf(await signedFetch(connection, 'cloudformation', url, { method: 'GET' }), 'reading the stack exports')).exports;
}

/** Makes the stack's exports and imports these; the server refuses (with CloudFormation's message) what CloudFormation would. */
export async function recordExports(connection: ConnectionSettings, record: Omit<StackExportsRecord, 'region'>): Promise<StackExport[]> {
  const url = new URL(STACK_EXPORTS_PATH, connection.endpoint);
  const body = JSON.stringify({ ...record, region: connection.region } satisfies StackExportsRecord);
  return (await answerOf(await signedFetch(connection, 'cloudformation', url, { method: 'POST', body }), 'recording the stack exports')).exports;
}

/** Whether the server knows the stack as exporting or importing anything (so that a template without either clears it). */
export const involves = (current: readonly StackExport[], stackName: string): boolean => current.some((e) => e.stackName === stackName || e.importers.includes(stackName));

/**
 * The export names the stack's Fn::ImportValue name (in its deployed resources and outputs); one
 * the region doesn't export is an issue with CloudFormation's message, at the template's line.
 */
export function templateImports(model: StackModel, scope: Scope, exported: ReadonlySet<string>, issues: Issues): string[] {
  const names = new Set<string>();
  const visit = (node: TNode): void => {
    if (node.kind === 'seq') node.items.forEach(visit);
    if (node.kind !== 'map') return;
    if (intrinsicName(node) !== 'Fn::ImportValue') {
      for (const e of node.entries) visit(e.value);
      return;
    }
    const arg = (node as MapNode).entries[0].value;
    const name = issues.collect(() => evaluate(arg, scope));
    if (typeof name !== 'string') return;
    names.add(name);
    if (!exported.has(name)) issues.error(`No export named ${name} found`, node.path, node.loc);
  };
  for (const r of [...model.resources, ...model.others.values()]) visit(r.properties);
  for (const o of model.template.outputs) if (!o.condition || issues.collect(() => model.condition(o.condition!, o.value, scope))) visit(o.value);
  return [...names];
}
