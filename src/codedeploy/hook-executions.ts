// Lifecycle hook executions of traffic-shifting deployments (`stagecraft deploy` with a SAM
// DeploymentPreference): the deploy registers one before it invokes a PreTraffic/PostTraffic hook
// function, the hook reports through CodeDeploy's PutLifecycleEventHookExecutionStatus, and the
// deploy reads the status back. Kept in the store (shared by a cluster's nodes, so the report may
// reach any node), and only as long as a deploy waits.
import { awsError, type AwsError } from '../core/errors.js';
import type { HookExecutionsStore, HookStatus } from '../store/hook-executions-store.js';

export type { HookStatus };

/** AWS's deployment ids: `d-` and nine upper-case letters or digits. */
export const DEPLOYMENT_ID = /^d-[A-Z0-9]{9}$/;

const codedeployError = (code: Parameters<typeof awsError>[0], message: string): AwsError => awsError(code, message, { status: 400, messageKey: 'message' });

/** Where `stagecraft deploy` registers a hook execution (POST) and polls its status (GET): a platform endpoint. */
export const HOOK_EXECUTIONS_PATH = '/_stagecraft/codedeploy/hook-executions';

/** Executions kept at once: the registration endpoint is not authenticated, so the store is bounded. */
const MAX_EXECUTIONS = 10_000;
/** The longest an execution is kept (CodeDeploy's hook timeout is one hour). */
export const MAX_TTL_MS = 48 * 3_600_000;

export class HookExecutions {
  constructor(private readonly store: HookExecutionsStore, private readonly now: () => number = Date.now) {}

  /** A hook about to be invoked; forgotten `ttlMs` after (the deploy's timeout and some). False when too many are waiting. */
  async register(deploymentId: string, executionId: string, ttlMs: number): Promise<boolean> {
    const now = await this.#purge();
    return this.store.register(deploymentId, executionId, now + ttlMs, MAX_EXECUTIONS);
  }

  async status(deploymentId: string, executionId: string): Promise<HookStatus | undefined> {
    await this.#purge();
    return this.store.status(deploymentId, executionId);
  }

  /** PutLifecycleEventHookExecutionStatus: the hook's verdict, once. */
  async report(deploymentId: string | undefined, executionId: string | undefined, status: string | undefined): Promise<void> {
    await this.#purge();
    if (!deploymentId) throw codedeployError('DeploymentIdRequiredException', 'At least one deployment ID must be specified.');
    if (!DEPLOYMENT_ID.test(deploymentId)) throw codedeployError('InvalidDeploymentIdException', `Specified DeploymentId is not in the valid format: ${deploymentId}`);
    if (!(await this.store.hasDeployment(deploymentId))) throw codedeployError('DeploymentDoesNotExistException', `The deployment ${deploymentId} could not be found.`);
    const current = executionId ? await this.store.status(deploymentId, executionId) : undefined;
    if (!current) throw codedeployError('InvalidLifecycleEventHookExecutionIdException', `The lifecycle event hook execution ${executionId ?? ''} is not part of deployment ${deploymentId}.`);
    if (status !== 'Succeeded' && status !== 'Failed') {
      throw codedeployError('InvalidLifecycleEventHookExecutionStatusException', `The status ${status ?? ''} is not valid: a lifecycle event hook reports Succeeded or Failed.`);
    }
    // Only a Pending execution takes a verdict, even when two reports race (on two nodes).
    if (!(await this.store.complete(deploymentId, executionId!, status))) {
      const settled = await this.store.status(deploymentId, executionId!);
      throw codedeployError('LifecycleEventAlreadyCompletedException', `The lifecycle event hook execution ${executionId} is already ${settled ?? current}.`);
    }
  }

  async #purge(): Promise<number> {
    const now = this.now();
    await this.store.purge(now);
    return now;
  }
}
