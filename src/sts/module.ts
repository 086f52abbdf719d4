// The STS service module: GetCallerIdentity over the query protocol (signing name `sts`), enough
// for `aws sts get-caller-identity` and SDK clients that ask who they are. Every caller is the
// account's root user, as with any credentials Stagecraft accepts.
import type { IncomingMessage } from 'node:http';
import type { ServiceModule } from '../server/service-module.js';
import type { HandlerTable, OperationHandler } from '../aws/protocols/query.js';
import type { Operations } from '../aws/generated/sts.js';
import { loadModel } from '../aws/model.js';
import { QueryService } from '../aws/protocols/query.js';

export function createStsModule(): ServiceModule {
  const handlers: HandlerTable<Operations> = {
    GetCallerIdentity: (_input, ctx) => ({
      UserId: ctx.accountId,
      Account: ctx.accountId,
      Arn: `arn:aws:iam::${ctx.accountId}:root`,
    }),
  };
  const api = new QueryService(loadModel('sts-2011-06-15'), handlers as Record<string, OperationHandler>, 'sts');
  return {
    signingNames: ['sts'],
    authErrorStyle: 'query',
    // Unsigned calls: `?Action=...` in the URL, or a form POST to `/` that names no JSON target.
    claims: (req: IncomingMessage, url: URL) => api.claims(url)
      || (req.method === 'POST' && url.pathname === '/' && req.headers['x-amz-target'] === undefined
        && String(req.headers['content-type'] ?? '').startsWith('application/x-www-form-urlencoded')),
    handle: (req, res, url, ctx) => api.handle(req, res, url, ctx),
  };
}
