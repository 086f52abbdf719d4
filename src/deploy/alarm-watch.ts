// The CloudWatch alarms of a DeploymentPreference, as CodeDeploy watches them during a traffic
// shift: any alarm in ALARM stops it. An alarm that does not exist fails the shift too (CodeDeploy
// fails a deployment whose alarms it cannot read), so a misspelt name never goes unwatched.
import { setTimeout as sleep } from 'node:timers/promises';
import type { ConnectionSettings } from './clients.js';
import { describeAlarmStates } from './cloudwatch-calls.js';

/** The first listed alarm in ALARM, with its reason; throws when a listed alarm does not exist. */
export async function firingAlarm(connection: ConnectionSettings, names: string[]): Promise<{ name: string; reason: string } | undefined> {
  const alarms = await describeAlarmStates(connection, names);
  const missing = names.filter((n) => !alarms.some((a) => a.AlarmName === n));
  if (missing.length) throw new Error(`DeploymentPreference.Alarms names ${missing.map((n) => `'${n}'`).join(', ')}, which CloudWatch does not have (create it with aws cloudwatch put-metric-alarm or put-composite-alarm)`);
  for (const name of names) {
    const alarm = alarms.find((a) => a.AlarmName === name);
    if (alarm?.StateValue === 'ALARM') return { name, reason: alarm.StateReason ?? 'no reason given' };
  }
  return undefined;
}

/** Waits `ms`, checking every `pollMs`; what `check` found (the wait ends early), or undefined after the whole wait. */
export async function watchAlarms(check: () => Promise<string | undefined>, ms: number, pollMs: number, signal?: AbortSignal): Promise<string | undefined> {
  const deadline = Date.now() + ms;
  for (;;) {
    const left = deadline - Date.now();
    if (left <= 0) return undefined;
    await sleep(Math.min(pollMs, left), undefined, { signal });
    const found = await check();
    if (found) return found;
  }
}
