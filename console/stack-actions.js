// A whole stack's promotion, its preview and its rollback, as `stagecraft promote --stack` and
// `stagecraft rollback --stack` do them (src/deploy/stack-promotion.ts), through the console's
// client (api.js). Every decision, message and the record each moved function keeps (its tag
// stagecraft:promotions:<alias>) come from the CLI's own module (stack-promotion-plan.ts, compiled
// and served beside these files), so a promotion made here is rolled back by the CLI and the
// other way round. Each function's preview is the Promote button's (promotion-preview.js).
import {
  checkStackPromotion, formatPromotions, historyAfterUndo, newPromotionId, nothingToPromote, parsePromotions, planStackFunction, planStackRollback,
  promotionsTag, stackNotFound, stackPromotionFailed, withPromotion,
} from './stack-promotion-plan.js';
import { previewFunctionPromotion } from './promotion-preview.js';
import { formatHistory, historyTag, parseHistory, sameState, stateOf } from './model.js';
import { STACK_TAG } from './stacks-model.js';

/** The functions tagged with the stack ({ name, arn, tags }), by name. */
export async function stackFunctions(client, stack) {
  const found = [];
  for (const f of await client.listFunctions()) {
    const arn = f.FunctionArn.replace(/:\$LATEST$/, '');
    const tags = await client.listTags(arn);
    if (tags[STACK_TAG] === stack) found.push({ name: f.FunctionName, arn, tags });
  }
  if (!found.length) throw stackNotFound(stack);
  return found.sort((a, b) => a.name.localeCompare(b.name));
}

/** Everything checked before the first alias moves: which functions move and which are skipped. */
export async function planStackPromotion(client, stack, from, to, canary) {
  checkStackPromotion(from, to);
  const functions = await stackFunctions(client, stack);
  const planned = [];
  const skipped = [];
  for (const fn of functions) {
    const source = await client.getAlias(fn.name, from);
    const targetExists = source !== undefined && canary !== undefined && (await client.getAlias(fn.name, to)) !== undefined;
    const skip = planStackFunction({ stack, function: fn.name, from, to, canary, sourceVersion: source?.FunctionVersion, targetExists });
    if (skip) skipped.push(skip);
    else planned.push(fn);
  }
  if (!planned.length) throw nothingToPromote(stack, from);
  return { functions, planned, skipped };
}

/** What promoteStack would do, in the shape of `stagecraft promote --stack --dry-run --json`. */
export async function previewStackPromotion(client, stack, from, to, canary) {
  const plan = await planStackPromotion(client, stack, from, to, canary);
  const previews = [];
  for (const fn of plan.planned) previews.push(await previewFunctionPromotion(client, fn.name, from, to, canary));
  return { dryRun: true, kind: 'stack', stack, from, to, functions: previews, skipped: plan.skipped, changes: previews.some((p) => p.changes) };
}

/**
 * Moves alias `alias` back to `state` without recording the move, and drops from its own history
 * what the undone promotion recorded there; answers where the alias was.
 */
async function returnAlias(client, fn, alias, state) {
  const current = await client.getAlias(fn.name, alias);
  if (!current) await client.createAlias(fn.name, alias, state.version, state.weights);
  else if (!sameState(stateOf(current), state)) await client.updateAlias(fn.name, alias, state.version, state.weights, current.RevisionId);
  const history = parseHistory((await client.listTags(fn.arn))[historyTag(alias)]);
  const kept = historyAfterUndo(history, state);
  if (kept.length < history.length) {
    const value = formatHistory(kept);
    if (value === undefined) await client.untagResource(fn.arn, [historyTag(alias)]);
    else await client.tagResource(fn.arn, { [historyTag(alias)]: value });
  }
  return current ? stateOf(current) : state;
}

/** Undoes what a failed stack promotion already did: created aliases deleted, moved ones returned. */
async function putBack(client, functions, done, alias) {
  let undone = 0;
  for (const result of done) {
    if (result.action === 'unchanged') continue;
    const fn = functions.find((f) => f.name === result.function);
    if (result.action === 'created') await client.deleteAlias(fn.name, alias);
    else await returnAlias(client, fn, alias, result.before);
    undone++;
  }
  return undone;
}

/** Promotes every function of the stack that has alias `from`; all or nothing, recorded for rollbackStack. */
export async function promoteStack(client, stack, from, to, canary) {
  const { functions, planned, skipped } = await planStackPromotion(client, stack, from, to, canary);
  const id = newPromotionId();
  const promoted = [];
  for (const fn of planned) {
    try {
      promoted.push(await client.promote(fn.name, from, to, canary));
    } catch (e) {
      throw stackPromotionFailed(fn.name, e, await putBack(client, functions, promoted, to));
    }
  }
  for (const result of promoted) {
    if (result.action === 'unchanged') continue;
    const fn = functions.find((f) => f.name === result.function);
    const recorded = withPromotion(parsePromotions(fn.tags[promotionsTag(to)]), id, result.before);
    await client.tagResource(fn.arn, { [promotionsTag(to)]: formatPromotions(recorded) });
  }
  return { stack, id, from, to, canary, promoted, skipped };
}

/** Returns every function the newest recorded promotion of `alias` moved to where it was before. */
export async function rollbackStack(client, stack, alias) {
  const functions = await stackFunctions(client, stack);
  const plan = planStackRollback(stack, alias, functions);
  const rolledBack = [];
  const kept = [];
  for (const { function: name, undo, rest } of plan.functions) {
    const fn = functions.find((f) => f.name === name);
    if (undo.before) {
      rolledBack.push({ function: name, before: await returnAlias(client, fn, alias, undo.before), after: undo.before });
    } else {
      const current = await client.getAlias(name, alias);
      kept.push({ function: name, state: current ? stateOf(current) : undefined });
    }
    if (rest.length) await client.tagResource(fn.arn, { [promotionsTag(alias)]: formatPromotions(rest) });
    else await client.untagResource(fn.arn, [promotionsTag(alias)]);
  }
  return { stack, alias, id: plan.id, rolledBack, kept, earlier: plan.earlier };
}
