// The execute-api data plane as one module: the front the edge dispatches API invocations to,
// and the test invoker the control plane's TestInvokeMethod runs. Both run the chain in chain.ts.
import type { StageRuntime } from '../apigateway/stage-runtime.js';
import type { Invoker } from '../lambda/invoke.js';
import type { FrontHandler } from '../server/edge.js';
import { createExecuteApiFront } from './front.js';
import { createTestInvoker, type TestInvoker } from './test-invoke.js';

export interface ExecuteApiOptions {
  stages: StageRuntime;
  invoker: Invoker;
  /** Check Lambda resource policies for API Gateway (AWS behaviour); `serve --no-enforce-permissions` turns it off. */
  enforcePermissions: boolean;
}

export interface ExecuteApi {
  front: FrontHandler;
  testInvoke: TestInvoker;
}

export function createExecuteApi(options: ExecuteApiOptions): ExecuteApi {
  const deps = { stages: options.stages, invoker: options.invoker, enforcePermissions: options.enforcePermissions };
  return { front: createExecuteApiFront(deps), testInvoke: createTestInvoker(deps) };
}
