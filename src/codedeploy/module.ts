// A minimal CodeDeploy: the JSON 1.1 API on the edge port (signing name `codedeploy`,
// `X-Amz-Target: CodeDeploy_20141006.*`) with the one operation traffic-shifting hooks call,
// PutLifecycleEventHookExecutionStatus, so hook functions written for AWS run unchanged; and the
// platform endpoint `stagecraft deploy` registers hook executions with and reads their status from.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ServiceModule } from '../server/service-module.js';
import type { FrontHandler } from '../server/edge.js';
import type { Operations } from '../aws/generated/codedeploy.js';
import { loadModel } from '../aws/model.js';
import { JsonRpcService, type HandlerTable, type OperationHandler } from '../aws/protocols/json-rpc.js';
import { awsError } from '../core/errors.js';
import { jsonAnswer, verifiedBody } from '../server/signed-json-endpoint.js';
import type { SigV4Verifier } from '../aws/sigv4-verify.js';
import { DEPLOYMENT_ID, HOOK_EXECUTIONS_PATH, HookExecutions, MAX_TTL_MS } from './hook-executions.js';

export interface CodeDeployModule {
  service: ServiceModule;
  /** The hook-execution platform endpoint. */
  front: FrontHandler;
}

/** `verifier`: when the server has access keys configured, the hook-execution endpoint takes only signed requests. */
export function createCodeDeployModule(executions: HookExecutions, verifier?: SigV4Verifier): CodeDeployModule {
  const handlers: Partial<HandlerTable<Operations>> = {
    PutLifecycleEventHookExecutionStatus: async (input) => {
      await executions.report(input.deploymentId, input.lifecycleEventHookExecutionId, input.status);
      return { lifecycleEventHookExecutionId: input.lifecycleEventHookExecutionId };
    },
  };
  const api = new JsonRpcService(loadModel('codedeploy-2014-10-06'), handlers as Record<string, OperationHandler>, {
    service: 'codedeploy',
    maxBody: 1024 * 1024,
    // As the other JSON 1.1 services here answer it (AWS's own answer for CodeDeploy is not recorded).
    tooLarge: (limit) => awsError('RequestEntityTooLargeException', `Request must be smaller than ${limit} bytes.`),
    invalid: (message) => awsError('ValidationException', message, { status: 400 }),
    // The handler checks the status itself, with CodeDeploy's own error for a wrong one.
    skipEnumFor: new Set(['LifecycleEventStatus']),
  });
  const service: ServiceModule = {
    signingNames: ['codedeploy'],
    authErrorStyle: 'json-rpc',
    claims: (req: IncomingMessage) => api.claims(req),
    handle: (req, res, url, ctx) => api.handle(req, res, url, ctx),
  };
  const front: FrontHandler = {
    claims: (_req, url) => url.pathname === HOOK_EXECUTIONS_PATH,
    handle: (req, res, url) => handleHookExecutions(executions, verifier, req, res, url),
  };
  return { service, front };
}

async function handleHookExecutions(executions: HookExecutions, verifier: SigV4Verifier | undefined, req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
  const answer = jsonAnswer(res);
  // Like any AWS call to this server: signed with a configured key (or a function's).
  const raw = await verifiedBody(req, verifier, 64 * 1024, answer);
  if (!raw) return;
  if (req.method === 'GET') {
    const status = await executions.status(url.searchParams.get('deploymentId') ?? '', url.searchParams.get('executionId') ?? '');
    answer(status ? 200 : 404, status ? { status } : { message: 'no such hook execution' });
    return;
  }
  if (req.method !== 'POST') {
    answer(405, { message: 'GET or POST' });
    return;
  }
  let body: { deploymentId?: unknown; executionId?: unknown; ttlMs?: unknown };
  try {
    body = JSON.parse(raw.toString('utf8'));
  } catch {
    answer(400, { message: 'the body is JSON: {"deploymentId", "executionId", "ttlMs"}' });
    return;
  }
  const { deploymentId, executionId, ttlMs } = body;
  if (typeof deploymentId !== 'string' || !DEPLOYMENT_ID.test(deploymentId) || typeof executionId !== 'string' || !executionId
    || executionId.length > 1024 || typeof ttlMs !== 'number' || !(ttlMs > 0) || ttlMs > MAX_TTL_MS) {
    answer(400, { message: `deploymentId is d- and nine letters or digits, executionId a string, ttlMs a number of milliseconds up to ${MAX_TTL_MS}` });
    return;
  }
  if (!(await executions.register(deploymentId, executionId, ttlMs))) {
    answer(429, { message: 'too many hook executions are waiting; try again later' });
    return;
  }
  answer(201, { deploymentId, executionId, status: 'Pending' });
}
