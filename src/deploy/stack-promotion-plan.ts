// The decisions of a stack promotion and its rollback, free of I/O, so `stagecraft promote --stack`
// (stack-promotion.ts) and the web console's Stacks page (console/stack-actions.js, which loads
// this module compiled, see src/server/console.ts) decide alike, say it alike and keep the same
// record: each function a promotion moves records, in its tag `stagecraft:promotions:<alias>`
// (e.g. "lq3k0x2a1:- lq3k9f0b2:2+3@0.1", newest last), the promotion's id and the state the alias
// had before ("-": the promotion created it).
import { formatState, parseState, sameState, type AliasState } from './alias-state.js';
import { PromotionError } from './promotion-error.js';

export const PROMOTIONS_TAG_PREFIX = 'stagecraft:promotions:';
const MAX_RECORDED = 8;
const MAX_TAG_VALUE = 256;

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

/** A function of the stack left alone by a promotion, and why. */
export interface SkippedFunction {
  function: string;
  reason: string;
}

/** Refuses names a stack promotion can't be made between, before anything is read. */
export function checkStackPromotion(from: string, to: string): void {
  if (/^\d+$/.test(from) || from === '$LATEST') throw new PromotionError(`--from ${from} is not an alias name`, 'A stack is promoted between aliases its functions share, e.g. --from dev --to prod.');
  if (from === to) throw new PromotionError(`--from and --to are both ${to}`, 'Promote from one alias to another, e.g. --from dev --to prod.');
  if (/^\d+$/.test(to) || to === '$LATEST') throw new PromotionError(`--to ${to} is not an alias name`, 'Promote to an alias such as prod.');
}

export function stackNotFound(stack: string): PromotionError {
  return new PromotionError(`no function belongs to stack ${stack}`, 'Check the stack name (stagecraft.yml StackName, or the template directory\'s name) or deploy it first with `stagecraft deploy`.', 'StackNotFound');
}

/**
 * What a stack promotion does with one function, given the version its alias `from` runs
 * (undefined: it has no such alias) and whether its alias `to` exists: skip it (the reason), or
 * promote it (undefined). What can't be promoted refuses the whole promotion.
 */
export function planStackFunction(args: { stack: string; function: string; from: string; to: string; canary?: number; sourceVersion: string | undefined; targetExists: boolean }): SkippedFunction | undefined {
  const { stack, from, to } = args;
  if (args.sourceVersion === undefined) return { function: args.function, reason: `has no alias ${from}` };
  if (args.sourceVersion === '$LATEST') throw new PromotionError(`alias ${from} of ${args.function} points at $LATEST, which can't be promoted`, 'Point it at a published version first (stagecraft deploy with AutoPublishAlias does). Nothing was changed.');
  if (args.canary !== undefined && !args.targetExists) {
    throw new PromotionError(`alias ${to} of ${args.function} doesn't exist yet, so there is no current version to share traffic with`, `Promote without --canary first: stagecraft promote --stack ${stack} --from ${from} --to ${to}. Nothing was changed.`);
  }
  return undefined;
}

export function nothingToPromote(stack: string, from: string): PromotionError {
  return new PromotionError(`no function of stack ${stack} has alias ${from}`, `Deploy the stack (AutoPublishAlias: ${from}) first. Nothing was changed.`, 'ResourceNotFoundException');
}

/** A refusal with its own hint and type: a PromotionError, or the console's error of the same shape. */
function isRefusal(error: unknown): error is { hint?: string; type: string } {
  if (error instanceof PromotionError) return true;
  const e = error as { hint?: unknown; type?: unknown } | null;
  return typeof e === 'object' && e !== null && typeof e.hint === 'string' && typeof e.type === 'string';
}

/** The error of a move that failed after `undone` aliases already moved were put back. */
export function stackPromotionFailed(fn: string, error: unknown, undone: number): PromotionError {
  const detail = error instanceof Error ? error.message : String(error);
  return new PromotionError(
    `promoting ${fn} failed (${detail}); ${undone} function${undone === 1 ? '' : 's'} already promoted ${undone === 1 ? 'was' : 'were'} put back`,
    isRefusal(error) ? error.hint : 'Nothing of this promotion remains; fix the cause and promote again.',
    isRefusal(error) ? error.type : 'StackPromotionFailed',
  );
}

/**
 * An alias's own history (`stagecraft:previous:<alias>`) once a stack promotion that moved it from
 * `state` is undone: what that promotion recorded at the newest end — that state, and canary
 * splits starting from it — is dropped.
 */
export function historyAfterUndo(history: AliasState[], state: AliasState): AliasState[] {
  let end = history.length;
  const undone = (s: AliasState) => sameState(s, state) || (Object.keys(s.weights).length > 0 && s.version === state.version);
  while (end > 0 && undone(history[end - 1])) end--;
  return history.slice(0, end);
}

/** What rolling back a stack's alias undoes: the newest recorded promotion, function by function. */
export interface StackRollbackPlan {
  id: string;
  /** Each function that promotion moved (name order kept): its entry, and the entries left after it. */
  functions: { function: string; undo: RecordedPromotion; rest: RecordedPromotion[] }[];
  /** Whether an earlier stack promotion of this alias is still recorded. */
  earlier: boolean;
}

/** The newest promotion of `alias` recorded on the stack's functions (their tags), and which functions it moved. */
export function planStackRollback(stack: string, alias: string, functions: { name: string; tags: Record<string, string> }[]): StackRollbackPlan {
  const recorded = functions.map((f) => ({ name: f.name, list: parsePromotions(f.tags[promotionsTag(alias)]) }));
  const newestIds = recorded.map((r) => r.list[r.list.length - 1]?.id).filter((id): id is string => id !== undefined);
  if (!newestIds.length) {
    throw new PromotionError(
      `no promotion of alias ${alias} is recorded for stack ${stack} (it was never promoted with --stack, or every one was already rolled back)`,
      `Roll back one function instead: stagecraft rollback FUNCTION --alias ${alias}`,
      'NothingToRollBack',
    );
  }
  const id = newestIds.sort().at(-1)!;
  const moved: StackRollbackPlan['functions'] = [];
  let earlier = false;
  for (const { name, list } of recorded) {
    const newest = list[list.length - 1];
    if (newest?.id !== id) {
      earlier ||= list.length > 0;
      continue;
    }
    const rest = list.slice(0, -1);
    earlier ||= rest.length > 0;
    moved.push({ function: name, undo: newest, rest });
  }
  return { id, functions: moved, earlier };
}
