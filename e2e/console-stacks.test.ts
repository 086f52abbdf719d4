// The web console's stack actions (console/stack-actions.js, run in Node as the browser gets them)
// against a real server: a stack's preview is exactly `stagecraft promote --stack --dry-run --json`,
// a promotion made in the console is rolled back by `stagecraft rollback --stack` and one made by
// the CLI is rolled back in the console, a canary is finished, and a failed move is put back.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CreateAliasCommand, ListTagsCommand } from '@aws-sdk/client-lambda';
import { useServer } from '../src/testing/fixture.js';
import { useTempDirs } from '../src/testing/temp-dirs.js';
import { consoleModules } from '../src/testing/console-modules.js';
import { aliasState, answering as handler, deployStackProject } from '../src/testing/stack-project.js';
import { unique } from '../src/cli/testing.js';

const env = useServer();
const dirs = useTempDirs();
const load = consoleModules(dirs);
const client = async () => (await load('api.js')).createClient({ baseUrl: env.url });
const deployStack = (stack: string) => deployStackProject(dirs, env.url, stack);
const alias = (fn: string, name: string) => aliasState(env.lambda, fn, name);
const tagsOf = async (fn: string) => (await env.lambda.send(new ListTagsCommand({ Resource: `arn:aws:lambda:us-east-1:000000000000:function:${fn}` }))).Tags!;

test('stack promotions made in the console and by the CLI are previewed alike and roll each other back', async () => {
  const stack = unique('cshop');
  const { names, cli, deploy } = await deployStack(stack);
  const stacks = await load('stack-actions.js');
  const c = await client();

  // The first promotion creates prod on a and b; c has no dev and is skipped.
  const firstPreview = await stacks.previewStackPromotion(c, stack, 'dev', 'prod');
  assert.deepEqual(firstPreview, (await cli('promote', '--stack', stack, '--from', 'dev', '--to', 'prod', '--dry-run', '--json')).json());
  assert.deepEqual(firstPreview.skipped, [{ function: names.c, reason: 'has no alias dev' }]);
  const first = await stacks.promoteStack(c, stack, 'dev', 'prod');
  assert.deepEqual(first.promoted.map((p: any) => [p.function, p.action]), [[names.a, 'created'], [names.b, 'created']]);
  assert.match((await tagsOf(names.a))['stagecraft:promotions:prod'], /^[0-9a-z]{9}:-$/);

  await deploy({ 'a/index.mjs': handler('a two') });
  for (const canary of [undefined, 0.1]) {
    const preview = await stacks.previewStackPromotion(c, stack, 'dev', 'prod', canary);
    const args = ['promote', '--stack', stack, '--from', 'dev', '--to', 'prod', '--dry-run', '--json', ...(canary ? ['--canary', '10%'] : [])];
    assert.deepEqual(preview, (await cli(...args)).json());
    assert.deepEqual(preview.functions.map((f: any) => [f.function, f.action]), [[names.a, canary ? 'canary' : 'move'], [names.b, 'unchanged']]);
  }
  assert.deepEqual(await alias(names.a, 'prod'), { version: '1', weights: {} }, 'previews move nothing');

  // Promoted in the console, rolled back by the CLI.
  const moved = await stacks.promoteStack(c, stack, 'dev', 'prod');
  assert.deepEqual(moved.promoted.map((p: any) => [p.function, p.action]), [[names.a, 'moved'], [names.b, 'unchanged']]);
  assert.deepEqual(await alias(names.a, 'prod'), { version: '2', weights: {} });
  const cliBack = await cli('rollback', '--stack', stack, '--alias', 'prod', '--json');
  assert.equal(cliBack.code, 0, cliBack.output);
  assert.equal(cliBack.json().id, moved.id);
  assert.deepEqual(cliBack.json().rolledBack, [{ function: names.a, before: { version: '2', weights: {} }, after: { version: '1', weights: {} } }]);
  assert.deepEqual(await alias(names.a, 'prod'), { version: '1', weights: {} });

  // Promoted by the CLI (as a canary, then finished), rolled back in the console.
  assert.equal((await cli('promote', '--stack', stack, '--from', 'dev', '--to', 'prod', '--canary', '10%')).code, 0);
  assert.equal((await cli('promote', '--stack', stack, '--from', 'dev', '--to', 'prod')).code, 0);
  assert.deepEqual(await alias(names.a, 'prod'), { version: '2', weights: {} });
  const back = await stacks.rollbackStack(c, stack, 'prod');
  assert.deepEqual([back.rolledBack, back.kept, back.earlier], [[{ function: names.a, before: { version: '2', weights: {} }, after: { version: '1', weights: {} } }], [], true]);
  assert.deepEqual(await alias(names.a, 'prod'), { version: '1', weights: {} });
  assert.deepEqual(await alias(names.b, 'prod'), { version: '1', weights: {} });
  // a's own history holds nothing of the undone promotion, as after the CLI's rollback.
  const single = await cli('rollback', names.a, '--alias', 'prod');
  assert.match(single.stderr, /no earlier version is recorded for alias prod/);

  // A canary from the console, finished by the CLI: one record, the version the canary started from.
  const canary = await stacks.promoteStack(c, stack, 'dev', 'prod', 0.1);
  assert.deepEqual(canary.promoted.map((p: any) => [p.function, p.action]), [[names.a, 'moved'], [names.b, 'unchanged']]);
  assert.deepEqual(await alias(names.a, 'prod'), { version: '1', weights: { 2: 0.1 } });
  assert.equal((await cli('promote', '--stack', stack, '--from', 'dev', '--to', 'prod')).code, 0);
  assert.deepEqual(await alias(names.a, 'prod'), { version: '2', weights: {} });
  assert.match((await tagsOf(names.a))['stagecraft:promotions:prod'], /^[0-9a-z]{9}:- [0-9a-z]{9}:1$/);
  const cliFinished = await cli('rollback', '--stack', stack, '--alias', 'prod');
  assert.match(cliFinished.stdout, new RegExp(`${names.a}:prod\\s+rolled back\\s+version 2\\s+version 1`));

  // The promotion that created prod is undone last: its aliases are kept; then nothing is left.
  const created = await stacks.rollbackStack(c, stack, 'prod');
  assert.deepEqual([created.rolledBack, created.kept.map((k: any) => k.function), created.earlier], [[], [names.a, names.b], false]);
  await assert.rejects(stacks.rollbackStack(c, stack, 'prod'), (e: any) => e.type === 'NothingToRollBack' && /no promotion of alias prod is recorded for stack/.test(e.message));
  await assert.rejects(stacks.previewStackPromotion(c, unique('nobody'), 'dev', 'prod'), (e: any) => e.type === 'StackNotFound');
});

test("the Stacks page's rows, questions and notices", async () => {
  const model = await load('stacks-model.js');
  const fn = (name: string) => ({ FunctionName: name, FunctionArn: `arn:aws:lambda:us-east-1:000000000000:function:${name}` });
  const aliasOf = (Name: string, FunctionVersion: string, weights?: Record<string, number>) => ({ Name, FunctionVersion, ...(weights ? { RoutingConfig: { AdditionalVersionWeights: weights } } : {}) });
  const [shop] = model.stackViews([
    { fn: fn('shop-b'), aliases: [aliasOf('prod', '1'), aliasOf('dev', '1')], tags: { 'stagecraft:stack': 'shop', 'stagecraft:promotions:prod': 'a00000001:-' } },
    { fn: fn('loose'), aliases: [aliasOf('dev', '1')], tags: {} },
    { fn: fn('shop-a'), aliases: [aliasOf('prod', '1', { 2: 0.1 }), aliasOf('dev', '2')], tags: { 'stagecraft:stack': 'shop', 'stagecraft:promotions:prod': 'a00000001:- a00000002:1', 'stagecraft:promotions:qa': '' } },
  ]);
  assert.deepEqual([shop.name, shop.functions.map((f: any) => f.name), shop.aliasNames, shop.canaries, shop.recorded],
    ['shop', ['shop-a', 'shop-b'], ['dev', 'prod'], [{ alias: 'prod', functions: ['shop-a'] }], ['prod']]);
  assert.deepEqual(shop.functions[0].aliases.map((a: any) => [a.name, a.traffic, a.canary]), [['dev', '100% → 2', false], ['prod', '90% → 1, 10% → 2', true]]);
  assert.equal(model.stackRollbackQuestion(shop, 'prod'), 'Roll back the last promotion of stack shop to prod? Returns shop-a:prod to version 1 (now 90% version 1, 10% version 2).');
  assert.throws(() => model.stackRollbackQuestion(shop, 'qa'), /no promotion of alias qa is recorded for stack shop/);
  const promoted = (actions: string[], canary?: number) => ({ stack: 'shop', from: 'dev', to: 'prod', canary, promoted: actions.map((action) => ({ action })), skipped: [] });
  assert.equal(model.stackPromotionMessage(promoted(['moved', 'created'])), 'Stack shop: 2 aliases prod run what dev runs. Undo it with Roll back stack.');
  assert.equal(model.stackPromotionMessage(promoted(['moved', 'unchanged'], 0.25)), 'Stack shop: 1 alias prod now send 25% of their traffic to what dev runs. Finish it with Finish canary, or cancel it with Roll back stack.');
  assert.equal(model.stackPromotionMessage(promoted(['unchanged'])), 'Every function of stack shop already runs what dev runs on prod; nothing to do.');
  assert.equal(model.stackRollbackMessage({ stack: 'shop', alias: 'prod', rolledBack: [], kept: [{ function: 'shop-a' }], earlier: false }),
    'The last promotion of stack shop to prod only created aliases; there is nothing to return them to. Kept the aliases it created (shop-a).');
  assert.deepEqual(model.stackViews([{ fn: fn('loose'), aliases: [], tags: {} }]), []);
});

test('the console refuses what the CLI refuses, and puts back what a failed move already did', async () => {
  const stack = unique('cshop');
  const { names, cli, deploy } = await deployStack(stack);
  const stacks = await load('stack-actions.js');
  const c = await client();
  assert.equal((await cli('promote', names.a, '--from', 'dev', '--to', 'prod')).code, 0);
  const refused = await cli('promote', '--stack', stack, '--from', 'dev', '--to', 'prod', '--canary', '20%', '--json');
  await assert.rejects(stacks.previewStackPromotion(c, stack, 'dev', 'prod', 0.2), (e: any) => e.message === refused.json().error.message.replace(/\.$/, '') && e.type === refused.json().error.type);

  await env.lambda.send(new CreateAliasCommand({ FunctionName: names.b, Name: 'prod', FunctionVersion: '$LATEST' }));
  await deploy({ 'a/index.mjs': handler('a two'), 'b/index.mjs': handler('b two') });
  await assert.rejects(stacks.promoteStack(c, stack, 'dev', 'prod', 0.1), (e: any) => new RegExp(`^promoting ${names.b} failed \\(.*\\$LATEST.*\\); 1 function already promoted was put back$`).test(e.message)
    && e.type === 'InvalidRequest' && /^Promote fully first/.test(e.hint));
  assert.deepEqual(await alias(names.a, 'prod'), { version: '1', weights: {} });
  const tags = await tagsOf(names.a);
  assert.equal(tags['stagecraft:promotions:prod'], undefined, 'nothing of the failed promotion is recorded');
  assert.equal(tags['stagecraft:previous:prod'], undefined, "a's own history is as before");
});
