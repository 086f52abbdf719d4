// A stage promotion preview (`stagecraft promote --api … --dry-run --json`, and the web console's
// preview): the plan, the two deployments and the routes they serve, read through a StageReader
// (the CLI's over the AWS SDK, the console's over its own client). No I/O of its own, and only
// other served modules imported: the compiled module is also served to the console.
import { diffRoutes, type OpenApiDocument, type RouteDiff } from './route-diff.js';
import { planStagePromotion, type ApiKind, type StagePromotionPlan, type StageView } from './stage-promotion-plan.js';

export interface DeploymentSummary {
  id: string;
  description: string;
  /** ISO 8601; null when the server gave none. */
  createdDate: string | null;
}

/** The `--dry-run --json` answer for an API stage (documented in docs/cli.md). */
export interface StagePromotionPreview<Api = { kind: ApiKind; id: string; name: string }> {
  dryRun: true;
  kind: 'api-stage';
  api: Api;
  from: string;
  to: string;
  action: StagePromotionPlan['action'];
  /** The deployment --to serves now (null when --to doesn't exist). */
  current: DeploymentSummary | null;
  /** The deployment --from serves: what --to would serve (or send the canary share to). */
  target: DeploymentSummary;
  /** With --canary: the share of --to's traffic the target would take. */
  percentTraffic?: number;
  /** What --to would serve compared with what it serves now. */
  routes: RouteDiff;
  /**
   * kept: --to keeps its own stage variables; none: a new stage starts without any; overridden:
   * finishing the canary writes its overrides (names in `overrides`) into the stage's variables.
   */
  stageVariables: { effect: 'kept' | 'none' | 'overridden'; overrides: string[] };
  changes: boolean;
}

export function stagePreviewOf<Api>(args: {
  api: Api; from: string; to: string; plan: StagePromotionPlan; targetStage?: StageView;
  current: DeploymentSummary | null; target: DeploymentSummary; before: OpenApiDocument | null; after: OpenApiDocument;
}): StagePromotionPreview<Api> {
  const { plan } = args;
  const overrides = plan.action === 'finish-canary' ? Object.keys(args.targetStage?.canary?.stageVariableOverrides ?? {}).sort((a, b) => a.localeCompare(b)) : [];
  return {
    dryRun: true, kind: 'api-stage', api: args.api, from: args.from, to: args.to, action: plan.action, current: args.current, target: args.target,
    ...(plan.action === 'canary' ? { percentTraffic: plan.percentTraffic } : {}),
    routes: diffRoutes(args.before, args.after),
    stageVariables: { effect: plan.action === 'create' ? 'none' : overrides.length ? 'overridden' : 'kept', overrides },
    changes: plan.action !== 'unchanged',
  };
}

/** A deployment's summary from GetDeployment (either API kind; a date as Date, epoch seconds or ISO text). */
export function deploymentSummaryOf(id: string, description: string | undefined, created: Date | number | string | undefined): DeploymentSummary {
  const date = created === undefined ? undefined : created instanceof Date ? created : new Date(typeof created === 'number' ? created * 1000 : created);
  return { id, description: description ?? '', createdDate: date && !Number.isNaN(date.getTime()) ? date.toISOString() : null };
}

/**
 * The ExportApi specification that says what a v2 stage serves: OpenAPI for an HTTP API; AWS
 * exports no WebSocket API, so for one Stagecraft's own routes export (src/apigatewayv2/route-export.ts).
 */
export function v2ExportSpecification(kind: ApiKind): string {
  return kind === 'websocket' ? 'STAGECRAFT_ROUTES' : 'OAS30';
}

/** What a preview reads of an API. */
export interface StageReader {
  readStages(): Promise<StageView[]>;
  deployment(id: string): Promise<DeploymentSummary>;
  /** What a stage serves, as its OpenAPI export with integrations (a WebSocket API's: Stagecraft's routes export). */
  exportOf(stage: string): Promise<OpenApiDocument>;
}

/** What promoting stage `from` to `to` would change; refuses what the promotion would refuse. */
export async function previewStagePromotionWith<Api extends { kind: ApiKind; name: string }>(
  reader: StageReader, api: Api, from: string, to: string, canaryPercent?: number, apiRef: string = api.name,
): Promise<StagePromotionPreview<Api>> {
  const stages = await reader.readStages();
  const plan = planStagePromotion({ stages, from, to, canaryPercent, kind: api.kind, api: apiRef });
  const targetStage = stages.find((s) => s.name === to);
  const currentId = targetStage?.deploymentId;
  const [target, current, after, before] = await Promise.all([
    reader.deployment(plan.deploymentId),
    currentId ? reader.deployment(currentId) : null,
    reader.exportOf(from),
    currentId ? reader.exportOf(to) : null,
  ]);
  return stagePreviewOf({ api, from, to, plan, targetStage, current, target, before, after });
}
