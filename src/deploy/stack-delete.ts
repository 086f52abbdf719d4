// Carrying out a stack's deletions (stack-deletions.ts) one by one, in order: each is idempotent —
// what is already gone counts as done — and a failure is recorded and the rest still attempted,
// so one stuck resource doesn't keep the others alive.
import {
  DeleteApiKeyCommand, DeleteBasePathMappingCommand, DeleteDomainNameCommand, DeleteRestApiCommand, DeleteUsagePlanCommand, UpdateUsagePlanCommand,
} from '@aws-sdk/client-api-gateway';
import { DeleteApiCommand, DeleteApiMappingCommand } from '@aws-sdk/client-apigatewayv2';
import {
  DeleteAliasCommand, DeleteFunctionCommand, DeleteFunctionEventInvokeConfigCommand, DeleteFunctionUrlConfigCommand, DeleteLayerVersionCommand,
  DeleteProvisionedConcurrencyConfigCommand, GetFunctionCommand, ListAliasesCommand, RemoveLayerVersionPermissionCommand, RemovePermissionCommand,
  UntagResourceCommand, type LambdaClient,
} from '@aws-sdk/client-lambda';
import { RETAIN_TAG, STACK_TAG } from './functions.js';
import { releaseApi } from './api-retention.js';
import { readStatements, STATEMENT_PREFIX } from './permissions.js';
import type { AwsClients } from './clients.js';
import { isNotFound } from './errors.js';
import { deleteAlarm } from './cloudwatch-calls.js';
import { deleteDashboard } from './dashboards.js';
import { deleteMetricFilter } from './metric-filters.js';
import { deleteSubscriptionFilter } from './subscription-filters.js';
import type { Deletion } from './stack-deletions.js';

export type DeletionOutcome =
  | { deletion: Deletion; result: 'deleted' }
  | { deletion: Deletion; result: 'gone' }
  | { deletion: Deletion; result: 'failed'; error: unknown };

/** Removes the statements deploy added for API `apiId` (routes, definition, authorizers); returns how many. */
async function removeApiGrants(lambda: LambdaClient, apiId: string, functionName: string, qualifier: string | undefined): Promise<number> {
  const qualifiers = qualifier === '*'
    ? [undefined, ...((await lambda.send(new ListAliasesCommand({ FunctionName: functionName }))).Aliases ?? []).map((a) => a.Name)]
    : [qualifier];
  const prefixes = [`${STATEMENT_PREFIX}${apiId}-`, `${STATEMENT_PREFIX}authorizer-${apiId}-`];
  let removed = 0;
  for (const q of qualifiers) {
    for (const s of await readStatements(lambda, functionName, q)) {
      if (!prefixes.some((p) => s.Sid.startsWith(p))) continue;
      await lambda.send(new RemovePermissionCommand({ FunctionName: functionName, Qualifier: q, StatementId: s.Sid }));
      removed++;
    }
  }
  return removed;
}

/** Deletes one thing; 'gone' when there was nothing to delete. */
async function remove(clients: AwsClients, d: Deletion): Promise<'deleted' | 'gone'> {
  const { apigateway, apigatewayv2, lambda } = clients;
  switch (d.kind) {
    case 'base-path-mapping': await apigateway.send(new DeleteBasePathMappingCommand({ domainName: d.domainName, basePath: d.basePath })); return 'deleted';
    case 'api-mapping': await apigatewayv2.send(new DeleteApiMappingCommand({ DomainName: d.domainName, ApiMappingId: d.mappingId })); return 'deleted';
    case 'domain-name': await apigateway.send(new DeleteDomainNameCommand({ domainName: d.domainName })); return 'deleted';
    case 'usage-plan':
      // API Gateway refuses to delete a plan that still lists API stages.
      if (d.apiStages.length) {
        await apigateway.send(new UpdateUsagePlanCommand({ usagePlanId: d.id, patchOperations: d.apiStages.map((value) => ({ op: 'remove', path: '/apiStages', value })) }));
      }
      await apigateway.send(new DeleteUsagePlanCommand({ usagePlanId: d.id }));
      return 'deleted';
    case 'api-key': await apigateway.send(new DeleteApiKeyCommand({ apiKey: d.id })); return 'deleted';
    case 'rest-api': await apigateway.send(new DeleteRestApiCommand({ restApiId: d.id })); return 'deleted';
    case 'http-api': await apigatewayv2.send(new DeleteApiCommand({ ApiId: d.id })); return 'deleted';
    case 'api-grants':
      return (await removeApiGrants(lambda, d.apiId, d.functionName, d.qualifier)) ? 'deleted' : 'gone';
    case 'function-url': await lambda.send(new DeleteFunctionUrlConfigCommand({ FunctionName: d.functionName, Qualifier: d.qualifier })); return 'deleted';
    case 'event-invoke-config': await lambda.send(new DeleteFunctionEventInvokeConfigCommand({ FunctionName: d.functionName, Qualifier: d.qualifier })); return 'deleted';
    case 'provisioned-concurrency': await lambda.send(new DeleteProvisionedConcurrencyConfigCommand({ FunctionName: d.functionName, Qualifier: d.qualifier })); return 'deleted';
    case 'alias': await lambda.send(new DeleteAliasCommand({ FunctionName: d.functionName, Name: d.name })); return 'deleted';
    case 'function': await lambda.send(new DeleteFunctionCommand({ FunctionName: d.functionName })); return 'deleted';
    case 'api-release': await releaseApi(clients, d.protocol, d.id); return 'deleted';
    case 'function-release': {
      const arn = (await lambda.send(new GetFunctionCommand({ FunctionName: d.functionName }))).Configuration!.FunctionArn!;
      await lambda.send(new UntagResourceCommand({ Resource: arn, TagKeys: [STACK_TAG, RETAIN_TAG] }));
      return 'deleted';
    }
    case 'layer-version': await lambda.send(new DeleteLayerVersionCommand({ LayerName: d.layerName, VersionNumber: d.version })); return 'deleted';
    case 'layer-mark': await lambda.send(new RemoveLayerVersionPermissionCommand({ LayerName: d.layerName, VersionNumber: d.version, StatementId: d.statementId })); return 'deleted';
    case 'metric-alarm': await deleteAlarm(clients, d.name); return 'deleted';
    case 'dashboard': await deleteDashboard(clients, d.name); return 'deleted';
    case 'metric-filter': await deleteMetricFilter(clients.logs, d); return 'deleted';
    case 'subscription-filter': await deleteSubscriptionFilter(clients.logs, d); return 'deleted';
  }
}

/** Runs every deletion in order, reporting each outcome as it happens; returns them all. */
export async function runDeletions(clients: AwsClients, deletions: readonly Deletion[], report: (outcome: DeletionOutcome) => void): Promise<DeletionOutcome[]> {
  const outcomes: DeletionOutcome[] = [];
  for (const deletion of deletions) {
    let outcome: DeletionOutcome;
    try {
      outcome = { deletion, result: await remove(clients, deletion) };
    } catch (error) {
      outcome = isNotFound(error) ? { deletion, result: 'gone' } : { deletion, result: 'failed', error };
    }
    outcomes.push(outcome);
    report(outcome);
  }
  return outcomes;
}
