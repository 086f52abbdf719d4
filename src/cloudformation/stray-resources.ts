// What a stack's deploy left behind that its template no longer makes: a rolled-back update deploys
// the stable template again, and the functions and REST APIs the failed update added (with what
// hangs off them) are then deleted, as CloudFormation's UPDATE_ROLLBACK_COMPLETE_CLEANUP_IN_PROGRESS
// does. Layers, domains, usage plans and HTTP APIs are left as they are (the engine does not name
// them in its outcome); alarms, dashboards and log filters the engine removes itself.
import type { Deletion } from '../deploy/stack-deletions.js';

export interface KeptResources {
  /** Function names the stable template deploys. */
  functions: ReadonlySet<string>;
  /** REST API IDs the stable template deploys. */
  restApis: ReadonlySet<string>;
}

/** The deletions (of the stack's plan, `stagecraft delete`'s) of functions and REST APIs not kept, in the plan's order. */
export function strayDeletions(plan: readonly Deletion[], keep: KeptResources): Deletion[] {
  // Grants go with a stray REST API only (an HTTP API's grants are the plan's too, and stay).
  const strayApis = new Set(plan.flatMap((d) => (d.kind === 'rest-api' && !keep.restApis.has(d.id) ? [d.id] : [])));
  return plan.filter((d) => {
    switch (d.kind) {
      case 'function': case 'function-url': case 'event-invoke-config': case 'provisioned-concurrency': case 'alias':
        return !keep.functions.has(d.functionName);
      case 'rest-api': return strayApis.has(d.id);
      case 'api-grants': return strayApis.has(d.apiId);
      default: return false;
    }
  });
}
