// Moving an AutoPublishAlias to a new version gradually, as SAM's DeploymentPreference asks
// CodeDeploy to: PreTraffic hook, the configuration's steps (UpdateAlias with RoutingConfig), the
// alias fully on the new version, PostTraffic hook. `stagecraft deploy` drives it and waits. A
// failing hook puts the alias back on the old version and fails the deploy. The first move is
// recorded in the alias's history tag, so an interrupted shift is finished by `stagecraft
// promote` or undone by `stagecraft rollback`, like any canary.
//
// Several functions shift side by side, as CloudFormation runs one CodeDeploy deployment per
// alias at once; when one fails, the stack update fails as a whole: the others stop and every
// alias goes back to the version it left.
import { setTimeout as sleep } from 'node:timers/promises';
import type { LambdaClient } from '@aws-sdk/client-lambda';
import { describeState, moveAlias, readHistory, sameState, writeHistory, type AliasState } from './aliases.js';
import type { ConnectionSettings } from './clients.js';
import type { DeploymentPreferenceSpec } from './deployment-preference.js';
import { newDeploymentId, runHook } from './lifecycle-hooks.js';
import { firingAlarm, watchAlarms } from './alarm-watch.js';
import type { Progress } from './progress.js';

export interface TrafficShiftOptions {
  /** Replaces every configuration's interval between steps (tests, impatient users). */
  intervalMs?: number;
  /** How long a hook has to report (CodeDeploy: one hour). */
  hookTimeoutMs?: number;
  /** What stops the deploy, for the hint after the first step (`deploy --watch`: a second Ctrl-C). */
  interrupt?: string;
}

export const DEFAULT_HOOK_TIMEOUT_MS = 3_600_000;
/** Alarms are read every 5 s, or 10 times an interval when that is shorter (never under 200 ms). */
const alarmPollMs = (intervalMs: number): number => Math.min(5000, Math.max(200, intervalMs / 10));

export interface ShiftContext {
  lambda: LambdaClient;
  /** The server and the caller's credentials (hook executions are registered and read signed). */
  connection: ConnectionSettings;
  progress: Progress;
  step<T>(subject: string, action: string, fn: () => Promise<T>): Promise<T>;
  options: TrafficShiftOptions;
  /** Aborted when another function's shift failed: this one stops and rolls back. */
  signal?: AbortSignal;
}

/** A shift deployFunction left for after every function exists. */
export interface PendingShift {
  /** The alias as it was: its primary version is the one traffic leaves. */
  from: AliasState;
  to: string;
  preference: DeploymentPreferenceSpec;
}

export interface ShiftTarget {
  logicalId: string;
  name: string;
  arn: string;
  alias: string;
  shift: PendingShift;
  /** Hook function names (or ARNs), evaluated now that every function exists. */
  hooks: { PreTraffic?: string; PostTraffic?: string };
  /** CloudWatch alarms whose ALARM state stops the shift and rolls it back. */
  alarms: string[];
}

/**
 * Shifts every target at once. If one fails, the others stop (rolling back what they moved) and
 * those already done are rolled back too; the first failure is thrown.
 */
export async function shiftAll(ctx: ShiftContext, targets: ShiftTarget[]): Promise<void> {
  const abort = new AbortController();
  const completed: { target: ShiftTarget; recorded: boolean }[] = [];
  let failure: { error: unknown; subject: string } | undefined;
  await Promise.all(targets.map(async (t) => {
    try {
      const { recorded } = await ctx.step(t.logicalId, 'shifting traffic', () => shiftTraffic({ ...ctx, signal: abort.signal }, t));
      completed.push({ target: t, recorded });
    } catch (error) {
      if (failure) return; // stopped because of the first failure, and rolled back
      failure = { error, subject: t.logicalId };
      for (const other of targets) {
        if (other !== t && !completed.some((c) => c.target === other)) ctx.progress.note(`${other.logicalId}: stopping the shift of ${other.name}:${other.alias}, because the shift of ${t.logicalId} failed`);
      }
      abort.abort();
    }
  }));
  if (!failure) return;
  for (const { target, recorded } of completed) await rollBack(ctx, target, recorded);
  throw failure.error;
}

/** Shifts one alias; says whether the shift was recorded in the alias's history. */
export async function shiftTraffic(ctx: ShiftContext, t: ShiftTarget): Promise<{ recorded: boolean }> {
  const { lambda, progress, step } = ctx;
  const { from, to, preference } = t.shift;
  const id = t.logicalId;
  const target = `${t.name}:${t.alias}`;
  const fn = { name: t.name, arn: t.arn };
  const old = from.version;
  const intervalMs = ctx.options.intervalMs ?? preference.intervalMs;
  const deploymentId = newDeploymentId();
  progress.note(`${id}: shifting ${target} from version ${old} to ${to} with ${preference.type} (deployment ${deploymentId}${preference.steps.length ? `, ${formatDuration(intervalMs)} between steps` : ''})`);

  const hook = async (lifecycle: 'PreTraffic' | 'PostTraffic'): Promise<string | undefined> => {
    const functionName = t.hooks[lifecycle];
    if (!functionName) return undefined;
    const timeoutMs = ctx.options.hookTimeoutMs ?? DEFAULT_HOOK_TIMEOUT_MS;
    progress.note(`${id}: invoking the ${lifecycle} hook ${functionName} and waiting up to ${formatDuration(timeoutMs)} for it to report its status`);
    const outcome = await step(id, `running the ${lifecycle} hook ${functionName}`, () => runHook(lambda, ctx.connection, { functionName, deploymentId, timeoutMs }, ctx.signal));
    if (outcome === 'Succeeded') {
      progress.report({ subject: id, kind: 'unchanged', message: `${lifecycle} hook ${functionName} reported Succeeded` });
      return undefined;
    }
    return outcome === 'Failed' ? `the ${lifecycle} hook ${functionName} reported Failed` : `the ${lifecycle} hook ${functionName} did not report within ${formatDuration(timeoutMs)}`;
  };

  // An alarm already in ALARM stops the shift before any traffic moves.
  const alarmCheck = async (): Promise<string | undefined> => {
    if (!t.alarms.length) return undefined;
    const firing = await firingAlarm(ctx.connection, t.alarms);
    return firing && `alarm ${firing.name} is in ALARM (${firing.reason})`;
  };
  if (t.alarms.length) progress.note(`${id}: watching CloudWatch alarms ${t.alarms.join(', ')}: any in ALARM stops the shift and rolls ${target} back to version ${old}`);
  const early = (await step(id, 'reading the alarms', alarmCheck)) ?? await hook('PreTraffic');
  if (early) throw new TrafficShiftError(id, `${early}; ${target} stays on ${describeState(from)}`);

  let recorded = false;
  let moved = false;
  const move = async (state: AliasState, action: string) => {
    const result = await step(id, action, () => moveAlias(lambda, fn, t.alias, state, { record: !recorded }));
    recorded ||= result.action === 'moved';
    moved = true;
    return result;
  };
  try {
    for (const [i, weight] of preference.steps.entries()) {
      const result = await move({ version: old, weights: { [to]: weight } }, `shifting ${Math.round(weight * 100)}% of ${target} to version ${to}`);
      progress.report({ subject: id, kind: 'moved', message: `alias ${target} → ${describeState(result.after)}; next step in ${formatDuration(intervalMs)}` });
      if (i === 0) {
        progress.note(`${ctx.options.interrupt ?? 'Ctrl-C'} stops the shift and leaves ${target} split: \`stagecraft promote ${t.name} --from ${to} --to ${t.alias}\` finishes it, \`stagecraft rollback ${t.name} --alias ${t.alias}\` returns it to version ${old}`);
      }
      const alarmed = t.alarms.length
        ? await watchAlarms(alarmCheck, intervalMs, alarmPollMs(intervalMs), ctx.signal)
        : await sleep(intervalMs, undefined, { signal: ctx.signal });
      if (alarmed) throw new TrafficShiftError(id, `${alarmed}; ${target} was rolled back to version ${old}`);
    }
    const beforeAll = await alarmCheck();
    if (beforeAll && moved) throw new TrafficShiftError(id, `${beforeAll}; ${target} was rolled back to version ${old}`);
    if (beforeAll) throw new TrafficShiftError(id, `${beforeAll}; ${target} stays on ${describeState(from)}`);
    await move({ version: to, weights: {} }, `pointing alias ${target} at version ${to}`);
    progress.report({ subject: id, kind: 'moved', message: `alias ${target} → version ${to} (was ${describeState(from)})` });
    const late = await hook('PostTraffic');
    if (late) throw new TrafficShiftError(id, `${late}; ${target} was rolled back to version ${old}`);
    return { recorded };
  } catch (e) {
    // CodeDeploy's rollback: once traffic has moved, any failure puts it all back on the old version.
    if (moved) await rollBack(ctx, t, recorded);
    throw e;
  }
}

/** All traffic back on the version the shift started from, and the history as before the shift. */
async function rollBack(ctx: ShiftContext, t: ShiftTarget, recorded: boolean): Promise<void> {
  const { lambda, step } = ctx;
  const { from, to } = t.shift;
  const target = `${t.name}:${t.alias}`;
  await step(t.logicalId, `rolling ${target} back to version ${from.version}`, async () => {
    await moveAlias(lambda, { name: t.name, arn: t.arn }, t.alias, { version: from.version, weights: {} }, { record: false });
    const history = await readHistory(lambda, t.arn, t.alias);
    if (recorded && history.length && sameState(history[history.length - 1], from)) await writeHistory(lambda, t.arn, t.alias, history.slice(0, -1));
  });
  ctx.progress.report({ subject: t.logicalId, kind: 'moved', message: `alias ${target} → version ${from.version} (rolled back from version ${to})` });
}

/** A hook said no (or nothing): the shift stopped, as the message says. */
export class TrafficShiftError extends Error {
  constructor(readonly subject: string, message: string) {
    super(message);
    this.name = 'TrafficShiftFailed';
  }
}

/** 90s → "1m30s", 300000 → "5m", 1500 → "1.5s". */
export function formatDuration(ms: number): string {
  if (ms < 60_000) return `${Math.round(ms / 100) / 10}s`;
  const h = Math.floor(ms / 3_600_000);
  const m = Math.floor((ms % 3_600_000) / 60_000);
  const s = Math.round((ms % 60_000) / 1000);
  return `${h ? `${h}h` : ''}${m ? `${m}m` : ''}${s ? `${s}s` : ''}`;
}

/** "500ms", "2s", "1.5m", "1h" (a bare number is seconds) into milliseconds; undefined if it isn't one. */
export function parseDuration(text: string): number | undefined {
  const m = /^\s*(\d+(?:\.\d+)?)\s*(ms|s|m|h)?\s*$/.exec(text);
  if (!m) return undefined;
  const unit = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 }[(m[2] ?? 's') as 'ms' | 's' | 'm' | 'h'];
  return Math.round(Number(m[1]) * unit);
}
