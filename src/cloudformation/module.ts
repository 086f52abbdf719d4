// CloudFormation: the query API (signing name `cloudformation`, Version 2010-05-15). Stacks run on
// the server with the engine of `stagecraft deploy` (stack-operations.ts, stack-engine.ts), change
// sets as `aws cloudformation deploy` uses them (change-sets.ts), rollback (stack-rollback.ts), and the exports deploys record
// (stack-exports.ts) in ListExports and ListImports. Other operations answer 501.
import type { IncomingMessage } from 'node:http';
import type { ServiceModule } from '../server/service-module.js';
import type { HandlerTable, OperationHandler } from '../aws/protocols/query.js';
import type { RawRequest } from '../aws/protocols/rest-json.js';
import type { Operations } from '../aws/generated/cloudformation.js';
import { loadModel } from '../aws/model.js';
import { QueryService } from '../aws/protocols/query.js';
import { awsError } from '../core/errors.js';
import type { StackExportsStore } from '../store/stack-exports-store.js';
import type { CloudFormationStacksStore, StackStatus } from '../store/cloudformation-stacks-store.js';
import { missingStack, StackOperations } from './stack-operations.js';
import { stackRequest, templateText, type TemplateReader, type UrlReader } from './stack-request.js';
import { ChangeSets } from './change-sets.js';
import { checkFailureOptions, checkNewStackName, checkStackNameOrId } from './stack-names.js';
import { parseDocument } from './template-document.js';
import { getTemplateAnswer, templateSummaryAnswer, validateTemplateAnswer } from './template-answers.js';
import { eventAnswer, resourceAnswer, resourceDetail, resourceSummary, stackAnswer, stackSummary } from './stack-answers.js';
import type { StackEngine } from './stack-engine.js';

/**
 * Items a page: ListExports' documented 100; DescribeStacks, DescribeStackEvents (newest first) and the other lists page by
 * 1 MB in AWS's reference, which in practice comes to 100 stacks, events or resources a page.
 */
const PAGE = 100;

/** A page of `items` from the NextToken (an offset) on. */
function page<T>(items: T[], token: string | undefined, size: number): { items: T[]; next?: string } {
  const start = token === undefined ? 0 : Number(token);
  if (!Number.isInteger(start) || start < 0 || (token !== undefined && String(start) !== token)) throw awsError('ValidationError', 'Invalid NextToken');
  const next = start + size < items.length ? String(start + size) : undefined;
  return { items: items.slice(start, start + size), next };
}

export interface CloudFormationDeps {
  exports: StackExportsStore;
  stacks: CloudFormationStacksStore;
  /** The deploy engine for an account and region (SDK clients calling this server). */
  engineFor: (scope: { accountId: string; region: string }) => StackEngine;
  nodeId: string;
  /** Reads TemplateURL templates (this server's S3); absent, TemplateURL is refused. */
  templateReader?: TemplateReader;
}

export interface CloudFormationModule {
  service: ServiceModule;
  /** At start: stacks whose operation this node was running when it stopped fail, or roll back (stack-rollback.ts). */
  start(): Promise<void>;
  /** Once the server listens: the rollbacks this node was running when it stopped go on. */
  resume(): void;
  /** At shutdown, before the port closes: what fails from now on is the stop's doing, settled by `close` and the restart. */
  stopping(): void;
  /** Settles the stack operations running on this node (stack-rollback.ts, `interrupted`). */
  close(): Promise<void>;
}

export function createCloudFormationModule(deps: CloudFormationDeps): CloudFormationModule {
  const { exports: store, stacks } = deps;
  const operations = new StackOperations(stacks, deps.engineFor, deps.nodeId);
  const changeSets = new ChangeSets(stacks, operations);
  const scopeOf = (ctx: { accountId: string; region: string }) => ({ accountId: ctx.accountId, region: ctx.region });
  // TemplateURL is read for the caller's account; a path-style URL names this server by the Host the request came to.
  const readerFor = (ctx: { accountId: string }, raw: RawRequest): UrlReader => {
    const reader = deps.templateReader;
    const host = typeof raw.headers.host === 'string' ? raw.headers.host : undefined;
    return reader && ((url) => reader(url, { accountId: ctx.accountId, host }));
  };

  const handlers: Partial<HandlerTable<Operations>> = {
    CreateStack: async (input, ctx, raw) => {
      checkNewStackName(input.StackName);
      checkFailureOptions(input);
      const request = await stackRequest(input, readerFor(ctx, raw), undefined, false);
      // As CloudFormation: a stack in review (a CREATE change set's) is created, its change sets OBSOLETE.
      const inReview = await stacks.get(scopeOf(ctx), input.StackName);
      const protect = input.EnableTerminationProtection === true;
      const onFailure = input.DisableRollback === true ? 'DO_NOTHING' : input.OnFailure ?? 'ROLLBACK';
      if (inReview?.status !== 'REVIEW_IN_PROGRESS') return { StackId: await operations.create(scopeOf(ctx), input.StackName, request, onFailure, protect) };
      await operations.execute(inReview, request, 'CREATE', onFailure);
      if (protect) await stacks.update(inReview.stackId, { terminationProtection: true });
      await changeSets.obsolete(inReview);
      return { StackId: inReview.stackId };
    },
    UpdateStack: async (input, ctx, raw) => {
      const stack = await operations.find(scopeOf(ctx), input.StackName);
      if (stack.status === 'DELETE_COMPLETE') throw missingStack(input.StackName);
      const request = await stackRequest(input, readerFor(ctx, raw), stack, false);
      operations.checkUpdatable(stack, request);
      await operations.execute(stack, request, 'UPDATE', input.DisableRollback === true ? 'DO_NOTHING' : 'ROLLBACK');
      await changeSets.obsolete(stack);
      return { StackId: stack.stackId };
    },
    RollbackStack: async (input, ctx) => {
      const stack = await operations.find(scopeOf(ctx), input.StackName);
      if (stack.status === 'DELETE_COMPLETE') throw missingStack(input.StackName);
      await operations.rollbacks.rollbackStack(stack);
      return { StackId: stack.stackId };
    },
    // ResourcesToSkip is accepted: the rollback deploys the whole stable state again, so there is nothing a resource's skip would leave out.
    ContinueUpdateRollback: async (input, ctx) => {
      const stack = await operations.find(scopeOf(ctx), input.StackName);
      if (stack.status === 'DELETE_COMPLETE') throw missingStack(input.StackName);
      await operations.rollbacks.continueUpdateRollback(stack);
      return {};
    },
    DeleteStack: async (input, ctx) => {
      // As CloudFormation: deleting a stack that doesn't exist (or is deleted) succeeds.
      const stack = await stacks.get(scopeOf(ctx), input.StackName);
      if (stack?.terminationProtection && stack.status !== 'DELETE_COMPLETE') {
        throw awsError('ValidationError', `Stack [${input.StackName}] cannot be deleted while TerminationProtection is enabled`);
      }
      if (stack && stack.status !== 'DELETE_COMPLETE') await operations.delete(stack);
    },
    UpdateTerminationProtection: async (input, ctx) => {
      const stack = await operations.find(scopeOf(ctx), input.StackName);
      if (stack.status === 'DELETE_COMPLETE') throw missingStack(input.StackName);
      await stacks.update(stack.stackId, { terminationProtection: input.EnableTerminationProtection });
      return { StackId: stack.stackId };
    },
    DescribeStacks: async (input, ctx) => {
      if (input.StackName !== undefined) {
        checkStackNameOrId(input.StackName);
        return { Stacks: [stackAnswer(await operations.find(scopeOf(ctx), input.StackName))] };
      }
      const all = (await stacks.list(scopeOf(ctx))).filter((s) => s.status !== 'DELETE_COMPLETE');
      const { items, next } = page(all, input.NextToken, PAGE);
      return { Stacks: items.map(stackAnswer), NextToken: next };
    },
    ListStacks: async (input, ctx) => {
      const filter = input.StackStatusFilter as StackStatus[] | undefined;
      const all = (await stacks.list(scopeOf(ctx))).filter((s) => !filter?.length || filter.includes(s.status));
      const { items, next } = page(all, input.NextToken, PAGE);
      return { StackSummaries: items.map(stackSummary), NextToken: next };
    },
    DescribeStackEvents: async (input, ctx) => {
      const stack = await stacks.get(scopeOf(ctx), input.StackName);
      if (!stack) throw awsError('ValidationError', `Stack [${input.StackName}] does not exist`);
      const { items, next } = page(await stacks.events(stack.stackId), input.NextToken, PAGE);
      return { StackEvents: items.map((e) => eventAnswer(stack, e)), NextToken: next };
    },
    DescribeStackResources: async (input, ctx) => {
      if (input.StackName === undefined && input.PhysicalResourceId === undefined) throw awsError('ValidationError', 'Either StackName or PhysicalResourceId must be specified.');
      const candidates = input.StackName !== undefined ? [await operations.find(scopeOf(ctx), input.StackName)]
        : (await stacks.list(scopeOf(ctx))).filter((s) => s.resources.some((r) => r.physicalId === input.PhysicalResourceId));
      if (!candidates.length) throw awsError('ValidationError', `Stack for ${input.PhysicalResourceId} does not exist`);
      // As CloudFormation: at most 100, no paging (ListStackResources pages).
      return {
        StackResources: candidates.flatMap((s) => s.resources
          .filter((r) => (input.LogicalResourceId === undefined || r.logicalId === input.LogicalResourceId) && (input.PhysicalResourceId === undefined || r.physicalId === input.PhysicalResourceId))
          .map((r) => resourceAnswer(s, r))).slice(0, PAGE),
      };
    },
    DescribeStackResource: async (input, ctx) => {
      const stack = await operations.find(scopeOf(ctx), input.StackName);
      const resource = stack.resources.find((r) => r.logicalId === input.LogicalResourceId);
      if (!resource) throw awsError('ValidationError', `Resource ${input.LogicalResourceId} does not exist for stack ${input.StackName}`);
      return { StackResourceDetail: resourceDetail(stack, resource) };
    },
    ListStackResources: async (input, ctx) => {
      const stack = await operations.find(scopeOf(ctx), input.StackName);
      const { items, next } = page(stack.resources, input.NextToken, PAGE);
      return { StackResourceSummaries: items.map(resourceSummary), NextToken: next };
    },
    GetTemplate: async (input, ctx) => {
      if (input.ChangeSetName !== undefined) {
        const { changeSet } = await changeSets.find(scopeOf(ctx), input.ChangeSetName, input.StackName);
        return getTemplateAnswer(changeSet.templateBody, input.TemplateStage);
      }
      if (input.StackName === undefined) throw awsError('ValidationError', 'Either StackName or ChangeSetName must be specified.');
      return getTemplateAnswer((await operations.find(scopeOf(ctx), input.StackName)).templateBody, input.TemplateStage);
    },
    GetTemplateSummary: async (input, ctx, raw) => {
      const text = input.StackName !== undefined ? (await operations.find(scopeOf(ctx), input.StackName)).templateBody : await templateText(input, readerFor(ctx, raw));
      return templateSummaryAnswer(parseDocument(text));
    },
    ValidateTemplate: async (input, ctx, raw) => validateTemplateAnswer(parseDocument(await templateText(input, readerFor(ctx, raw)))),
    CreateChangeSet: async (input, ctx, raw) => changeSets.create(scopeOf(ctx), input, readerFor(ctx, raw)),
    DescribeChangeSet: async (input, ctx) => changeSets.describe(scopeOf(ctx), input.ChangeSetName, input.StackName),
    ExecuteChangeSet: async (input, ctx) => {
      await changeSets.execute(scopeOf(ctx), input.ChangeSetName, input.StackName, input.DisableRollback === true);
      return {};
    },
    DeleteChangeSet: async (input, ctx) => {
      await changeSets.delete(scopeOf(ctx), input.ChangeSetName, input.StackName);
      return {};
    },
    ListChangeSets: async (input, ctx) => {
      const { items, next } = page(await changeSets.list(scopeOf(ctx), input.StackName), input.NextToken, PAGE);
      return { Summaries: items, NextToken: next };
    },
    ListExports: async (input, ctx) => {
      const exported = await store.list(ctx.region);
      const live = new Map((await stacks.list(scopeOf(ctx))).filter((s) => s.status !== 'DELETE_COMPLETE').map((s) => [s.stackName, s.stackId]));
      const { items, next } = page(exported, input.NextToken, PAGE);
      return { Exports: items.map((e) => ({ ExportingStackId: live.get(e.stackName) ?? deployStackId(ctx.region, ctx.accountId, e.stackName), Name: e.name, Value: e.value })), NextToken: next };
    },
    ListImports: async (input, ctx) => {
      const importers = [...new Set((await store.imports(ctx.region)).filter((i) => i.exportName === input.ExportName).map((i) => i.stackName))].sort();
      // Stagecraft's wording (AWS's answer for an export nothing imports is not recorded).
      if (!importers.length) throw awsError('ValidationError', `Export '${input.ExportName}' is not imported by any stack.`);
      const { items, next } = page(importers, input.NextToken, PAGE);
      return { Imports: items, NextToken: next };
    },
  };
  const api = new QueryService(loadModel('cloudformation-2010-05-15'), handlers as Record<string, OperationHandler>, 'cloudformation');
  return {
    service: {
      signingNames: ['cloudformation'],
      authErrorStyle: 'query',
      claims: (_req: IncomingMessage, url: URL) => api.claims(url),
      handle: (req, res, url, ctx) => api.handle(req, res, url, ctx),
    },
    start: () => operations.start(),
    resume: () => operations.resume(),
    stopping: () => operations.stopping(),
    close: () => operations.close(),
  };
}

/**
 * The stack ID of a stack `stagecraft deploy` deployed from the CLI (its AWS::StackId, src/deploy/stack-model.ts): a
 * stack run on the server has its own ID, with a UUID, as CloudFormation's.
 */
const deployStackId = (region: string, accountId: string, stackName: string) => `arn:aws:cloudformation:${region}:${accountId}:stack/${stackName}/stagecraft`;
