// Deploying a function's FunctionUrlConfig as SAM does: the URL is on the AutoPublishAlias when
// the function has one, else on the function; with AuthType NONE the deploy adds the public
// permission SAM adds (principal *, lambda:InvokeFunctionUrl, lambda:FunctionUrlAuthType NONE).
// A URL config is created or brought up to date; its address never changes across deploys.
import {
  AddPermissionCommand, CreateFunctionUrlConfigCommand, GetFunctionUrlConfigCommand, RemovePermissionCommand, UpdateFunctionUrlConfigCommand,
  type Cors, type GetFunctionUrlConfigCommandOutput,
} from '@aws-sdk/client-lambda';
import { isNotFound } from './errors.js';
import type { FunctionContext, DeployedFunction } from './functions.js';
import type { FunctionUrlSpec } from './function-url-spec.js';
import { readStatements, STATEMENT_PREFIX } from './permissions.js';

/** The statement ID of the public permission a NONE URL gets (SAM names it {LogicalId}UrlPublicPermissions). */
export const URL_STATEMENT_ID = `${STATEMENT_PREFIX}function-url-public`;

const sameCors = (a: Cors | undefined, b: FunctionUrlSpec['cors']): boolean => JSON.stringify(normal(a)) === JSON.stringify(normal(b));
const normal = (c: Cors | undefined) => (c ? Object.fromEntries(Object.entries(c).filter(([, v]) => v !== undefined).sort(([x], [y]) => (x < y ? -1 : 1))) : {});

/** Creates or updates the function's URL and its public permission; returns the FunctionUrl. */
export async function deployFunctionUrl(ctx: FunctionContext, fn: DeployedFunction, spec: FunctionUrlSpec): Promise<string> {
  const { lambda, progress } = ctx;
  const id = fn.spec.logicalId;
  const name = fn.spec.name;
  const qualifier = fn.spec.autoPublishAlias;
  const target = qualifier ? `${name}:${qualifier}` : name;
  const current = await ctx.step(id, `reading the function URL of ${target}`, async (): Promise<GetFunctionUrlConfigCommandOutput | undefined> => {
    try {
      return await lambda.send(new GetFunctionUrlConfigCommand({ FunctionName: name, Qualifier: qualifier }));
    } catch (e) {
      if (isNotFound(e)) return undefined;
      throw e;
    }
  });
  const wanted = { FunctionName: name, Qualifier: qualifier, AuthType: spec.authType, Cors: spec.cors ?? {}, InvokeMode: spec.invokeMode ?? 'BUFFERED' } as const;
  let url: string;
  if (!current) {
    url = (await ctx.step(id, `creating the function URL of ${target}`, () => lambda.send(new CreateFunctionUrlConfigCommand(wanted)))).FunctionUrl!;
    progress.report({ subject: id, kind: 'created', message: `function URL of ${target} (${spec.authType}): ${url}` });
  } else {
    url = current.FunctionUrl!;
    const changed = current.AuthType !== spec.authType || (current.InvokeMode ?? 'BUFFERED') !== wanted.InvokeMode || !sameCors(current.Cors, spec.cors);
    if (changed) {
      await ctx.step(id, `updating the function URL of ${target}`, () => lambda.send(new UpdateFunctionUrlConfigCommand(wanted)));
      progress.report({ subject: id, kind: 'updated', message: `function URL of ${target} (${spec.authType}): ${url}` });
    } else {
      progress.report({ subject: id, kind: 'unchanged', message: `function URL of ${target}: ${url}` });
    }
  }

  const statements = await ctx.step(id, `reading the policy of ${target}`, () => readStatements(lambda, name, qualifier));
  const granted = statements.some((s) => s.Sid === URL_STATEMENT_ID);
  if (spec.authType === 'NONE' && !granted) {
    await ctx.step(id, `letting anyone call the function URL of ${target}`, () => lambda.send(new AddPermissionCommand({
      FunctionName: name, Qualifier: qualifier, StatementId: URL_STATEMENT_ID, Action: 'lambda:InvokeFunctionUrl', Principal: '*', FunctionUrlAuthType: 'NONE',
    })));
  } else if (spec.authType === 'AWS_IAM' && granted) {
    await ctx.step(id, `removing the public permission of ${target}`, () => lambda.send(new RemovePermissionCommand({ FunctionName: name, Qualifier: qualifier, StatementId: URL_STATEMENT_ID })));
  }
  return url;
}
