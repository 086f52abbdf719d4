// `stagecraft promote --stack` and `rollback --stack` against a real server: every function of a
// stack moves from dev to prod as one step (also as a canary, then finished); a rollback undoes
// exactly the last stack promotion — functions it left alone are not touched — and keeps each
// alias's own history consistent; what can't be promoted is refused before anything moves.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CreateAliasCommand, GetAliasCommand, InvokeCommand, ListTagsCommand } from '@aws-sdk/client-lambda';
import { useServer } from '../src/testing/fixture.js';
import { useTempDirs } from '../src/testing/temp-dirs.js';
import { runCli, unique, writeFiles } from '../src/cli/testing.js';

const env = useServer();
const dirs = useTempDirs();

const handler = (text: string) => `export const handler = async () => ${JSON.stringify(text)};\n`;

/** Functions a and b (alias dev, code in a/ and b/) and c (no alias), tagged with the stack. */
function project(stack: string): { dir: string; names: { a: string; b: string; c: string }; cli: (...args: string[]) => ReturnType<typeof runCli> } {
  const dir = dirs.make('stagecraft-stack-');
  const names = { a: `${stack}-a`, b: `${stack}-b`, c: `${stack}-c` };
  writeFiles(dir, {
    'template.yaml': `Transform: AWS::Serverless-2016-10-31
Globals:
  Function: { Runtime: nodejs20.x, Handler: index.handler }
Resources:
  A: { Type: AWS::Serverless::Function, Properties: { FunctionName: ${names.a}, CodeUri: a/, AutoPublishAlias: dev } }
  B: { Type: AWS::Serverless::Function, Properties: { FunctionName: ${names.b}, CodeUri: b/, AutoPublishAlias: dev } }
  C: { Type: AWS::Serverless::Function, Properties: { FunctionName: ${names.c}, CodeUri: b/ } }
`,
    'a/index.mjs': handler('a one'),
    'b/index.mjs': handler('b one'),
  });
  const cli = (...args: string[]) => runCli(args, { cwd: dir, endpoint: env.url, timeoutMs: 120_000 });
  return { dir, names, cli };
}

async function alias(fn: string, name: string): Promise<{ version: string; weights: Record<string, number> } | undefined> {
  try {
    const a = await env.lambda.send(new GetAliasCommand({ FunctionName: fn, Name: name }));
    return { version: a.FunctionVersion!, weights: a.RoutingConfig?.AdditionalVersionWeights ?? {} };
  } catch (e) {
    if ((e as Error).name === 'ResourceNotFoundException') return undefined;
    throw e;
  }
}

const answer = async (qualified: string) => JSON.parse(Buffer.from((await env.lambda.send(new InvokeCommand({ FunctionName: qualified }))).Payload!).toString());

test('a stack is promoted, canaried, finished and rolled back as one; a rollback touches only what the last promotion moved', async () => {
  const stack = unique('shop');
  const { dir, names, cli } = project(stack);
  assert.equal((await cli('deploy', '--stack-name', stack)).code, 0);

  const first = await cli('promote', '--stack', stack, '--from', 'dev', '--to', 'prod', '--json');
  assert.equal(first.code, 0, first.output);
  const result = first.json();
  assert.deepEqual(result.promoted.map((p: { function: string; action: string }) => [p.function, p.action]), [[names.a, 'created'], [names.b, 'created']]);
  assert.deepEqual(result.skipped, [{ function: names.c, reason: 'has no alias dev' }]);
  assert.equal(await answer(`${names.a}:prod`), 'a one');
  assert.deepEqual(await alias(names.b, 'prod'), { version: '1', weights: {} });
  const status = await cli('status', '--stack', stack, '--json');
  assert.equal(status.code, 0, status.output);
  assert.deepEqual(status.json().functions.map((f: { name: string; aliases: { name: string }[] }) => [f.name, f.aliases.map((a) => a.name)]), [[names.a, ['dev', 'prod']], [names.b, ['dev', 'prod']], [names.c, []]]);
  assert.deepEqual(status.json().apis, []);
  assert.match((await cli('status', '--stack', stack)).stdout, new RegExp(`APIs\\n  none in stack ${stack}\\n`));

  // Only a changes: a gets version 2 on dev; b stays on 1.
  writeFiles(dir, { 'a/index.mjs': handler('a two') });
  assert.equal((await cli('deploy', '--stack-name', stack)).code, 0);
  const dry = await cli('promote', '--stack', stack, '--from', 'dev', '--to', 'prod', '--canary', '10%', '--dry-run', '--json');
  assert.equal(dry.code, 0, dry.output);
  const preview = dry.json();
  assert.equal(preview.kind, 'stack');
  assert.deepEqual(preview.functions.map((f: { function: string; action: string }) => [f.function, f.action]), [[names.a, 'canary'], [names.b, 'unchanged']]);
  assert.deepEqual(preview.functions[0].configuration.changes.map((c: { field: string }) => c.field), ['CodeSha256']);
  assert.deepEqual(await alias(names.a, 'prod'), { version: '1', weights: {} }, 'a dry run moves nothing');
  const dryText = await cli('promote', '--stack', stack, '--from', 'dev', '--to', 'prod', '--dry-run');
  assert.match(dryText.stdout, new RegExp(`${names.a}\n  Would point ${names.a}:prod → version 2 \\(now version 1\\)\.`));
  assert.match(dryText.stdout, new RegExp(`${names.c}: skipped \\(has no alias dev\\)`));
  assert.match(dryText.stdout, /Dry run: nothing was changed\./);

  const canary = await cli('promote', '--stack', stack, '--from', 'dev', '--to', 'prod', '--canary', '10%');
  assert.equal(canary.code, 0, canary.output);
  assert.match(canary.stdout, new RegExp(`${names.a}:prod\\s+canary\\s+version 1\\s+90% version 1, 10% version 2`));
  assert.match(canary.stdout, new RegExp(`${names.b}:prod\\s+unchanged`));
  assert.match(canary.stdout, /Stack .*: 1 alias prod now send 10% of their traffic to what dev runs\./);
  assert.deepEqual(await alias(names.a, 'prod'), { version: '1', weights: { 2: 0.1 } });

  const finished = await cli('promote', '--stack', stack, '--from', 'dev', '--to', 'prod');
  assert.equal(finished.code, 0, finished.output);
  assert.deepEqual(await alias(names.a, 'prod'), { version: '2', weights: {} });
  assert.equal(await answer(`${names.a}:prod`), 'a two');
  const tags = (await env.lambda.send(new ListTagsCommand({ Resource: `arn:aws:lambda:us-east-1:000000000000:function:${names.a}` }))).Tags!;
  assert.match(tags['stagecraft:promotions:prod'], /^[0-9a-z]{9}:- [0-9a-z]{9}:1$/, 'the finished canary replaced its own entry by the version before it');

  // The rollback undoes the finished canary on a (back to 1, not to the split); b is not touched.
  const back = await cli('rollback', '--stack', stack, '--alias', 'prod');
  assert.equal(back.code, 0, back.output);
  assert.match(back.stdout, new RegExp(`${names.a}:prod\\s+rolled back\\s+version 2\\s+version 1`));
  assert.doesNotMatch(back.stdout, new RegExp(names.b));
  assert.match(back.stdout, /Rolling back again undoes the promotion before it\./);
  assert.deepEqual(await alias(names.a, 'prod'), { version: '1', weights: {} });
  assert.deepEqual(await alias(names.b, 'prod'), { version: '1', weights: {} });
  // a's own history holds nothing of the undone promotion: a one-alias rollback has nowhere to go.
  const single = await cli('rollback', names.a, '--alias', 'prod');
  assert.equal(single.code, 1);
  assert.match(single.stderr, /no earlier version is recorded for alias prod/);

  // The promotion before it only created aliases: they are kept, and then nothing is left to undo.
  const created = await cli('rollback', '--stack', stack, '--alias', 'prod', '--json');
  assert.equal(created.code, 0, created.output);
  assert.deepEqual(created.json().kept.map((k: { function: string }) => k.function), [names.a, names.b]);
  assert.deepEqual(created.json().rolledBack, []);
  assert.ok(await alias(names.a, 'prod'));
  const nothing = await cli('rollback', '--stack', stack, '--alias', 'prod');
  assert.equal(nothing.code, 1);
  assert.match(nothing.stderr, /no promotion of alias prod is recorded for stack/);
});

test('a canary is refused before anything moves when one function has no alias to split', async () => {
  const stack = unique('shop');
  const { names, cli } = project(stack);
  assert.equal((await cli('deploy', '--stack-name', stack)).code, 0);
  assert.equal((await cli('promote', names.a, '--from', 'dev', '--to', 'prod')).code, 0);
  const refused = await cli('promote', '--stack', stack, '--from', 'dev', '--to', 'prod', '--canary', '20%');
  assert.equal(refused.code, 1);
  assert.match(refused.stderr, new RegExp(`alias prod of ${names.b} doesn't exist yet.*Nothing was changed\\.`));
  assert.deepEqual(await alias(names.a, 'prod'), { version: '1', weights: {} });
  assert.equal(await alias(names.b, 'prod'), undefined);
});

test('a move that fails half way puts back the aliases already moved', async () => {
  const stack = unique('shop');
  const { dir, names, cli } = project(stack);
  assert.equal((await cli('deploy', '--stack-name', stack)).code, 0);
  assert.equal((await cli('promote', names.a, '--from', 'dev', '--to', 'prod')).code, 0);
  // b's prod runs $LATEST (made by hand), which can't share traffic with a version: found only when b's turn comes, after a moved.
  await env.lambda.send(new CreateAliasCommand({ FunctionName: names.b, Name: 'prod', FunctionVersion: '$LATEST' }));
  writeFiles(dir, { 'a/index.mjs': handler('a two'), 'b/index.mjs': handler('b two') });
  assert.equal((await cli('deploy', '--stack-name', stack)).code, 0);
  const failed = await cli('promote', '--stack', stack, '--from', 'dev', '--to', 'prod', '--canary', '10%');
  assert.equal(failed.code, 1);
  assert.match(failed.stderr, new RegExp(`promoting ${names.b} failed \\(alias prod points at \\$LATEST.*\\); 1 function already promoted was put back`));
  assert.deepEqual(await alias(names.a, 'prod'), { version: '1', weights: {} });
  const tags = (await env.lambda.send(new ListTagsCommand({ Resource: `arn:aws:lambda:us-east-1:000000000000:function:${names.a}` }))).Tags!;
  assert.equal(tags['stagecraft:promotions:prod'], undefined, 'nothing of the failed promotion is recorded');
  assert.equal(tags['stagecraft:previous:prod'], undefined, "a's own history is as before");
});

test('stack promotion usage errors and unknown stacks', async () => {
  const cli = (...args: string[]) => runCli(args, { endpoint: env.url });
  const both = await cli('promote', '--stack', 's', '--api', 'a', '--from', 'dev', '--to', 'prod');
  assert.equal(both.code, 2);
  assert.match(both.stderr, /--stack and --api promote different things/);
  const noFrom = await cli('promote', '--stack', 's', '--to', 'prod');
  assert.equal(noFrom.code, 2);
  const version = await cli('promote', '--stack', 's', '--from', '3', '--to', 'prod');
  assert.equal(version.code, 1);
  assert.match(version.stderr, /--from 3 is not an alias name/);
  const withTo = await cli('rollback', '--stack', 's', '--alias', 'prod', '--to', '2');
  assert.equal(withTo.code, 2);
  const unknown = await cli('promote', '--stack', unique('nobody'), '--from', 'dev', '--to', 'prod', '--json');
  assert.equal(unknown.code, 1);
  assert.equal(unknown.json().error.type, 'StackNotFound');
  assert.match(unknown.stderr, /no function belongs to stack nobody-/);
});
