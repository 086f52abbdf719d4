// Carrying out a stack's deletions (stack-deletions.ts) one by one, in order: each is idempotent —
// what is already gone counts as done — and a failure is recorded and the rest still attempted,
// so one stuck resource doesn't keep the others alive.
import {
  DeleteApiKeyCommand, DeleteBasePathMappingCommand, DeleteDomainNameCommand, DeleteRestApiCommand, DeleteUsagePlanCommand, UpdateUsagePlanCommand,
} from '@aws-sdk/client-api-gateway';
import { DeleteApiCommand, DeleteApiMappingCommand } from '@aws-sdk/client-apigatewayv2';
import {
  DeleteAliasCommand, DeleteFunctionCommand, DeleteFunctionEventInvokeConfigCommand, DeleteFunctionUrlConfigCommand, DeleteLayerVersionCommand,
  DeleteProvisionedConcurrencyConfigCommand, RemoveLayerVersionPermissionCommand,
} from '@aws-sdk/client-lambda';
import type { AwsClients } from './clients.js';
import { isNotFound } from './errors.js';
import type { Deletion } from './stack-deletions.js';

export type DeletionOutcome =
  | { deletion: Deletion; result: 'deleted' }
  | { deletion: Deletion; result: 'gone' }
  | { deletion: Deletion; result: 'failed'; error: unknown };

async function remove(clients: AwsClients, d: Deletion): Promise<void> {
  const { apigateway, apigatewayv2, lambda } = clients;
  switch (d.kind) {
    case 'base-path-mapping': await apigateway.send(new DeleteBasePathMappingCommand({ domainName: d.domainName, basePath: d.basePath })); return;
    case 'api-mapping': await apigatewayv2.send(new DeleteApiMappingCommand({ DomainName: d.domainName, ApiMappingId: d.mappingId })); return;
    case 'domain-name': await apigateway.send(new DeleteDomainNameCommand({ domainName: d.domainName })); return;
    case 'usage-plan':
      // API Gateway refuses to delete a plan that still lists API stages.
      if (d.apiStages.length) {
        await apigateway.send(new UpdateUsagePlanCommand({ usagePlanId: d.id, patchOperations: d.apiStages.map((value) => ({ op: 'remove', path: '/apiStages', value })) }));
      }
      await apigateway.send(new DeleteUsagePlanCommand({ usagePlanId: d.id }));
      return;
    case 'api-key': await apigateway.send(new DeleteApiKeyCommand({ apiKey: d.id })); return;
    case 'rest-api': await apigateway.send(new DeleteRestApiCommand({ restApiId: d.id })); return;
    case 'http-api': await apigatewayv2.send(new DeleteApiCommand({ ApiId: d.id })); return;
    case 'function-url': await lambda.send(new DeleteFunctionUrlConfigCommand({ FunctionName: d.functionName, Qualifier: d.qualifier })); return;
    case 'event-invoke-config': await lambda.send(new DeleteFunctionEventInvokeConfigCommand({ FunctionName: d.functionName, Qualifier: d.qualifier })); return;
    case 'provisioned-concurrency': await lambda.send(new DeleteProvisionedConcurrencyConfigCommand({ FunctionName: d.functionName, Qualifier: d.qualifier })); return;
    case 'alias': await lambda.send(new DeleteAliasCommand({ FunctionName: d.functionName, Name: d.name })); return;
    case 'function': await lambda.send(new DeleteFunctionCommand({ FunctionName: d.functionName })); return;
    case 'layer-version': await lambda.send(new DeleteLayerVersionCommand({ LayerName: d.layerName, VersionNumber: d.version })); return;
    case 'layer-mark': await lambda.send(new RemoveLayerVersionPermissionCommand({ LayerName: d.layerName, VersionNumber: d.version, StatementId: d.statementId })); return;
  }
}

/** Runs every deletion in order, reporting each outcome as it happens; returns them all. */
export async function runDeletions(clients: AwsClients, deletions: readonly Deletion[], report: (outcome: DeletionOutcome) => void): Promise<DeletionOutcome[]> {
  const outcomes: DeletionOutcome[] = [];
  for (const deletion of deletions) {
    let outcome: DeletionOutcome;
    try {
      await remove(clients, deletion);
      outcome = { deletion, result: 'deleted' };
    } catch (error) {
      outcome = isNotFound(error) ? { deletion, result: 'gone' } : { deletion, result: 'failed', error };
    }
    outcomes.push(outcome);
    report(outcome);
  }
  return outcomes;
}
