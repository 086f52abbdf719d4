// Promoting a whole stack (every function of it from alias dev to alias prod) as one step, and
// undoing exactly that step. Each function the promotion moves records, in a tag on itself
// (`stagecraft:promotions:<alias>`, e.g. "lq3k0x2a1:1 lq3k9f0b2:2+3@0.1", newest last), the
// promotion's id and the state the alias had before; `rollback --stack` returns every function of
// the newest id to that state, so functions the promotion left alone are not touched. Like the
// per-alias history (aliases.ts), it lives on the functions, readable from any machine.
import { DeleteAliasCommand, ListFunctionsCommand, ListTagsCommand, TagResourceCommand, UntagResourceCommand, type LambdaClient } from '@aws-sdk/client-lambda';
import { formatState, getAlias, moveAlias, parseState, readHistory, sameState, stateOf, writeHistory, type AliasState } from './aliases.js';
import { STACK_TAG } from './functions.js';
import { allMarkers } from './paging.js';
import { promote, PromotionError, type PromotionResult } from './promotion.js';
import { previewPromotion, type AliasPromotionPreview } from './promotion-preview.js';

export const PROMOTIONS_TAG_PREFIX = 'stagecraft:promotions:';
const MAX_RECORDED = 8;
const MAX_TAG_VALUE = 256;
/** ListTags calls in flight at once while finding a stack's functions. */
const TAG_READS_AT_ONCE = 8;

export const promotionsTag = (alias: string): string => `${PROMOTIONS_TAG_PREFIX}${alias}`;

/** One recorded promotion of a function's alias: its id, and the alias's state before (undefined: the promotion created it). */
export interface RecordedPromotion {
  id: string;
  before: AliasState | undefined;
}

export function parsePromotions(value: string | undefined): RecordedPromotion[] {
  const out: RecordedPromotion[] = [];
  for (const entry of (value ?? '').split(' ')) {
    const colon = entry.indexOf(':');
    if (colon <= 0) continue;
    const state = entry.slice(colon + 1);
    const before = state === '-' ? undefined : parseState(state);
    if (state !== '-' && !before) continue;
    out.push({ id: entry.slice(0, colon), before });
  }
  return out;
}

export function formatPromotions(recorded: RecordedPromotion[]): string {
  let kept = recorded.slice(-MAX_RECORDED);
  const text = (list: RecordedPromotion[]) => list.map((r) => `${r.id}:${r.before ? formatState(r.before) : '-'}`).join(' ');
  while (kept.length && text(kept).length > MAX_TAG_VALUE) kept = kept.slice(1);
  return text(kept);
}

/** Ids that sort in the order promotions were made (milliseconds since 1970 in base 36, fixed width). */
export function newPromotionId(now = Date.now()): string {
  return now.toString(36).padStart(9, '0');
}

export interface StackFunction {
  name: string;
  /** The unqualified function ARN (tags live there). */
  arn: string;
  tags: Record<string, string>;
}

/** The functions tagged with the stack, by name. */
export async function stackFunctions(lambda: LambdaClient, stackName: string): Promise<StackFunction[]> {
  const all = await allMarkers((Marker) => lambda.send(new ListFunctionsCommand({ Marker })).then((p) => ({ items: p.Functions ?? [], next: p.NextMarker })));
  const found: StackFunction[] = [];
  for (let i = 0; i < all.length; i += TAG_READS_AT_ONCE) {
    await Promise.all(all.slice(i, i + TAG_READS_AT_ONCE).map(async (f) => {
      const arn = f.FunctionArn!.replace(/:\$LATEST$/, '');
      const tags = (await lambda.send(new ListTagsCommand({ Resource: arn }))).Tags ?? {};
      if (tags[STACK_TAG] === stackName) found.push({ name: f.FunctionName!, arn, tags });
    }));
  }
  return found.sort((a, b) => a.name.localeCompare(b.name));
}

async function requireStackFunctions(lambda: LambdaClient, stackName: string): Promise<StackFunction[]> {
  const functions = await stackFunctions(lambda, stackName);
  if (!functions.length) {
    throw new PromotionError(`no function belongs to stack ${stackName}`, 'Check the stack name (stagecraft.yml StackName, or the template directory\'s name) or deploy it first with `stagecraft deploy`.', 'StackNotFound');
  }
  return functions;
}

export interface StackPromotionResult {
  stack: string;
  id: string;
  from: string;
  to: string;
  canary?: number;
  /** Functions promoted (also those already running what --from runs: action unchanged). */
  promoted: PromotionResult[];
  /** Functions of the stack without alias --from: left alone. */
  skipped: StackPromotionPlan['skipped'];
}

/** Which functions a stack promotion would move, every check made (nothing is written). */
export interface StackPromotionPlan {
  functions: StackFunction[];
  /** Functions with alias --from, in name order. */
  planned: StackFunction[];
  /** Functions of the stack without alias --from: left alone. */
  skipped: { function: string; reason: string }[];
}

/**
 * Everything a stack promotion checks before the first alias moves: the names, and for each
 * function with alias `from` that it can be promoted (not on $LATEST; for a canary, `to` exists).
 */
export async function planStackPromotion(lambda: LambdaClient, stackName: string, from: string, to: string, canary?: number): Promise<StackPromotionPlan> {
  if (/^\d+$/.test(from) || from === '$LATEST') throw new PromotionError(`--from ${from} is not an alias name`, 'A stack is promoted between aliases its functions share, e.g. --from dev --to prod.');
  if (from === to) throw new PromotionError(`--from and --to are both ${to}`, 'Promote from one alias to another, e.g. --from dev --to prod.');
  if (/^\d+$/.test(to) || to === '$LATEST') throw new PromotionError(`--to ${to} is not an alias name`, 'Promote to an alias such as prod.');
  const functions = await requireStackFunctions(lambda, stackName);
  const skipped: StackPromotionPlan['skipped'] = [];
  const planned: StackFunction[] = [];
  for (const fn of functions) {
    const source = await getAlias(lambda, fn.name, from);
    if (!source) {
      skipped.push({ function: fn.name, reason: `has no alias ${from}` });
      continue;
    }
    if (source.FunctionVersion === '$LATEST') throw new PromotionError(`alias ${from} of ${fn.name} points at $LATEST, which can't be promoted`, 'Point it at a published version first (stagecraft deploy with AutoPublishAlias does). Nothing was changed.');
    if (canary !== undefined) {
      const target = await getAlias(lambda, fn.name, to);
      if (!target) throw new PromotionError(`alias ${to} of ${fn.name} doesn't exist yet, so there is no current version to share traffic with`, `Promote without --canary first: stagecraft promote --stack ${stackName} --from ${from} --to ${to}. Nothing was changed.`);
    }
    planned.push(fn);
  }
  if (!planned.length) throw new PromotionError(`no function of stack ${stackName} has alias ${from}`, `Deploy the stack (AutoPublishAlias: ${from}) first. Nothing was changed.`, 'ResourceNotFoundException');
  return { functions, planned, skipped };
}

/** The `promote --stack --dry-run` answer: each function's preview, as `promote <function> --dry-run` gives it. */
export interface StackPromotionPreview {
  dryRun: true;
  kind: 'stack';
  stack: string;
  from: string;
  to: string;
  functions: AliasPromotionPreview[];
  skipped: StackPromotionPlan['skipped'];
  changes: boolean;
}

export async function previewStackPromotion(lambda: LambdaClient, stackName: string, from: string, to: string, canary?: number): Promise<StackPromotionPreview> {
  const plan = await planStackPromotion(lambda, stackName, from, to, canary);
  const previews: AliasPromotionPreview[] = [];
  for (const fn of plan.planned) previews.push(await previewPromotion(lambda, fn.name, from, to, canary));
  return { dryRun: true, kind: 'stack', stack: stackName, from, to, functions: previews, skipped: plan.skipped, changes: previews.some((p) => p.changes) };
}

/**
 * Promotes every function of the stack that has alias `from`, after every check of
 * planStackPromotion; if a move still fails, the aliases already moved are put back, so the stack
 * is never left half promoted.
 */
export async function promoteStack(lambda: LambdaClient, stackName: string, from: string, to: string, canary?: number): Promise<StackPromotionResult> {
  const { functions, planned, skipped } = await planStackPromotion(lambda, stackName, from, to, canary);
  const id = newPromotionId();
  const promoted: PromotionResult[] = [];
  for (const fn of planned) {
    try {
      promoted.push(await promote(lambda, fn.name, from, to, canary));
    } catch (e) {
      const undone = await putBack(lambda, functions, promoted, to);
      const detail = e instanceof Error ? e.message : String(e);
      throw new PromotionError(
        `promoting ${fn.name} failed (${detail}); ${undone} function${undone === 1 ? '' : 's'} already promoted ${undone === 1 ? 'was' : 'were'} put back`,
        e instanceof PromotionError ? e.hint : 'Nothing of this promotion remains; fix the cause and promote again.',
        e instanceof PromotionError ? e.type : 'StackPromotionFailed',
      );
    }
  }
  for (const result of promoted) {
    if (result.action === 'unchanged') continue;
    const fn = functions.find((f) => f.name === result.function)!;
    await lambda.send(new TagResourceCommand({ Resource: fn.arn, Tags: { [promotionsTag(to)]: formatPromotions(withPromotion(parsePromotions(fn.tags[promotionsTag(to)]), id, result.before)) } }));
  }
  return { stack: stackName, id, from, to, canary, promoted, skipped };
}

/**
 * The recorded promotions with this one added. Finishing a canary records the version the canary
 * started from, and drops the canary's own entry: rolling back a finished canary returns to the
 * version before it (not to the split), as rolling back one alias does.
 */
export function withPromotion(recorded: RecordedPromotion[], id: string, before: AliasState | undefined): RecordedPromotion[] {
  if (!before || !Object.keys(before.weights).length) return [...recorded, { id, before }];
  const primary: AliasState = { version: before.version, weights: {} };
  const last = recorded[recorded.length - 1];
  const kept = last?.before && sameState(last.before, primary) ? recorded.slice(0, -1) : recorded;
  return [...kept, { id, before: primary }];
}

/** Undoes moves a failed stack promotion made: created aliases deleted, moved ones returned (and their history entry dropped). */
async function putBack(lambda: LambdaClient, functions: StackFunction[], done: PromotionResult[], alias: string): Promise<number> {
  let undone = 0;
  for (const result of done) {
    if (result.action === 'unchanged') continue;
    const fn = functions.find((f) => f.name === result.function)!;
    if (result.action === 'created') await lambda.send(new DeleteAliasCommand({ FunctionName: fn.name, Name: alias }));
    else await returnAlias(lambda, fn, alias, result.before!);
    undone++;
  }
  return undone;
}

/**
 * Moves the alias back to `state` without recording the move, and drops from the newest end of its
 * history what the undone promotion recorded there: that state, and canary splits starting from it.
 */
async function returnAlias(lambda: LambdaClient, fn: StackFunction, alias: string, state: AliasState): Promise<AliasState> {
  const move = await moveAlias(lambda, fn, alias, state, { record: false });
  const history = await readHistory(lambda, fn.arn, alias);
  let end = history.length;
  const undone = (s: AliasState) => sameState(s, state) || (Object.keys(s.weights).length > 0 && s.version === state.version);
  while (end > 0 && undone(history[end - 1])) end--;
  if (end < history.length) await writeHistory(lambda, fn.arn, alias, history.slice(0, end));
  return move.before ?? state;
}

export interface StackRollbackResult {
  stack: string;
  alias: string;
  /** The promotion undone. */
  id: string;
  rolledBack: { function: string; before: AliasState; after: AliasState }[];
  /** Aliases that promotion created: kept (there is nothing to return them to). */
  kept: { function: string; state: AliasState | undefined }[];
  /** Whether an earlier stack promotion of this alias is still recorded. */
  earlier: boolean;
}

/** Returns every function the newest recorded stack promotion of `alias` moved to where it was before. */
export async function rollbackStack(lambda: LambdaClient, stackName: string, alias: string): Promise<StackRollbackResult> {
  const functions = await requireStackFunctions(lambda, stackName);
  const recorded = new Map(functions.map((f) => [f.name, parsePromotions(f.tags[promotionsTag(alias)])]));
  const newestIds = [...recorded.values()].map((list) => list[list.length - 1]?.id).filter((id): id is string => id !== undefined);
  if (!newestIds.length) {
    throw new PromotionError(
      `no promotion of alias ${alias} is recorded for stack ${stackName} (it was never promoted with --stack, or every one was already rolled back)`,
      `Roll back one function instead: stagecraft rollback FUNCTION --alias ${alias}`,
      'NothingToRollBack',
    );
  }
  const id = newestIds.sort().at(-1)!;
  const rolledBack: StackRollbackResult['rolledBack'] = [];
  const kept: StackRollbackResult['kept'] = [];
  let earlier = false;
  for (const fn of functions) {
    const list = recorded.get(fn.name)!;
    const newest = list[list.length - 1];
    if (newest?.id !== id) {
      earlier ||= list.length > 0;
      continue;
    }
    const rest = list.slice(0, -1);
    earlier ||= rest.length > 0;
    if (newest.before) {
      const before = await returnAlias(lambda, fn, alias, newest.before);
      rolledBack.push({ function: fn.name, before, after: newest.before });
    } else {
      const current = await getAlias(lambda, fn.name, alias);
      kept.push({ function: fn.name, state: current ? stateOf(current) : undefined });
    }
    if (rest.length) await lambda.send(new TagResourceCommand({ Resource: fn.arn, Tags: { [promotionsTag(alias)]: formatPromotions(rest) } }));
    else await lambda.send(new UntagResourceCommand({ Resource: fn.arn, TagKeys: [promotionsTag(alias)] }));
  }
  return { stack: stackName, alias, id, rolledBack, kept, earlier };
}
