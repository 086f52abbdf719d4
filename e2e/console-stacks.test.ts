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

  // A canary from the console, finished in the console: the record is the CLI's.
  const canary = await stacks.promoteStack(c, stack, 'dev', 'prod', 0.1);
  assert.deepEqual(canary.promoted.map((p: any) => [p.function, p.action]), [[names.a, 'moved'], [names.b, 'unchanged']]);
  assert.deepEqual(await alias(names.a, 'prod'), { version: '1', weights: { 2: 0.1 } });
  await stacks.promoteStack(c, stack, 'dev', 'prod');
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
  await assert.rejects(stacks.promoteStack(c, stack, 'dev', 'prod', 0.1), (e: any) => new RegExp(`^promoting ${names.b} failed \\(.*\\$LATEST.*\\); 1 function already promoted was put back$`).test(e.message));
  assert.deepEqual(await alias(names.a, 'prod'), { version: '1', weights: {} });
  const tags = await tagsOf(names.a);
  assert.equal(tags['stagecraft:promotions:prod'], undefined, 'nothing of the failed promotion is recorded');
  assert.equal(tags['stagecraft:previous:prod'], undefined, "a's own history is as before");
});
