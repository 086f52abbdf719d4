// The Step Functions service module: the AWS JSON 1.0 API on the edge port (signing name `states`,
// `X-Amz-Target: AWSStepFunctions.*`) and the runner of executions, which calls Lambda in process
// once `useInvoker` gives it the invoke pipeline, and resumes RUNNING executions from `start()`.
import type { IncomingMessage } from 'node:http';
import { randomUUID } from 'node:crypto';
import type { ServiceModule } from '../server/service-module.js';
import type { SfnStore } from '../store/stepfunctions-store.js';
import type { Invoker } from '../lambda/invoke.js';
import { loadModel } from '../aws/model.js';
import { JsonRpcService, type OperationHandler } from '../aws/protocols/json-rpc.js';
import { awsError } from '../core/errors.js';
import { validation } from './errors.js';
import { ExecutionRunner } from './runner.js';
import { machineHandlers } from './machines.js';
import { executionHandlers } from './executions.js';
import type { SfnDeps } from './resources.js';

export interface StepFunctionsModule {
  service: ServiceModule;
  /** Starts resuming executions left RUNNING (after a restart, or by a node that died). */
  start(invoker: Pick<Invoker, 'invoke'>): void;
  close(): Promise<void>;
}

export interface StepFunctionsOptions {
  now?: () => number;
  nodeId?: string;
  /** Execution time runs `scale` times faster: Wait states, retry intervals, timeouts (tests). */
  scale?: number;
  /** How often to renew leases and look for executions to resume. */
  pollMs?: number;
}

/** Definitions and inputs are up to 1 MiB each on AWS. */
const MAX_BODY = 4 * 1024 * 1024;

export function createStepFunctionsModule(store: SfnStore, options: StepFunctionsOptions = {}): StepFunctionsModule {
  const now = options.now ?? Date.now;
  let invoker: Pick<Invoker, 'invoke'> | undefined;
  const runner = new ExecutionRunner(store, () => {
    if (!invoker) throw new Error('Step Functions started before Lambda');
    return invoker;
  }, { nodeId: options.nodeId ?? `states-${randomUUID()}`, now, scale: options.scale, pollMs: options.pollMs });
  const deps: SfnDeps = { store, runner, now };
  const handlers = { ...machineHandlers(deps), ...executionHandlers(deps) } as Record<string, OperationHandler>;
  const api = new JsonRpcService(loadModel('stepfunctions-2016-11-23'), handlers, {
    service: 'states',
    maxBody: MAX_BODY,
    tooLarge: (limit) => awsError('ValidationException', `Request must be smaller than ${limit} bytes.`),
    invalid: (message) => validation(message),
  });
  return {
    service: {
      signingNames: ['states'],
      authErrorStyle: 'json-rpc',
      claims: (req: IncomingMessage) => api.claims(req),
      handle: (req, res, url, ctx) => api.handle(req, res, url, ctx),
    },
    start: (lambda) => {
      invoker = lambda;
      runner.start();
    },
    close: () => runner.close(),
  };
}
