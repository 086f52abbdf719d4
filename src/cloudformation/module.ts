// A minimal CloudFormation: the query API (signing name `cloudformation`, Version 2010-05-15) with
// what is visible of the stacks `stagecraft deploy` links: ListExports and ListImports, read from
// the exports deploys record (stack-exports.ts), so `aws cloudformation list-exports` works. The
// other operations answer 501: Stagecraft runs no CloudFormation stacks.
import type { IncomingMessage } from 'node:http';
import type { ServiceModule } from '../server/service-module.js';
import type { HandlerTable, OperationHandler } from '../aws/protocols/query.js';
import type { Operations } from '../aws/generated/cloudformation.js';
import { loadModel } from '../aws/model.js';
import { QueryService } from '../aws/protocols/query.js';
import { awsError } from '../core/errors.js';
import type { StackExportsStore } from '../store/stack-exports-store.js';

/** ListExports answers at most this many a page, as CloudFormation does. */
const EXPORTS_PAGE = 100;

/** The stack ID the deploy's AWS::StackId gives (src/deploy/stack-model.ts). */
const stackId = (region: string, accountId: string, stackName: string) => `arn:aws:cloudformation:${region}:${accountId}:stack/${stackName}/stagecraft`;

/** A page of `items` from the NextToken (an offset) on. */
function page<T>(items: T[], token: string | undefined, size: number): { items: T[]; next?: string } {
  const start = token === undefined ? 0 : Number(token);
  if (!Number.isInteger(start) || start < 0 || (token !== undefined && String(start) !== token)) throw awsError('ValidationError', 'Invalid NextToken');
  const next = start + size < items.length ? String(start + size) : undefined;
  return { items: items.slice(start, start + size), next };
}

export function createCloudFormationModule(store: StackExportsStore): ServiceModule {
  const handlers: Partial<HandlerTable<Operations>> = {
    ListExports: async (input, ctx) => {
      const exports = await store.list(ctx.region);
      const { items, next } = page(exports, input.NextToken, EXPORTS_PAGE);
      return { Exports: items.map((e) => ({ ExportingStackId: stackId(ctx.region, ctx.accountId, e.stackName), Name: e.name, Value: e.value })), NextToken: next };
    },
    ListImports: async (input, ctx) => {
      const importers = [...new Set((await store.imports(ctx.region)).filter((i) => i.exportName === input.ExportName).map((i) => i.stackName))].sort();
      // Stagecraft's wording (AWS's answer for an export nothing imports is not recorded).
      if (!importers.length) throw awsError('ValidationError', `Export '${input.ExportName}' is not imported by any stack.`);
      const { items, next } = page(importers, input.NextToken, EXPORTS_PAGE);
      return { Imports: items, NextToken: next };
    },
  };
  const api = new QueryService(loadModel('cloudformation-2010-05-15'), handlers as Record<string, OperationHandler>, 'cloudformation');
  return {
    signingNames: ['cloudformation'],
    authErrorStyle: 'query',
    claims: (_req: IncomingMessage, url: URL) => api.claims(url),
    handle: (req, res, url, ctx) => api.handle(req, res, url, ctx),
  };
}
