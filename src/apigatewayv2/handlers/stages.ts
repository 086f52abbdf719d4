// CreateStage, GetStage, GetStages, UpdateStage, DeleteStage, DeleteRouteSettings. A stage serves
// one deployment; with autoDeploy it is deployed at once and again on every route or integration
// change. Its DefaultRouteSettings and per-route RouteSettings throttle requests (route-throttle.ts).
import type { HandlerTable } from '../../aws/protocols/rest-json.js';
import type { Operations } from '../../aws/generated/apigatewayv2.js';
import type { HttpApiItemPut, HttpApiRecord, HttpStageRecord } from '../../store/httpapi-store.js';
import { badRequest, conflict, notFound } from '../../apigateway/errors.js';
import { stageView } from '../views.js';
import { itemNotFound, page, requireApi, requireItem, withApiLock, type Deps } from '../context.js';
import { deployedStage, newDeployment, snapshotAfter } from '../deploy.js';
import { parseLogGroupArn } from '../../execute-api/access-log.js';

const STAGE_NAME = /^(\$default|[A-Za-z0-9_-]{1,128})$/;
const VARIABLE_NAME = /^[A-Za-z0-9_]{1,64}$/;
const VARIABLE_VALUE = /^[A-Za-z0-9-._~:/?#&=,]{1,512}$/;

export function checkStageVariables(variables: Record<string, string>): void {
  for (const [name, value] of Object.entries(variables)) {
    if (!VARIABLE_NAME.test(name)) throw badRequest(`Stage variable name ${name} must be alphanumeric or underscores, at most 64 characters`);
    if (!VARIABLE_VALUE.test(value)) throw badRequest(`Stage variable value ${value} must match [A-Za-z0-9-._~:/?#&=,]+`);
  }
}

/** The writes that put `stage` in place: with autoDeploy, a fresh deployment of the API with it. */
export async function stageWrites(deps: Deps, apiId: string, stage: HttpStageRecord): Promise<HttpApiItemPut[]> {
  if (!stage.autoDeploy) return [{ kind: 'stage', id: stage.stageName, value: stage }];
  const now = deps.now();
  const deployment = newDeployment(now, await snapshotAfter(deps, apiId, [], []), true);
  return [
    { kind: 'deployment', id: deployment.deploymentId, value: deployment },
    { kind: 'stage', id: stage.stageName, value: deployedStage(stage, deployment, now) },
  ];
}

export function newStage(now: number, name: string): HttpStageRecord {
  return {
    stageName: name, autoDeploy: false, stageVariables: {}, createdDate: now, lastUpdatedDate: now,
    defaultRouteSettings: { detailedMetricsEnabled: false }, routeSettings: {}, tags: {},
  };
}

export function stageHandlers(deps: Deps): HandlerTable<Operations> {
  const requireDeployment = async (apiId: string, id: string) => {
    if (!(await deps.store.getItem(apiId, 'deployment', id))) throw itemNotFound('deployment', id);
  };
  return {
    CreateStage: (input, ctx) => withApiLock(deps, input.ApiId, async () => {
      const api = await requireApi(deps, ctx, input.ApiId);
      // A WebSocket API is reached at wss://{host}/{stage}: its stages are named.
      if (api.protocolType === 'WEBSOCKET' && input.StageName === '$default') throw badRequest('Stage name $default is supported only for HTTP APIs');
      if (!STAGE_NAME.test(input.StageName)) throw badRequest(`Stage name ${input.StageName} is invalid: use $default, or letters, digits, - and _`);
      if (await deps.store.getItem(input.ApiId, 'stage', input.StageName)) throw conflict(`Stage ${input.StageName} already exists`);
      if (input.ClientCertificateId) throw badRequest('Client certificates are not supported by Stagecraft yet for HTTP APIs');
      checkExecutionLogSettings(api, input);
      const stage = newStage(deps.now(), input.StageName);
      stage.autoDeploy = input.AutoDeploy ?? false;
      if (input.DeploymentId !== undefined) {
        await requireDeployment(input.ApiId, input.DeploymentId);
        stage.deploymentId = input.DeploymentId;
      }
      if (input.StageVariables) checkStageVariables(stage.stageVariables = input.StageVariables);
      if (input.Description !== undefined) stage.description = input.Description;
      if (input.Tags) stage.tags = input.Tags;
      if (input.DefaultRouteSettings) stage.defaultRouteSettings = settingsFrom(input.DefaultRouteSettings);
      if (input.RouteSettings) stage.routeSettings = await routeSettingsFrom(deps, input.ApiId, {}, input.RouteSettings);
      if (input.AccessLogSettings) stage.accessLogSettings = accessLogSettings(input.AccessLogSettings);
      const writes = await stageWrites(deps, input.ApiId, stage);
      await deps.store.writeItems(input.ApiId, writes);
      return stageView(writes.at(-1)!.value as HttpStageRecord);
    }),

    async GetStage(input, ctx) {
      return stageView(await requireItem(deps, ctx, input.ApiId, 'stage', input.StageName));
    },

    async GetStages(input, ctx) {
      await requireApi(deps, ctx, input.ApiId);
      return page(await deps.store.listItems(input.ApiId, 'stage'), input, stageView);
    },

    UpdateStage: (input, ctx) => withApiLock(deps, input.ApiId, async () => {
      const existing = await requireItem(deps, ctx, input.ApiId, 'stage', input.StageName);
      checkExecutionLogSettings(await requireApi(deps, ctx, input.ApiId), input);
      const stage: HttpStageRecord = { ...existing, lastUpdatedDate: deps.now() };
      if (input.DeploymentId !== undefined) {
        await requireDeployment(input.ApiId, input.DeploymentId);
        stage.deploymentId = input.DeploymentId;
      }
      if (input.StageVariables) {
        // UpdateStage merges the variables given; an empty value removes one.
        const merged = { ...stage.stageVariables };
        for (const [k, v] of Object.entries(input.StageVariables)) if (v === '') delete merged[k]; else merged[k] = v;
        checkStageVariables(merged);
        stage.stageVariables = merged;
      }
      if (input.Description !== undefined) stage.description = input.Description;
      if (input.DefaultRouteSettings) stage.defaultRouteSettings = settingsFrom(input.DefaultRouteSettings);
      // UpdateStage replaces the settings of the routes it names and keeps the others'.
      if (input.RouteSettings) stage.routeSettings = await routeSettingsFrom(deps, input.ApiId, stage.routeSettings, input.RouteSettings);
      if (input.AccessLogSettings) stage.accessLogSettings = accessLogSettings(input.AccessLogSettings);
      const turnedOn = input.AutoDeploy === true && !existing.autoDeploy;
      if (input.AutoDeploy !== undefined) stage.autoDeploy = input.AutoDeploy;
      const writes = turnedOn ? await stageWrites(deps, input.ApiId, stage) : [{ kind: 'stage' as const, id: stage.stageName, value: stage }];
      await deps.store.writeItems(input.ApiId, writes);
      return stageView(writes.at(-1)!.value as HttpStageRecord);
    }),

    DeleteAccessLogSettings: (input, ctx) => withApiLock(deps, input.ApiId, async () => {
      const existing = await requireItem(deps, ctx, input.ApiId, 'stage', input.StageName);
      const { accessLogSettings: _removed, ...stage } = existing;
      await deps.store.writeItems(input.ApiId, [{ kind: 'stage', id: stage.stageName, value: { ...stage, lastUpdatedDate: deps.now() } }]);
    }),

    DeleteRouteSettings: (input, ctx) => withApiLock(deps, input.ApiId, async () => {
      const existing = await requireItem(deps, ctx, input.ApiId, 'stage', input.StageName);
      if (!existing.routeSettings[input.RouteKey]) throw notFound(`Unable to find route settings for route key ${input.RouteKey} in stage ${input.StageName}`);
      const { [input.RouteKey]: _removed, ...routeSettings } = existing.routeSettings;
      await deps.store.writeItems(input.ApiId, [{ kind: 'stage', id: existing.stageName, value: { ...existing, routeSettings, lastUpdatedDate: deps.now() } }]);
    }),

    DeleteStage: (input, ctx) => withApiLock(deps, input.ApiId, async () => {
      await requireItem(deps, ctx, input.ApiId, 'stage', input.StageName);
      await deps.store.writeItems(input.ApiId, [], [{ kind: 'stage', id: input.StageName }]);
    }),
  };
}

/** Access log settings need a CloudWatch Logs log group ARN and a format. */
function accessLogSettings(s: { DestinationArn?: string; Format?: string }): NonNullable<HttpStageRecord['accessLogSettings']> {
  if (!s.DestinationArn || !parseLogGroupArn(s.DestinationArn)) throw badRequest(`Invalid destination ARN ${s.DestinationArn ?? ''}: it must be a CloudWatch Logs log group ARN`);
  if (!s.Format) throw badRequest('Access log format must not be empty');
  return { destinationArn: s.DestinationArn, format: s.Format };
}

type RouteSettingsInput = { DetailedMetricsEnabled?: boolean; ThrottlingBurstLimit?: number; ThrottlingRateLimit?: number; LoggingLevel?: string; DataTraceEnabled?: boolean };

const LOGGING_LEVELS = new Set(['INFO', 'ERROR', 'OFF']);

/** HTTP APIs have no execution logs: AWS refuses a logging level or data tracing on their stages (as users report its answer). */
function checkExecutionLogSettings(api: HttpApiRecord, input: { DefaultRouteSettings?: RouteSettingsInput; RouteSettings?: Record<string, RouteSettingsInput> }): void {
  if (api.protocolType === 'WEBSOCKET') return;
  const all = [input.DefaultRouteSettings, ...Object.values(input.RouteSettings ?? {})];
  if (all.some((s) => s?.LoggingLevel !== undefined || s?.DataTraceEnabled === true)) throw badRequest('Execution logs are not supported on protocolType HTTP');
}

function settingsFrom(s: RouteSettingsInput): HttpStageRecord['defaultRouteSettings'] {
  const out: HttpStageRecord['defaultRouteSettings'] = { detailedMetricsEnabled: s.DetailedMetricsEnabled ?? false };
  if (s.ThrottlingBurstLimit !== undefined) {
    if (!Number.isInteger(s.ThrottlingBurstLimit) || s.ThrottlingBurstLimit < 0) throw badRequest(`ThrottlingBurstLimit must be a whole number of at least 0, got ${s.ThrottlingBurstLimit}`);
    out.throttlingBurstLimit = s.ThrottlingBurstLimit;
  }
  if (s.ThrottlingRateLimit !== undefined) {
    if (!Number.isFinite(s.ThrottlingRateLimit) || s.ThrottlingRateLimit < 0) throw badRequest(`ThrottlingRateLimit must be a number of at least 0, got ${s.ThrottlingRateLimit}`);
    out.throttlingRateLimit = s.ThrottlingRateLimit;
  }
  if (s.LoggingLevel !== undefined) {
    if (!LOGGING_LEVELS.has(s.LoggingLevel)) throw badRequest(`Invalid logging level ${s.LoggingLevel}: use INFO, ERROR or OFF`);
    out.loggingLevel = s.LoggingLevel as 'INFO' | 'ERROR' | 'OFF';
  }
  if (s.DataTraceEnabled !== undefined) out.dataTraceEnabled = s.DataTraceEnabled;
  return out;
}

/** `have` with the settings of the routes `given` names replaced; every key must be one of the API's routes. */
async function routeSettingsFrom(deps: Deps, apiId: string, have: HttpStageRecord['routeSettings'], given: Record<string, RouteSettingsInput>): Promise<HttpStageRecord['routeSettings']> {
  const keys = new Set((await deps.store.listItems(apiId, 'route')).map((r) => r.routeKey));
  const out = { ...have };
  for (const [routeKey, settings] of Object.entries(given)) {
    if (!keys.has(routeKey)) throw badRequest(`Unable to find Route by key ${routeKey} within the provided RouteSettings`);
    out[routeKey] = settingsFrom(settings);
  }
  return out;
}
