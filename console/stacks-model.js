// The Stacks page's rows, free of the DOM and of the network: the stacks found from the functions'
// `stagecraft:stack` tags (the tag `stagecraft deploy` gives them), each with its functions, their
// aliases and traffic, the canaries running and the aliases a stack rollback can undo.
import { describeState, describeTraffic, percent, stateOf } from './model.js';
import { parsePromotions, planStackRollback, PROMOTIONS_TAG_PREFIX } from './stack-promotion-plan.js';

export const STACK_TAG = 'stagecraft:stack';

/**
 * One view per stack, by name, from each function's FunctionConfiguration, aliases and tags
 * (`loaded`: [{ fn, aliases, tags }]); functions without the tag are in no stack.
 */
export function stackViews(loaded) {
  const byStack = new Map();
  for (const { fn, aliases, tags } of loaded) {
    const stack = tags[STACK_TAG];
    if (!stack) continue;
    const rows = [...aliases].sort((a, b) => a.Name.localeCompare(b.Name)).map((a) => {
      const state = stateOf(a);
      return { name: a.Name, state, traffic: describeTraffic(state), canary: Object.values(state.weights).some((w) => w > 0) };
    });
    const view = { name: fn.FunctionName, arn: fn.FunctionArn.replace(/:\$LATEST$/, ''), tags, aliases: rows };
    byStack.set(stack, [...(byStack.get(stack) ?? []), view]);
  }
  return [...byStack.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([name, functions]) => {
    functions.sort((a, b) => a.name.localeCompare(b.name));
    const aliasNames = [...new Set(functions.flatMap((f) => f.aliases.map((a) => a.name)))].sort();
    const recorded = [...new Set(functions.flatMap((f) => Object.keys(f.tags)
      .filter((k) => k.startsWith(PROMOTIONS_TAG_PREFIX) && parsePromotions(f.tags[k]).length)
      .map((k) => k.slice(PROMOTIONS_TAG_PREFIX.length))))].sort();
    return {
      name,
      functions,
      aliasNames,
      /** Aliases of the stack with a canary running, and on which functions. */
      canaries: aliasNames.map((alias) => ({ alias, functions: functions.filter((f) => f.aliases.some((a) => a.name === alias && a.canary)).map((f) => f.name) })).filter((c) => c.functions.length),
      /** Aliases with a stack promotion recorded: what Roll back stack can undo. */
      recorded,
    };
  });
}

/**
 * The question Roll back stack asks: which aliases the newest promotion of `alias` returns (from
 * where they are now to where they were) and which it keeps (it created them).
 */
export function stackRollbackQuestion(stack, alias) {
  const plan = planStackRollback(stack.name, alias, stack.functions);
  const now = (name) => stack.functions.find((f) => f.name === name)?.aliases.find((a) => a.name === alias)?.state;
  const describe = (s) => (s ? describeState(s) : 'no alias');
  const returned = plan.functions.filter((f) => f.undo.before).map((f) => `${f.function}:${alias} to ${describeState(f.undo.before)} (now ${describe(now(f.function))})`);
  const kept = plan.functions.filter((f) => !f.undo.before).map((f) => `${f.function}:${alias}`);
  return [
    `Roll back the last promotion of stack ${stack.name} to ${alias}?`,
    returned.length ? `Returns ${returned.join('; ')}.` : 'It only created aliases: nothing is returned.',
    kept.length ? `Keeps ${kept.join(', ')} (created by that promotion, nothing to return to).` : '',
  ].filter(Boolean).join(' ');
}

/** The notice after a stack promotion, as `stagecraft promote --stack` says it. */
export function stackPromotionMessage(r) {
  const moved = r.promoted.filter((p) => p.action !== 'unchanged').length;
  if (!moved) return `Every function of stack ${r.stack} already runs what ${r.from} runs on ${r.to}; nothing to do.`;
  const what = r.canary !== undefined ? `now send ${percent(r.canary)} of their traffic to what ${r.from} runs` : `run what ${r.from} runs`;
  const next = r.canary !== undefined ? 'Finish it with Finish canary, or cancel it with Roll back stack.' : 'Undo it with Roll back stack.';
  return `Stack ${r.stack}: ${moved} alias${moved === 1 ? '' : 'es'} ${r.to} ${what}. ${next}`;
}

/** The notice after a stack rollback, as `stagecraft rollback --stack` says it. */
export function stackRollbackMessage(r) {
  const n = r.rolledBack.length;
  return [
    n ? `Rolled back the last promotion of stack ${r.stack} to ${r.alias} (${n} alias${n === 1 ? '' : 'es'}).` : `The last promotion of stack ${r.stack} to ${r.alias} only created aliases; there is nothing to return them to.`,
    r.kept.length ? `Kept the aliases it created (${r.kept.map((k) => k.function).join(', ')}).` : '',
    r.earlier ? 'Rolling back again undoes the promotion before it.' : '',
  ].filter(Boolean).join(' ');
}
