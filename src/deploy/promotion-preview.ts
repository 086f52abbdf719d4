// `stagecraft promote <fn> --dry-run`: what promoting alias --from to alias --to would change,
// read from the server with the same planning the promotion uses, and nothing written.
import { GetFunctionConfigurationCommand, type LambdaClient } from '@aws-sdk/client-lambda';
import { sameState, stateOf, type AliasState } from './aliases.js';
import { diffFunctionConfigurations, type FunctionConfigurationDiff } from './function-config-diff.js';
import { pendingApiGatewayGrants, type GrantToCopy } from './permissions.js';
import { planAliasPromotion } from './promotion.js';

/** The `--dry-run --json` answer for a function (documented in docs/cli.md). */
export interface AliasPromotionPreview {
  dryRun: true;
  kind: 'function';
  function: string;
  from: string;
  to: string;
  /** The version --from runs (or names). */
  source: { ref: string; version: string };
  /** create: --to doesn't exist yet; canary: --to would split its traffic; move: all of it moves. */
  action: 'create' | 'move' | 'canary' | 'unchanged';
  /** Where --to points now (null when it doesn't exist). */
  current: AliasState | null;
  /** Where --to would point. */
  target: AliasState;
  /** From the version --to runs now to the one promoted; null when they are the same version or --to is new. */
  configuration: (FunctionConfigurationDiff & { fromVersion: string; toVersion: string }) | null;
  /** API Gateway grants of --from that --to would be given. */
  permissions: GrantToCopy[];
  /** False when the promotion would change nothing at all. */
  changes: boolean;
}

async function configurationOf(lambda: LambdaClient, fn: string, version: string): Promise<Record<string, unknown>> {
  return { ...(await lambda.send(new GetFunctionConfigurationCommand({ FunctionName: fn, Qualifier: version }))) } as Record<string, unknown>;
}

export async function previewPromotion(lambda: LambdaClient, fn: string, from: string, to: string, canary?: number): Promise<AliasPromotionPreview> {
  const plan = await planAliasPromotion(lambda, fn, from, to, canary);
  const current = plan.current ? stateOf(plan.current) : null;
  const action = !current ? 'create' : sameState(current, plan.target) ? 'unchanged' : Object.keys(plan.target.weights).length ? 'canary' : 'move';
  let configuration: AliasPromotionPreview['configuration'] = null;
  if (current && current.version !== plan.source.version) {
    const [before, after] = await Promise.all([configurationOf(lambda, fn, current.version), configurationOf(lambda, fn, plan.source.version)]);
    configuration = { fromVersion: current.version, toVersion: plan.source.version, ...diffFunctionConfigurations(before, after) };
  }
  // Grants are copied only from an alias, as promote does.
  const permissions = plan.source.alias ? await pendingApiGatewayGrants(lambda, fn, from, to) : [];
  return {
    dryRun: true, kind: 'function', function: fn, from, to, source: { ref: from, version: plan.source.version },
    action, current, target: plan.target, configuration, permissions, changes: action !== 'unchanged' || permissions.length > 0,
  };
}
