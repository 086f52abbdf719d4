// Promotion between aliases (dev → prod), optionally as a canary (a weighted alias), and rollback
// to the state recorded before the last move.
import { GetFunctionCommand, GetFunctionConfigurationCommand, type AliasConfiguration, type LambdaClient } from '@aws-sdk/client-lambda';
import { describeState, getAlias, moveAlias, readHistory, sameState, stateOf, writeHistory, type AliasState } from './aliases.js';
import { isNotFound } from './errors.js';
import { PromotionError } from './promotion-error.js';
import { copyApiGatewayGrants } from './permissions.js';

export { PromotionError };

export interface PromotionResult {
  function: string;
  alias: string;
  source: { ref: string; version: string };
  action: 'created' | 'moved' | 'unchanged';
  before?: AliasState;
  after: AliasState;
  /** API Gateway grants copied from the source alias. */
  grantsCopied: number;
}

export interface RollbackResult {
  function: string;
  alias: string;
  before: AliasState;
  after: AliasState;
  /** States still recorded (older ones), newest last. */
  remaining: AliasState[];
}

/** Parses 10%, 10 or 0.1 into a weight between 0 and 1 (exclusive). */
export function parseCanary(text: string): number {
  const t = text.trim();
  let w: number;
  if (t.endsWith('%')) w = Number(t.slice(0, -1)) / 100;
  else {
    const n = Number(t);
    w = n > 0 && n < 1 ? n : n / 100;
  }
  if (!Number.isFinite(w) || w <= 0 || w >= 1) throw new PromotionError(`--canary '${text}' is not a share of traffic between 0% and 100% (exclusive)`, 'Write it as a percentage, e.g. --canary 10%.');
  return Math.round(w * 10000) / 10000;
}

async function functionArnOf(lambda: LambdaClient, name: string): Promise<string> {
  try {
    const out = await lambda.send(new GetFunctionCommand({ FunctionName: name }));
    return out.Configuration!.FunctionArn!.replace(/:\$LATEST$/, '');
  } catch (e) {
    if (isNotFound(e)) throw new PromotionError(`function ${name} does not exist`, 'Check the name with `stagecraft status`, or deploy it first with `stagecraft deploy`.', 'ResourceNotFoundException');
    throw e;
  }
}

async function requireAlias(lambda: LambdaClient, fn: string, alias: string, role: string): Promise<AliasConfiguration> {
  const a = await getAlias(lambda, fn, alias);
  if (!a) throw new PromotionError(`function ${fn} has no alias ${alias} (${role})`, `See its aliases with \`stagecraft status ${fn}\`.`, 'ResourceNotFoundException');
  return a;
}

/** The version `ref` (an alias or a version number) runs. */
async function resolveSource(lambda: LambdaClient, fn: string, ref: string): Promise<{ version: string; alias?: AliasConfiguration }> {
  if (ref === '$LATEST') throw new PromotionError('aliases are promoted to published versions, not $LATEST', `Publish one with \`stagecraft deploy\` (AutoPublishAlias) or \`aws lambda publish-version --function-name ${fn}\`.`);
  if (/^\d+$/.test(ref)) {
    try {
      await lambda.send(new GetFunctionConfigurationCommand({ FunctionName: fn, Qualifier: ref }));
    } catch (e) {
      if (isNotFound(e)) throw new PromotionError(`function ${fn} has no version ${ref}`, `See its versions with \`aws lambda list-versions-by-function --function-name ${fn}\`.`, 'ResourceNotFoundException');
      throw e;
    }
    return { version: ref };
  }
  const alias = await requireAlias(lambda, fn, ref, '--from');
  if (alias.FunctionVersion === '$LATEST') throw new PromotionError(`alias ${ref} points at $LATEST, which can't be promoted`, 'Point it at a published version first (stagecraft deploy with AutoPublishAlias does).');
  return { version: alias.FunctionVersion!, alias };
}

/** What a promotion would do, read from the server without changing anything. */
export interface AliasPromotionPlan {
  arn: string;
  source: { version: string; alias?: AliasConfiguration };
  current?: AliasConfiguration;
  target: AliasState;
}

export async function planAliasPromotion(lambda: LambdaClient, fn: string, from: string, to: string, canary?: number): Promise<AliasPromotionPlan> {
  if (from === to) throw new PromotionError(`--from and --to are both ${to}`, 'Promote from one alias to another, e.g. --from dev --to prod.');
  if (/^\d+$/.test(to) || to === '$LATEST') throw new PromotionError(`--to ${to} is not an alias name`, 'Promote to an alias such as prod.');
  const arn = await functionArnOf(lambda, fn);
  const source = await resolveSource(lambda, fn, from);
  const current = await getAlias(lambda, fn, to);
  let target: AliasState;
  if (canary !== undefined) {
    if (!current) {
      throw new PromotionError(`alias ${to} doesn't exist yet, so there is no current version to share traffic with`, `Promote without --canary first: stagecraft promote ${fn} --from ${from} --to ${to}`);
    }
    const primary = current.FunctionVersion!;
    if (primary === '$LATEST') throw new PromotionError(`alias ${to} points at $LATEST, which can't share traffic with a version`, `Promote fully first: stagecraft promote ${fn} --from ${from} --to ${to}`);
    target = primary === source.version ? { version: primary, weights: {} } : { version: primary, weights: { [source.version]: canary } };
  } else {
    target = { version: source.version, weights: {} };
  }
  return { arn, source, current, target };
}

export async function promote(lambda: LambdaClient, fn: string, from: string, to: string, canary?: number): Promise<PromotionResult> {
  const { arn, source, current, target } = await planAliasPromotion(lambda, fn, from, to, canary);
  const move = await moveAlias(lambda, { name: fn, arn }, to, target, { current: current ?? null });
  const grantsCopied = source.alias ? await copyApiGatewayGrants(lambda, fn, from, to) : 0;
  return { function: fn, alias: to, source: { ref: from, version: source.version }, action: move.action, before: move.before, after: move.after, grantsCopied };
}

export async function rollback(lambda: LambdaClient, fn: string, alias: string, toVersion?: string): Promise<RollbackResult> {
  const arn = await functionArnOf(lambda, fn);
  const current = await requireAlias(lambda, fn, alias, '--alias');
  const before = stateOf(current);
  const history = await readHistory(lambda, arn, alias);
  let target: AliasState | undefined;
  if (toVersion !== undefined) {
    if (!/^\d+$/.test(toVersion)) throw new PromotionError(`--to ${toVersion} is not a version number`, 'Pass the version to return to, e.g. --to 3.');
    await resolveSource(lambda, fn, toVersion);
    target = { version: toVersion, weights: {} };
  } else {
    // The previous full version: canary states in between are passed over (rolling back a
    // finished canary returns to the version before it, not to the 90/10 split).
    while (history.length) {
      const s = history.pop()!;
      if (!Object.keys(s.weights).length && !sameState(s, before)) {
        target = s;
        break;
      }
    }
    if (!target) {
      throw new PromotionError(
        `no earlier version is recorded for alias ${alias} of ${fn}, which runs ${describeState(before)} (it was never moved, or every move was already rolled back)`,
        `Pass the version explicitly: stagecraft rollback ${fn} --alias ${alias} --to VERSION`,
        'NothingToRollBack',
      );
    }
  }
  const move = await moveAlias(lambda, { name: fn, arn }, alias, target, { current, record: toVersion !== undefined });
  if (toVersion === undefined) await writeHistory(lambda, arn, alias, history);
  return { function: fn, alias, before, after: move.after, remaining: toVersion === undefined ? history : await readHistory(lambda, arn, alias) };
}
