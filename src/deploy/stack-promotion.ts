// Promoting a whole stack (every function of it from alias dev to alias prod) as one step, and
// undoing exactly that step. Each function the promotion moves records, in a tag on itself
// (`stagecraft:promotions:<alias>`, e.g. "lq3k0x2a1:1 lq3k9f0b2:2+3@0.1", newest last), the
// promotion's id and the state the alias had before; `rollback --stack` returns every function of
// the newest id to that state, so functions the promotion left alone are not touched. Like the
// per-alias history (aliases.ts), it lives on the functions, readable from any machine. The tag
// format and every decision are in stack-promotion-plan.ts, which the web console shares; this
// module reads and writes through Lambda.
import { DeleteAliasCommand, ListFunctionsCommand, ListTagsCommand, TagResourceCommand, UntagResourceCommand, type LambdaClient } from '@aws-sdk/client-lambda';
import { getAlias, moveAlias, readHistory, stateOf, writeHistory, type AliasState } from './aliases.js';
import { STACK_TAG } from './functions.js';
import { allMarkers } from './paging.js';
import { promote, type PromotionResult } from './promotion.js';
import { previewPromotion, type AliasPromotionPreview } from './promotion-preview.js';
import {
  checkStackPromotion, formatPromotions, historyAfterUndo, newPromotionId, nothingToPromote, parsePromotions, planStackFunction, planStackRollback, promotionsTag,
  stackNotFound, stackPromotionFailed, withPromotion, type SkippedFunction,
} from './stack-promotion-plan.js';

export { PROMOTIONS_TAG_PREFIX, promotionsTag, parsePromotions, formatPromotions, newPromotionId, withPromotion, type RecordedPromotion } from './stack-promotion-plan.js';

/** ListTags calls in flight at once while finding a stack's functions. */
const TAG_READS_AT_ONCE = 8;

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
  if (!functions.length) throw stackNotFound(stackName);
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
  skipped: SkippedFunction[];
}

/** Which functions a stack promotion would move, every check made (nothing is written). */
export interface StackPromotionPlan {
  functions: StackFunction[];
  /** Functions with alias --from, in name order. */
  planned: StackFunction[];
  /** Functions of the stack without alias --from: left alone. */
  skipped: SkippedFunction[];
}

/**
 * Everything a stack promotion checks before the first alias moves: the names, and for each
 * function with alias `from` that it can be promoted (not on $LATEST; for a canary, `to` exists).
 */
export async function planStackPromotion(lambda: LambdaClient, stackName: string, from: string, to: string, canary?: number): Promise<StackPromotionPlan> {
  checkStackPromotion(from, to);
  const functions = await requireStackFunctions(lambda, stackName);
  const skipped: SkippedFunction[] = [];
  const planned: StackFunction[] = [];
  for (const fn of functions) {
    const source = await getAlias(lambda, fn.name, from);
    const targetExists = source !== undefined && canary !== undefined && (await getAlias(lambda, fn.name, to)) !== undefined;
    const skip = planStackFunction({ stack: stackName, function: fn.name, from, to, canary, sourceVersion: source?.FunctionVersion, targetExists });
    if (skip) skipped.push(skip);
    else planned.push(fn);
  }
  if (!planned.length) throw nothingToPromote(stackName, from);
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
  skipped: SkippedFunction[];
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
      throw stackPromotionFailed(fn.name, e, await putBack(lambda, functions, promoted, to));
    }
  }
  for (const result of promoted) {
    if (result.action === 'unchanged') continue;
    const fn = functions.find((f) => f.name === result.function)!;
    await lambda.send(new TagResourceCommand({ Resource: fn.arn, Tags: { [promotionsTag(to)]: formatPromotions(withPromotion(parsePromotions(fn.tags[promotionsTag(to)]), id, result.before)) } }));
  }
  return { stack: stackName, id, from, to, canary, promoted, skipped };
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
  const kept = historyAfterUndo(history, state);
  if (kept.length < history.length) await writeHistory(lambda, fn.arn, alias, kept);
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
  const plan = planStackRollback(stackName, alias, functions);
  const rolledBack: StackRollbackResult['rolledBack'] = [];
  const kept: StackRollbackResult['kept'] = [];
  for (const { function: name, undo, rest } of plan.functions) {
    const fn = functions.find((f) => f.name === name)!;
    if (undo.before) {
      const before = await returnAlias(lambda, fn, alias, undo.before);
      rolledBack.push({ function: fn.name, before, after: undo.before });
    } else {
      const current = await getAlias(lambda, fn.name, alias);
      kept.push({ function: fn.name, state: current ? stateOf(current) : undefined });
    }
    if (rest.length) await lambda.send(new TagResourceCommand({ Resource: fn.arn, Tags: { [promotionsTag(alias)]: formatPromotions(rest) } }));
    else await lambda.send(new UntagResourceCommand({ Resource: fn.arn, TagKeys: [promotionsTag(alias)] }));
  }
  return { stack: stackName, alias, id: plan.id, rolledBack, kept, earlier: plan.earlier };
}
