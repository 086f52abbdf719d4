// Per-function settings tools read back after creating a function: recursive-loop detection
// (Put/GetFunctionRecursionConfig) and the runtime update mode per version
// (Put/GetRuntimeManagementConfig). Both are stored and returned; neither changes how a function
// runs here (there is no loop detection, and a function's runtime is always the installed one).
import type { ServiceModel } from '../aws/model.js';
import type { HandlerTable } from '../aws/protocols/rest-json.js';
import type { GetFunctionRecursionConfigResponse, GetRuntimeManagementConfigResponse, Operations } from '../aws/generated/lambda.js';
import type { LambdaDeps } from './deps.js';
import { functionNotFound, invalidParameter, unqualifiedOnly } from './errors.js';
import { arnOf, isVersionNumber, resolveRef, type FunctionRef } from './names.js';

type H = HandlerTable<Operations>;

/** AWS lists RecursiveLoop's values in this order in its validation message (recorded). */
export function withFunctionSettingsConstraints(model: ServiceModel): ServiceModel {
  return { ...model, shapes: { ...model.shapes, RecursiveLoop: { ...model.shapes.RecursiveLoop, enum: ['Terminate', 'Allow'] } } };
}

/** The function version a runtime management request names: '$LATEST' or a published version that exists. */
async function runtimeQualifier(deps: LambdaDeps, ref: FunctionRef): Promise<string> {
  const qualifier = ref.qualifier ?? '$LATEST';
  const fn = await deps.store.getFunction(ref);
  if (!fn) throw functionNotFound(arnOf(ref, ref.qualifier));
  if (qualifier === '$LATEST') return qualifier;
  if (!isVersionNumber(qualifier) || !(await deps.store.getVersion(ref, qualifier))) throw functionNotFound(arnOf(ref, qualifier));
  return qualifier;
}

const settingArn = (ref: FunctionRef, qualifier: string) => arnOf(ref, qualifier === '$LATEST' ? undefined : qualifier);

export function functionSettingsHandlers(deps: LambdaDeps): H {
  const { store, cache } = deps;
  return {
    async PutFunctionRecursionConfig(input, ctx) {
      const ref = resolveRef(ctx, input.FunctionName);
      if (ref.qualifier !== undefined) throw unqualifiedOnly();
      if (!(await store.setRecursiveLoop(ref, input.RecursiveLoop))) throw functionNotFound(arnOf(ref));
      cache.invalidate(ref);
      return { RecursiveLoop: input.RecursiveLoop };
    },

    async GetFunctionRecursionConfig(input, ctx) {
      const ref = resolveRef(ctx, input.FunctionName);
      if (ref.qualifier !== undefined) throw unqualifiedOnly();
      const fn = await store.getFunction(ref);
      if (!fn) throw functionNotFound(arnOf(ref));
      return { RecursiveLoop: (fn.recursiveLoop ?? 'Terminate') as GetFunctionRecursionConfigResponse['RecursiveLoop'] };
    },

    async PutRuntimeManagementConfig(input, ctx) {
      const ref = resolveRef(ctx, input.FunctionName, input.Qualifier);
      if (input.UpdateRuntimeOn === 'Manual' && input.RuntimeVersionArn === undefined) {
        throw invalidParameter('RuntimeVersionArn must be provided when UpdateRuntimeOn is Manual.');
      }
      if (input.UpdateRuntimeOn !== 'Manual' && input.RuntimeVersionArn !== undefined) {
        throw invalidParameter(`RuntimeVersionArn can be provided only when UpdateRuntimeOn is Manual, not ${input.UpdateRuntimeOn}.`);
      }
      const qualifier = await runtimeQualifier(deps, ref);
      const setting = { updateRuntimeOn: input.UpdateRuntimeOn, runtimeVersionArn: input.RuntimeVersionArn };
      if (!(await store.setRuntimeManagement(ref, qualifier, setting))) throw functionNotFound(arnOf(ref));
      cache.invalidate(ref);
      return { UpdateRuntimeOn: input.UpdateRuntimeOn, FunctionArn: settingArn(ref, qualifier), RuntimeVersionArn: input.RuntimeVersionArn };
    },

    async GetRuntimeManagementConfig(input, ctx) {
      const ref = resolveRef(ctx, input.FunctionName, input.Qualifier);
      const qualifier = await runtimeQualifier(deps, ref);
      const setting = (await store.getFunction(ref))?.runtimeManagement?.[qualifier];
      return {
        UpdateRuntimeOn: (setting?.updateRuntimeOn ?? 'Auto') as GetRuntimeManagementConfigResponse['UpdateRuntimeOn'],
        FunctionArn: settingArn(ref, qualifier),
        RuntimeVersionArn: setting?.runtimeVersionArn,
      };
    },
  };
}
