// The IAM service module: roles, their inline and attached policies, and managed policies over the
// query protocol (signing name `iam`, Version 2010-05-08), so AWS's Lambda tutorials, Terraform,
// Pulumi and boto3 scripts can create the execution role before the function. IAM is global: the
// signing region is ignored and everything is the account's. Stagecraft evaluates no IAM policy:
// what is stored here changes nobody's permissions. Users, groups, instance profiles and the other
// operations answer 501.
import type { IncomingMessage } from 'node:http';
import type { ServiceModule } from '../server/service-module.js';
import type { OperationHandler } from '../aws/protocols/query.js';
import { loadModel } from '../aws/model.js';
import { QueryService } from '../aws/protocols/query.js';
import type { IamStore } from '../store/iam-store.js';
import { roleHandlers } from './roles.js';
import { policyHandlers, policyLookup } from './policies.js';

export function createIamModule(store: IamStore): ServiceModule {
  const lookup = policyLookup(store);
  const handlers = { ...roleHandlers(store, lookup), ...policyHandlers(store, lookup) };
  const api = new QueryService(loadModel('iam-2010-05-08'), handlers as Record<string, OperationHandler>, 'iam');
  return {
    signingNames: ['iam'],
    authErrorStyle: 'query',
    claims: (_req: IncomingMessage, url: URL) => api.claims(url),
    handle: (req, res, url, ctx) => api.handle(req, res, url, ctx),
  };
}
