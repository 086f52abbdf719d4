import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  checkStackPromotion, formatPromotions, historyAfterUndo, newPromotionId, nothingToPromote, parsePromotions, planStackFunction, planStackRollback,
  promotionsTag, stackNotFound, stackPromotionFailed, withPromotion,
} from './stack-promotion-plan.js';
import { PromotionError } from './promotion-error.js';

const v = (version: string, weights: Record<string, number> = {}) => ({ version, weights });
const refused = (re: RegExp, type = 'InvalidRequest') => (e: unknown) => e instanceof PromotionError && re.test(e.message) && e.type === type;

test('the promotions tag reads and writes ids with the state before, newest last, skipping what it cannot read', () => {
  assert.equal(promotionsTag('prod'), 'stagecraft:promotions:prod');
  const value = 'a00000001:- a00000002:1 a00000003:2+3@0.1';
  assert.deepEqual(parsePromotions(value), [{ id: 'a00000001', before: undefined }, { id: 'a00000002', before: v('1') }, { id: 'a00000003', before: v('2', { 3: 0.1 }) }]);
  assert.equal(formatPromotions(parsePromotions(value)), value);
  assert.deepEqual(parsePromotions('x:banana :1 a00000004:7'), [{ id: 'a00000004', before: v('7') }]);
  assert.deepEqual(parsePromotions(undefined), []);
});

test('the tag keeps the newest 8 entries, and fewer when they would pass 256 characters', () => {
  const many = Array.from({ length: 12 }, (_, i) => ({ id: newPromotionId(1_700_000_000_000 + i), before: v(String(i)) }));
  assert.deepEqual(parsePromotions(formatPromotions(many)).map((r) => r.before?.version), ['4', '5', '6', '7', '8', '9', '10', '11']);
  const wide = Array.from({ length: 8 }, (_, i) => ({ id: newPromotionId(1_700_000_000_000 + i), before: v('1', { 2: 0.123456, 3: 0.234567 }) }));
  const text = formatPromotions(wide);
  assert.ok(text.length <= 256 && text.length > 200, text);
  assert.equal(parsePromotions(text).at(-1)!.id, wide.at(-1)!.id);
});

test('promotion ids are fixed width and sort in time order', () => {
  assert.equal(newPromotionId(0), '000000000');
  assert.equal(newPromotionId(1_700_000_000_000).length, 9);
  assert.ok(newPromotionId(1_700_000_000_000) < newPromotionId(1_800_000_000_000));
});

test('finishing a canary records the version it started from, replacing the canary\'s own entry', () => {
  const canaryStarted = withPromotion([{ id: 'a1', before: undefined }], 'a2', v('1'));
  assert.deepEqual(canaryStarted, [{ id: 'a1', before: undefined }, { id: 'a2', before: v('1') }]);
  assert.deepEqual(withPromotion(canaryStarted, 'a3', v('1', { 2: 0.1 })), [{ id: 'a1', before: undefined }, { id: 'a3', before: v('1') }]);
  // A split the stack promotion did not start (made by hand) is recorded as its primary version, after what is there.
  assert.deepEqual(withPromotion([{ id: 'a1', before: v('4') }], 'a2', v('5', { 6: 0.5 })), [{ id: 'a1', before: v('4') }, { id: 'a2', before: v('5') }]);
  assert.deepEqual(withPromotion([], 'a1', undefined), [{ id: 'a1', before: undefined }]);
});

test('names a stack promotion refuses before reading anything', () => {
  assert.throws(() => checkStackPromotion('3', 'prod'), refused(/^--from 3 is not an alias name$/));
  assert.throws(() => checkStackPromotion('$LATEST', 'prod'), refused(/^--from \$LATEST is not an alias name$/));
  assert.throws(() => checkStackPromotion('dev', 'dev'), refused(/^--from and --to are both dev$/));
  assert.throws(() => checkStackPromotion('dev', '7'), refused(/^--to 7 is not an alias name$/));
  assert.doesNotThrow(() => checkStackPromotion('dev', 'prod'));
  assert.equal(stackNotFound('shop').type, 'StackNotFound');
  assert.match(stackNotFound('shop').message, /^no function belongs to stack shop$/);
  assert.equal(nothingToPromote('shop', 'dev').type, 'ResourceNotFoundException');
  assert.match(nothingToPromote('shop', 'dev').hint!, /AutoPublishAlias: dev.*Nothing was changed\./);
});

test('each function is promoted, skipped without the source alias, or refuses the whole promotion', () => {
  const base = { stack: 'shop', function: 'shop-a', from: 'dev', to: 'prod' };
  assert.equal(planStackFunction({ ...base, sourceVersion: '2', targetExists: false }), undefined);
  assert.deepEqual(planStackFunction({ ...base, sourceVersion: undefined, targetExists: true }), { function: 'shop-a', reason: 'has no alias dev' });
  assert.throws(() => planStackFunction({ ...base, sourceVersion: '$LATEST', targetExists: true }), refused(/^alias dev of shop-a points at \$LATEST, which can't be promoted$/));
  assert.throws(() => planStackFunction({ ...base, canary: 0.1, sourceVersion: '2', targetExists: false }), (e: unknown) => e instanceof PromotionError
    && e.message === "alias prod of shop-a doesn't exist yet, so there is no current version to share traffic with"
    && e.hint === 'Promote without --canary first: stagecraft promote --stack shop --from dev --to prod. Nothing was changed.');
  assert.equal(planStackFunction({ ...base, canary: 0.1, sourceVersion: '2', targetExists: true }), undefined);
});

test('a failed move names the function, the cause and how many aliases were put back', () => {
  const own = stackPromotionFailed('shop-b', new PromotionError('alias prod points at $LATEST', 'Promote fully first.'), 1);
  assert.equal(own.message, 'promoting shop-b failed (alias prod points at $LATEST); 1 function already promoted was put back');
  assert.deepEqual([own.hint, own.type], ['Promote fully first.', 'InvalidRequest']);
  const other = stackPromotionFailed('shop-c', new Error('socket hang up'), 2);
  assert.equal(other.message, 'promoting shop-c failed (socket hang up); 2 functions already promoted were put back');
  assert.deepEqual([other.hint, other.type], ['Nothing of this promotion remains; fix the cause and promote again.', 'StackPromotionFailed']);
  // The console's refusals (ConsoleError: a hint and a type) keep theirs; an AWS error (a type, no hint) does not.
  const consoleRefusal = stackPromotionFailed('shop-b', Object.assign(new Error('alias prod points at $LATEST'), { hint: 'Promote fully first.', type: 'InvalidRequest' }), 0);
  assert.deepEqual([consoleRefusal.message, consoleRefusal.hint, consoleRefusal.type], ['promoting shop-b failed (alias prod points at $LATEST); 0 functions already promoted were put back', 'Promote fully first.', 'InvalidRequest']);
  const aws = stackPromotionFailed('shop-b', Object.assign(new Error('Rate exceeded'), { type: 'TooManyRequestsException' }), 1);
  assert.equal(aws.type, 'StackPromotionFailed');
});

test('undoing a move drops from the alias history the state it left and the canary splits from it', () => {
  assert.deepEqual(historyAfterUndo([v('1'), v('2')], v('2')), [v('1')]);
  assert.deepEqual(historyAfterUndo([v('1'), v('2'), v('2', { 3: 0.1 })], v('2')), [v('1')]);
  assert.deepEqual(historyAfterUndo([v('1'), v('2')], v('5')), [v('1'), v('2')]);
  assert.deepEqual(historyAfterUndo([], v('5')), []);
});

test('a rollback undoes the newest promotion: only the functions it moved, the rest kept, and says whether one is left', () => {
  const tag = promotionsTag('prod');
  const functions = [
    { name: 'shop-a', tags: { [tag]: 'a00000001:- a00000003:1' } },
    { name: 'shop-b', tags: { [tag]: 'a00000001:-' } },
    { name: 'shop-c', tags: {} },
    { name: 'shop-d', tags: { [tag]: 'a00000003:-' } },
  ];
  assert.deepEqual(planStackRollback('shop', 'prod', functions), {
    id: 'a00000003',
    functions: [
      { function: 'shop-a', undo: { id: 'a00000003', before: v('1') }, rest: [{ id: 'a00000001', before: undefined }] },
      { function: 'shop-d', undo: { id: 'a00000003', before: undefined }, rest: [] },
    ],
    earlier: true,
  });
  const last = planStackRollback('shop', 'prod', [{ name: 'shop-d', tags: { [tag]: 'a00000003:-' } }]);
  assert.equal(last.earlier, false);
  assert.throws(() => planStackRollback('shop', 'prod', [{ name: 'shop-c', tags: {} }]), refused(/^no promotion of alias prod is recorded for stack shop \(/, 'NothingToRollBack'));
});
