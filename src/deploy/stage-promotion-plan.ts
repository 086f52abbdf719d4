// What promoting one API stage to another means, as plain data. No I/O and no imports:
// stage-promotion.ts reads the stages and applies the plan for the CLI, and the compiled module is
// served to the web console, whose console/stage-actions.js applies it the same way.

/** A REST API canary as GetStage shows it. */
export interface StageCanary {
  deploymentId?: string;
  percentTraffic?: number;
  stageVariableOverrides?: Record<string, string>;
}

/** What planning needs of a stage, for REST, HTTP and WebSocket APIs alike. */
export interface StageView {
  name: string;
  deploymentId?: string;
  canary?: StageCanary;
  /** HTTP and WebSocket APIs: the stage follows every change by itself. */
  autoDeploy?: boolean;
}

export interface PatchOp {
  op: 'replace' | 'remove';
  path: string;
  value?: string;
}

export type StagePromotionPlan =
  /** The target stage doesn't exist: create it serving the source's deployment (no variables). */
  | { action: 'create'; deploymentId: string }
  | { action: 'unchanged'; deploymentId: string }
  /** The target serves the source's deployment from now on. */
  | { action: 'promote'; deploymentId: string; before?: string; operations: PatchOp[] }
  /** The target keeps its deployment and sends `percentTraffic` to the source's as a canary. */
  | { action: 'canary'; deploymentId: string; before?: string; percentTraffic: number; operations: PatchOp[] }
  /** The target's canary (of the source's deployment) becomes what it serves. */
  | { action: 'finish-canary'; deploymentId: string; before?: string; operations: PatchOp[] };

export type StageRollbackPlan =
  | { action: 'cancel-canary'; deploymentId?: string; operations: PatchOp[] }
  | { action: 'rollback'; deploymentId: string; before?: string; operations: PatchOp[]; remaining: string[] };

/** A request that can't be carried out as asked: message, what to do instead, AWS-like type. */
export class StagePromotionError extends Error {
  constructor(message: string, readonly hint?: string, readonly type = 'InvalidRequest') {
    super(message);
    this.name = 'StagePromotionError';
  }
}

const STAGE_NAME = /^[A-Za-z0-9_-]+$/;
/** How many earlier deployments a stage remembers (tag values are at most 256 characters). */
export const MAX_STAGE_HISTORY = 10;

/** UpdateStage operations that promote a stage's canary: its deployment, its overrides, then drop it. */
export function canaryPromotionOps(stage: StageView): PatchOp[] {
  const canary = stage.canary;
  if (!canary) throw new StagePromotionError(`stage ${stage.name} has no canary`, undefined, 'BadRequestException');
  const ops: PatchOp[] = [];
  if (canary.deploymentId && canary.deploymentId !== stage.deploymentId) ops.push({ op: 'replace', path: '/deploymentId', value: canary.deploymentId });
  for (const [name, value] of Object.entries(canary.stageVariableOverrides ?? {}).sort(([a], [b]) => a.localeCompare(b))) {
    ops.push({ op: 'replace', path: `/variables/${name}`, value });
  }
  ops.push({ op: 'remove', path: '/canarySettings' });
  return ops;
}

/** The kinds of API whose stages are promoted: REST, and API Gateway v2's HTTP and WebSocket. */
export type ApiKind = 'rest' | 'http' | 'websocket';

/**
 * Promotion of stage `from` to stage `to`. `canaryPercent` (0–100, exclusive) starts a canary
 * instead; HTTP and WebSocket APIs (`kind`) have no canaries, and their autoDeploy stages can't be pointed.
 */
export function planStagePromotion(args: { stages: StageView[]; from: string; to: string; canaryPercent?: number; kind?: ApiKind; api?: string }): StagePromotionPlan {
  const { stages, from, to, canaryPercent, kind = 'rest' } = args;
  const api = args.api ?? 'API';
  if (from === to) throw new StagePromotionError(`--from and --to are both ${to}`, 'Promote from one stage to another, e.g. --from dev --to prod.');
  if (to !== '$default' && !STAGE_NAME.test(to)) throw new StagePromotionError(`${to} is not a valid stage name`, 'Stage names are letters, digits, - and _.', 'BadRequestException');
  const source = stages.find((s) => s.name === from);
  if (!source) throw new StagePromotionError(`${api === 'API' ? 'the API' : `API ${api}`} has no stage ${from}`, `Its stages: ${stages.map((s) => s.name).join(', ') || 'none'}.`, 'NotFoundException');
  if (!source.deploymentId) throw new StagePromotionError(`stage ${from} serves no deployment`, 'Deploy to it first.');
  const deploymentId = source.deploymentId;
  const target = stages.find((s) => s.name === to);
  if (kind !== 'rest' && canaryPercent !== undefined) {
    throw new StagePromotionError(`${kind === 'http' ? 'HTTP' : 'WebSocket'} APIs have no canary deployments`, 'Promote without --canary, or use a REST API for canaries.');
  }
  if (target?.autoDeploy) {
    throw new StagePromotionError(`stage ${to} has automatic deployment on: it follows every change to the API, so it can't be pointed at a deployment`,
      `Turn it off first: aws apigatewayv2 update-stage --api-id ID --stage-name ${to} --no-auto-deploy`, 'BadRequestException');
  }
  if (canaryPercent !== undefined) {
    if (!target) throw new StagePromotionError(`stage ${to} doesn't exist yet, so there is no current deployment to share traffic with`, `Promote without --canary first.`, 'NotFoundException');
    if (target.deploymentId === deploymentId) return { action: 'unchanged', deploymentId };
    return {
      action: 'canary', deploymentId, before: target.deploymentId, percentTraffic: canaryPercent,
      operations: [
        { op: 'replace', path: '/canarySettings/deploymentId', value: deploymentId },
        { op: 'replace', path: '/canarySettings/percentTraffic', value: String(canaryPercent) },
      ],
    };
  }
  if (!target) return { action: 'create', deploymentId };
  if (target.canary) {
    if (target.canary.deploymentId !== deploymentId) {
      throw new StagePromotionError(
        `stage ${to} runs a canary of deployment ${target.canary.deploymentId ?? '?'}, not of the one ${from} serves (${deploymentId})`,
        `Cancel it first with \`stagecraft rollback --api ${api} --stage ${to}\`, or start a new canary with --canary.`, 'ConflictException');
    }
    return { action: 'finish-canary', deploymentId, before: target.deploymentId, operations: canaryPromotionOps(target) };
  }
  if (target.deploymentId === deploymentId) return { action: 'unchanged', deploymentId };
  return { action: 'promote', deploymentId, before: target.deploymentId, operations: [{ op: 'replace', path: '/deploymentId', value: deploymentId }] };
}

/**
 * Rollback of a stage: a running canary is cancelled (the stage keeps what it serves); otherwise
 * the stage returns to the newest recorded deployment other than its own (`to` overrides it).
 */
export function planStageRollback(stage: StageView, history: string[], to?: string, api = 'API'): StageRollbackPlan {
  if (to === undefined && stage.canary) return { action: 'cancel-canary', deploymentId: stage.deploymentId, operations: [{ op: 'remove', path: '/canarySettings' }] };
  const remaining = [...history];
  let target = to;
  if (target === undefined) {
    while (remaining.length && target === undefined) {
      const d = remaining.pop()!;
      if (d !== stage.deploymentId) target = d;
    }
  }
  if (target === undefined) {
    throw new StagePromotionError(
      `no earlier deployment is recorded for stage ${stage.name}, which serves ${stage.deploymentId ?? 'nothing'} (it was never promoted, or every promotion was already rolled back)`,
      `Pass the deployment explicitly: stagecraft rollback --api ${api} --stage ${stage.name} --to DEPLOYMENT_ID`, 'NothingToRollBack');
  }
  const operations: PatchOp[] = [{ op: 'replace', path: '/deploymentId', value: target }];
  if (stage.canary) operations.push({ op: 'remove', path: '/canarySettings' });
  return { action: 'rollback', deploymentId: target, before: stage.deploymentId, operations, remaining: to === undefined ? remaining : history };
}

/** The history tag's value: deployment ids, newest last. */
export function parseStageHistory(value: string | undefined): string[] {
  return (value ?? '').split(/\s+/).filter(Boolean);
}

export function formatStageHistory(history: string[]): string {
  return history.slice(-MAX_STAGE_HISTORY).join(' ');
}

/** Parses 10%, 10 or 0.1 into a percentage of traffic (0–100, exclusive), as API Gateway's percentTraffic. */
export function parseCanaryPercent(text: string): number {
  const t = text.trim();
  let p: number;
  if (t.endsWith('%')) p = Number(t.slice(0, -1));
  else {
    const n = Number(t);
    p = n > 0 && n < 1 ? n * 100 : n;
  }
  if (!t || !Number.isFinite(p) || p <= 0 || p >= 100) throw new StagePromotionError(`--canary '${text}' is not a share of traffic between 0% and 100% (exclusive)`, 'Write it as a percentage, e.g. --canary 10%.');
  return Math.round(p * 100) / 100;
}
