// Deployments of HTTP and WebSocket APIs: a deployment freezes the API's routes, route responses, integrations and authorizers; a stage serves
// the deployment it points at. Stages with autoDeploy get a new deployment in the same write as
// every route or integration change, so what they serve is never behind the API.
import { newShortId } from '../core/ids.js';
import type { HttpApiItemPut, HttpApiRecord, HttpApiItemRef, HttpDeploymentRecord, HttpDeploymentSnapshot, HttpStageRecord } from '../store/httpapi-store.js';
import type { Deps } from './context.js';

export function newDeployment(now: number, snapshot: HttpDeploymentSnapshot, autoDeployed: boolean, description?: string): HttpDeploymentRecord {
  const d: HttpDeploymentRecord = { deploymentId: newShortId(6), createdDate: now, autoDeployed, snapshot };
  if (description !== undefined) d.description = description;
  return d;
}

/** The stage pointed at a deployment, as AWS reports an automatic or explicit deployment. */
export function deployedStage(stage: HttpStageRecord, deployment: HttpDeploymentRecord, now: number): HttpStageRecord {
  const deployed: HttpStageRecord = { ...stage, deploymentId: deployment.deploymentId, lastUpdatedDate: now };
  if (deployment.autoDeployed) deployed.lastDeploymentStatusMessage = `Successfully deployed stage with deployment ID '${deployment.deploymentId}'`;
  return deployed;
}

/** The API's routes, integrations and authorizers as they will be once `puts` and `deletes` are written. */
export async function snapshotAfter(deps: Deps, apiId: string, puts: HttpApiItemPut[], deletes: HttpApiItemRef[]): Promise<HttpDeploymentSnapshot> {
  const [routes, integrations, authorizers, routeResponses, integrationResponses, models] = await Promise.all([
    deps.store.listItems(apiId, 'route'), deps.store.listItems(apiId, 'integration'), deps.store.listItems(apiId, 'authorizer'), deps.store.listItems(apiId, 'routeResponse'),
    deps.store.listItems(apiId, 'integrationResponse'), deps.store.listItems(apiId, 'model'),
  ]);
  const gone = new Set(deletes.map((d) => `${d.kind}:${d.id}`));
  const apply = <T>(kind: 'route' | 'integration' | 'authorizer' | 'routeResponse' | 'integrationResponse' | 'model', items: T[], idOf: (t: T) => string): T[] => {
    const out = items.filter((i) => !gone.has(`${kind}:${idOf(i)}`));
    for (const p of puts) {
      if (p.kind !== kind) continue;
      const at = out.findIndex((i) => idOf(i) === p.id);
      if (at >= 0) out[at] = p.value as T;
      else out.push(p.value as T);
    }
    return out;
  };
  const snapshot: HttpDeploymentSnapshot = {
    routes: apply('route', routes, (r) => r.routeId),
    integrations: apply('integration', integrations, (i) => i.integrationId),
    authorizers: apply('authorizer', authorizers, (a) => a.authorizerId),
  };
  const responses = apply('routeResponse', routeResponses, (r) => r.routeResponseId);
  if (responses.length) snapshot.routeResponses = responses;
  const mappings = apply('integrationResponse', integrationResponses, (r) => r.integrationResponseId);
  if (mappings.length) snapshot.integrationResponses = mappings;
  const schemas = apply('model', models, (m) => m.modelId);
  if (schemas.length) snapshot.models = schemas;
  return snapshot;
}

/** Writes a route, integration or authorizer change (with the API's own record, when given), with a new deployment for the autoDeploy stages. */
export async function writeAndAutoDeploy(deps: Deps, apiId: string, puts: HttpApiItemPut[], deletes: HttpApiItemRef[] = [], api?: HttpApiRecord): Promise<void> {
  const auto = (await deps.store.listItems(apiId, 'stage')).filter((s) => s.autoDeploy);
  const all = [...puts];
  if (auto.length) {
    const now = deps.now();
    const deployment = newDeployment(now, await snapshotAfter(deps, apiId, puts, deletes), true);
    all.push({ kind: 'deployment', id: deployment.deploymentId, value: deployment });
    for (const s of auto) all.push({ kind: 'stage', id: s.stageName, value: deployedStage(s, deployment, now) });
  }
  await deps.store.writeItems(apiId, all, deletes, api);
}
