// The function settings Lambda keeps outside its configuration — code signing config, recursion
// config, runtime management config — brought to what the template says (AWS's defaults when it
// says nothing), each read first so an unchanged template changes nothing.
import {
  DeleteFunctionCodeSigningConfigCommand, GetFunctionCodeSigningConfigCommand, GetFunctionRecursionConfigCommand, GetRuntimeManagementConfigCommand,
  PutFunctionCodeSigningConfigCommand, PutFunctionRecursionConfigCommand, PutRuntimeManagementConfigCommand,
} from '@aws-sdk/client-lambda';
import type { FunctionContext } from './functions.js';
import type { FunctionSpec } from './function-spec.js';

/** Applies the separately kept settings; returns what changed, as `Setting old → new` texts. */
export async function syncSeparateSettings(ctx: FunctionContext, spec: FunctionSpec): Promise<string[]> {
  const { lambda } = ctx;
  const id = spec.logicalId;
  const FunctionName = spec.name;
  const wanted = spec.settings;
  const changes: string[] = [];

  const signing = await ctx.step(id, `reading the code signing config of ${FunctionName}`, () => lambda.send(new GetFunctionCodeSigningConfigCommand({ FunctionName })));
  const signingNow = signing.CodeSigningConfigArn || undefined;
  if (signingNow !== wanted.codeSigningConfigArn) {
    if (wanted.codeSigningConfigArn) {
      const CodeSigningConfigArn = wanted.codeSigningConfigArn;
      await ctx.step(id, `attaching code signing config ${CodeSigningConfigArn} to ${FunctionName}`, () => lambda.send(new PutFunctionCodeSigningConfigCommand({ FunctionName, CodeSigningConfigArn })));
    } else {
      await ctx.step(id, `detaching the code signing config of ${FunctionName}`, () => lambda.send(new DeleteFunctionCodeSigningConfigCommand({ FunctionName })));
    }
    changes.push(`CodeSigningConfigArn ${signingNow ?? 'none'} → ${wanted.codeSigningConfigArn ?? 'none'}`);
  }

  const recursion = await ctx.step(id, `reading the recursion config of ${FunctionName}`, () => lambda.send(new GetFunctionRecursionConfigCommand({ FunctionName })));
  const loopNow = recursion.RecursiveLoop ?? 'Terminate';
  if (loopNow !== wanted.recursiveLoop) {
    await ctx.step(id, `setting the recursion config of ${FunctionName}`, () => lambda.send(new PutFunctionRecursionConfigCommand({ FunctionName, RecursiveLoop: wanted.recursiveLoop })));
    changes.push(`RecursiveLoop ${loopNow} → ${wanted.recursiveLoop}`);
  }

  const runtime = await ctx.step(id, `reading the runtime management config of ${FunctionName}`, () => lambda.send(new GetRuntimeManagementConfigCommand({ FunctionName })));
  const runtimeNow = { UpdateRuntimeOn: runtime.UpdateRuntimeOn ?? 'Auto', RuntimeVersionArn: runtime.RuntimeVersionArn };
  const runtimeWanted = wanted.runtimeManagement;
  if (runtimeNow.UpdateRuntimeOn !== runtimeWanted.UpdateRuntimeOn || (runtimeNow.RuntimeVersionArn ?? undefined) !== runtimeWanted.RuntimeVersionArn) {
    await ctx.step(id, `setting the runtime management config of ${FunctionName}`, () => lambda.send(new PutRuntimeManagementConfigCommand({ FunctionName, ...runtimeWanted })));
    changes.push(`RuntimeManagementConfig ${describeRuntime(runtimeNow)} → ${describeRuntime(runtimeWanted)}`);
  }
  return changes;
}

function describeRuntime(c: { UpdateRuntimeOn: string; RuntimeVersionArn?: string }): string {
  return c.RuntimeVersionArn ? `${c.UpdateRuntimeOn} (${c.RuntimeVersionArn})` : c.UpdateRuntimeOn;
}
