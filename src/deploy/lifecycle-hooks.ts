// Running a traffic shift's PreTraffic/PostTraffic hook as CodeDeploy does: the hook function is
// invoked asynchronously with {DeploymentId, LifecycleEventHookExecutionId} and answers through
// CodeDeploy's PutLifecycleEventHookExecutionStatus, which the server records; the deploy
// registers the execution first and then polls its status.
import { randomBytes } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { InvokeCommand, type LambdaClient } from '@aws-sdk/client-lambda';
import { HOOK_EXECUTIONS_PATH } from '../codedeploy/hook-executions.js';
import { signedFetch, type ConnectionSettings } from './clients.js';

export type HookOutcome = 'Succeeded' | 'Failed' | 'TimedOut';

const POLL_MS = 200;
const ID_CHARS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';

/** A CodeDeploy deployment id: `d-` and nine upper-case letters or digits. */
export function newDeploymentId(): string {
  return `d-${[...randomBytes(9)].map((b) => ID_CHARS[b % ID_CHARS.length]).join('')}`;
}

export async function runHook(
  lambda: LambdaClient,
  connection: ConnectionSettings,
  hook: { functionName: string; deploymentId: string; timeoutMs: number },
  signal?: AbortSignal,
): Promise<HookOutcome> {
  const executionId = randomBytes(48).toString('base64');
  const url = new URL(HOOK_EXECUTIONS_PATH, connection.endpoint);
  const registered = await signedFetch(connection, 'codedeploy', url, {
    method: 'POST',
    // Kept a minute past the timeout, so a late report is refused as completed, not unknown.
    body: JSON.stringify({ deploymentId: hook.deploymentId, executionId, ttlMs: hook.timeoutMs + 60_000 }),
  });
  if (registered.status !== 201) throw new Error(`the server did not register the hook execution (HTTP ${registered.status}: ${await registered.text()}); is it a Stagecraft server with CodeDeploy hooks?`);
  await lambda.send(new InvokeCommand({
    FunctionName: hook.functionName,
    InvocationType: 'Event',
    Payload: Buffer.from(JSON.stringify({ DeploymentId: hook.deploymentId, LifecycleEventHookExecutionId: executionId })),
  }));
  const deadline = Date.now() + hook.timeoutMs;
  url.search = new URLSearchParams({ deploymentId: hook.deploymentId, executionId }).toString();
  while (Date.now() < deadline) {
    await sleep(Math.min(POLL_MS, Math.max(0, deadline - Date.now())), undefined, { signal });
    const res = await signedFetch(connection, 'codedeploy', url, { method: 'GET' });
    const body = (await res.json()) as { status?: string };
    if (res.status !== 200) throw new Error(`the server lost the hook execution (HTTP ${res.status}); was its data dir or database replaced?`);
    if (body.status === 'Succeeded' || body.status === 'Failed') return body.status;
  }
  return 'TimedOut';
}
