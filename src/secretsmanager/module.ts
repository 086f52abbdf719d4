// The Secrets Manager module: the JSON 1.1 API on the edge port (signing name `secretsmanager`,
// `X-Amz-Target: secretsmanager.*`). Values are stored as given (no KMS encryption at rest);
// rotation and replication are not served.
import type { ServiceModule } from '../server/service-module.js';
import type { SecretsStore } from '../store/secrets-store.js';
import { loadModel } from '../aws/model.js';
import { JsonRpcService, type OperationHandler } from '../aws/protocols/json-rpc.js';
import { awsError } from '../core/errors.js';
import { invalidParameter } from './errors.js';
import { checkingNestedRequired } from '../aws/nested-required.js';
import { secretHandlers } from './secrets.js';
import { listingHandlers } from './listing.js';
import { lifecycleHandlers } from './lifecycle.js';
import { randomPasswordHandlers } from './random-password.js';
import { stageHandlers } from './stages.js';
import type { SecretsDeps } from './resources.js';

/** A secret value is at most 64 KB (base64 for binary adds a third); the rest of a request is small. */
const MAX_BODY = 256 * 1024;

export function createSecretsManagerModule(store: SecretsStore, options: { now?: () => number } = {}): ServiceModule {
  const deps: SecretsDeps = { store, now: options.now ?? Date.now };
  const notServed = (what: string) => () => {
    throw awsError('InvalidRequestException', `${what} is not supported by Stagecraft: secrets keep the values they are given until changed.`);
  };
  const model = loadModel('secretsmanager-2017-10-17');
  const handlers = checkingNestedRequired(model, {
    ...secretHandlers(deps), ...listingHandlers(deps), ...lifecycleHandlers(deps), ...stageHandlers(deps), ...randomPasswordHandlers(),
    RotateSecret: notServed('Rotation'), CancelRotateSecret: notServed('Rotation'),
  } as Record<string, OperationHandler>, (message) => awsError('ValidationException', message));
  const api = new JsonRpcService(model, handlers, {
    service: 'secretsmanager',
    maxBody: MAX_BODY,
    tooLarge: (limit) => invalidParameter(`Request must be smaller than ${limit} bytes.`),
    invalid: (message) => awsError('ValidationException', message),
  });
  return {
    signingNames: ['secretsmanager'],
    authErrorStyle: 'json-rpc',
    claims: (req) => api.claims(req),
    handle: (req, res, url, ctx) => api.handle(req, res, url, ctx),
  };
}
