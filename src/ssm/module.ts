// The SSM Parameter Store module: the JSON 1.1 API on the edge port (signing name `ssm`,
// `X-Amz-Target: AmazonSSM.*`). Only Parameter Store's operations are served; the rest of
// Systems Manager answers that it is not supported.
import type { ServiceModule } from '../server/service-module.js';
import type { SsmStore } from '../store/ssm-store.js';
import { loadModel } from '../aws/model.js';
import { JsonRpcService, type OperationHandler } from '../aws/protocols/json-rpc.js';
import { validation } from './errors.js';
import { checkingNestedRequired } from '../aws/nested-required.js';
import { parameterHandlers } from './parameters.js';
import { queryHandlers } from './queries.js';
import { historyHandlers } from './history.js';
import { tagHandlers } from './tags.js';
import type { SsmDeps } from './resources.js';

/** An advanced parameter's value is at most 8 KB; the rest of a request is small. */
const MAX_BODY = 256 * 1024;

export function createSsmModule(store: SsmStore, options: { now?: () => number } = {}): ServiceModule {
  const deps: SsmDeps = { store, now: options.now ?? Date.now };
  const model = loadModel('ssm-2014-11-06');
  const handlers = checkingNestedRequired(model, { ...parameterHandlers(deps), ...queryHandlers(deps), ...historyHandlers(deps), ...tagHandlers(deps) } as Record<string, OperationHandler>, validation);
  const api = new JsonRpcService(model, handlers, {
    service: 'ssm',
    maxBody: MAX_BODY,
    tooLarge: (limit) => validation(`Request must be smaller than ${limit} bytes.`),
    invalid: (message) => validation(message),
  });
  return {
    signingNames: ['ssm'],
    authErrorStyle: 'json-rpc',
    claims: (req) => api.claims(req),
    handle: (req, res, url, ctx) => api.handle(req, res, url, ctx),
  };
}

