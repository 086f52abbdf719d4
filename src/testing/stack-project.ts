// Test support: a small SAM stack deployed with `stagecraft deploy` — functions <stack>-a and
// <stack>-b published behind alias dev, and <stack>-c with no alias — for the tests of stack
// promotion in the console; and an alias's state read back through Lambda.
import assert from 'node:assert/strict';
import { GetAliasCommand, type LambdaClient } from '@aws-sdk/client-lambda';
import { runCli, writeFiles } from '../cli/testing.js';
import type { TempDirs } from './temp-dirs.js';

export const answering = (text: string): string => `export const handler = async () => ${JSON.stringify(text)};\n`;

export interface StackProject {
  names: { a: string; b: string; c: string };
  cli: (...args: string[]) => ReturnType<typeof runCli>;
  /** Writes `files` over the project, then deploys it (which must succeed). */
  deploy: (files?: Record<string, string>) => Promise<void>;
}

export async function deployStackProject(dirs: TempDirs, endpoint: string, stack: string): Promise<StackProject> {
  const dir = dirs.make('stagecraft-stack-project-');
  const names = { a: `${stack}-a`, b: `${stack}-b`, c: `${stack}-c` };
  const fn = (logicalId: string, name: string, code: string, alias: boolean) => `  ${logicalId}:
    Type: AWS::Serverless::Function
    Properties: { FunctionName: ${name}, CodeUri: ${code}/${alias ? ', AutoPublishAlias: dev' : ''} }
`;
  writeFiles(dir, {
    'template.yaml': ['Transform: AWS::Serverless-2016-10-31', 'Globals:', '  Function: { Runtime: nodejs20.x, Handler: index.handler }', 'Resources:', '']
      .join('\n') + fn('A', names.a, 'a', true) + fn('B', names.b, 'b', true) + fn('C', names.c, 'b', false),
    'a/index.mjs': answering('a one'),
    'b/index.mjs': answering('b one'),
  });
  const cli = (...args: string[]) => runCli(args, { cwd: dir, endpoint, timeoutMs: 120_000 });
  const deploy = async (files: Record<string, string> = {}) => {
    writeFiles(dir, files);
    const out = await cli('deploy', '--stack-name', stack);
    assert.equal(out.code, 0, out.output);
  };
  await deploy();
  return { names, cli, deploy };
}

/** Where alias `name` of `fn` points ({ version, weights }), or undefined when it doesn't exist. */
export async function aliasState(lambda: LambdaClient, fn: string, name: string): Promise<{ version: string; weights: Record<string, number> } | undefined> {
  try {
    const a = await lambda.send(new GetAliasCommand({ FunctionName: fn, Name: name }));
    return { version: a.FunctionVersion!, weights: a.RoutingConfig?.AdditionalVersionWeights ?? {} };
  } catch (e) {
    if ((e as Error).name === 'ResourceNotFoundException') return undefined;
    throw e;
  }
}
