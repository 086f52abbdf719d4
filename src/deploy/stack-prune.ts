// What a deploy deletes once everything else is in place, as CloudFormation's cleanup phase
// (UPDATE_COMPLETE_CLEANUP_IN_PROGRESS): the stack's resources that the template no longer has.
// The stack's resources are found as `stagecraft delete` finds them (stack-inventory.ts, by the
// stack's mark), so nothing another stack or anyone else made is touched; those the deploy just
// made or kept are left, and the rest is `stagecraft delete`'s plan for them (stack-deletions.ts).
// Domains, alarms, dashboards, log filters, permissions and the template's own usage plans are
// removed by the steps that deploy them; a function or API whose template said DeletionPolicy: Retain
// is kept and stops being the stack's; layer versions are kept (SAM's and CDK's Retain), unmarked.
import type { AwsClients } from './clients.js';
import { describeAwsError } from './errors.js';
import type { ChangeLog } from './progress.js';
import { layerMarkStatementId } from './layer-ownership.js';
import { describeDeletion, orderDeletions, planDeletions, type Deletion, type ServerInventory } from './stack-deletions.js';
import { readInventory } from './stack-inventory.js';
import { runDeletions, type DeletionOutcome } from './stack-delete.js';
import { LOGICAL_ID_TAG } from './template-usage-plans.js';

/** What the stack's template deploys now, named as the server names it. */
export interface KeptResources {
  /** Function names. */
  functions: ReadonlySet<string>;
  /** REST API IDs. */
  restApis: ReadonlySet<string>;
  /** HTTP API IDs. */
  httpApis: ReadonlySet<string>;
  /** Layer names. */
  layers: ReadonlySet<string>;
  /** IDs of the usage plans and API keys SAM's Auth.UsagePlan made (the template's own are synced by their logical IDs). */
  usagePlans: ReadonlySet<string>;
  apiKeys: ReadonlySet<string>;
}

/** The deletions that bring the stack's resources on the server down to `kept`, in dependency order. */
export function pruneDeletions(stackName: string, inventory: ServerInventory, kept: KeptResources): Deletion[] {
  const gone: ServerInventory = {
    ...inventory,
    domains: [], alarms: [], dashboards: [], metricFilters: [], subscriptionFilters: [], layers: [],
    functions: inventory.functions.filter((f) => !kept.functions.has(f.name)),
    restApis: inventory.restApis.filter((a) => !kept.restApis.has(a.id)),
    httpApis: inventory.httpApis.filter((a) => !kept.httpApis.has(a.id)),
    usagePlans: inventory.usagePlans.filter((p) => !kept.usagePlans.has(p.id) && !p.tags?.[LOGICAL_ID_TAG]),
    apiKeys: inventory.apiKeys.filter((k) => !kept.apiKeys.has(k.id) && !k.tags?.[LOGICAL_ID_TAG]),
  };
  const mark = layerMarkStatementId(stackName);
  const layerMarks: Deletion[] = inventory.layers.filter((l) => !kept.layers.has(l.name)).flatMap((l) => l.versions
    .filter((v) => v.statementIds.includes(mark))
    .map((v) => ({ kind: 'layer-mark' as const, layerName: l.name, version: v.version, statementId: mark })));
  return orderDeletions([...planDeletions(stackName, gone), ...layerMarks]);
}

/** Reads the server and carries out `pruneDeletions`, reporting each outcome; a failure doesn't stop the others. */
export async function pruneStack(clients: AwsClients, stackName: string, kept: KeptResources, report: (o: DeletionOutcome) => void): Promise<DeletionOutcome[]> {
  return runDeletions(clients, pruneDeletions(stackName, await readInventory(clients, stackName), kept), report);
}

/** Deletes what the template no longer has, as CloudFormation's cleanup does: a deletion that fails is a warning, not a failed deploy. */
export async function pruneRemoved(clients: AwsClients, stackName: string, kept: KeptResources, log: ChangeLog): Promise<void> {
  await pruneStack(clients, stackName, kept, (o) => {
    const what = describeDeletion(o.deletion);
    if (o.result === 'deleted') log.report({ subject: 'Cleanup', kind: 'removed', message: what });
    else if (o.result === 'failed') log.warn(`could not delete ${what}, which the template no longer has: ${describeAwsError(o.error)}; the next deploy tries again`);
  });
}
