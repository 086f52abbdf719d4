// Lifecycle hook executions of traffic-shifting deployments (`stagecraft deploy` with a SAM
// DeploymentPreference): the deploy registers one before it invokes a PreTraffic/PostTraffic hook
// function, the hook reports through CodeDeploy's PutLifecycleEventHookExecutionStatus, and the
// deploy reads the status back. Kept in memory: an execution lives only as long as a deploy waits.
import { awsError, type AwsError } from '../core/errors.js';

export type HookStatus = 'Pending' | 'Succeeded' | 'Failed';

interface Execution {
  status: HookStatus;
  expiresAt: number;
}

/** AWS's deployment ids: `d-` and nine upper-case letters or digits. */
export const DEPLOYMENT_ID = /^d-[A-Z0-9]{9}$/;

const codedeployError = (code: Parameters<typeof awsError>[0], message: string): AwsError => awsError(code, message, { status: 400, messageKey: 'message' });

/** Where `stagecraft deploy` registers a hook execution (POST) and polls its status (GET): a platform endpoint. */
export const HOOK_EXECUTIONS_PATH = '/_stagecraft/codedeploy/hook-executions';

/** Executions kept at once: the registration endpoint is not authenticated, so memory is bounded. */
const MAX_EXECUTIONS = 10_000;
/** The longest an execution is kept (CodeDeploy's hook timeout is one hour). */
export const MAX_TTL_MS = 48 * 3_600_000;

export class HookExecutions {
  readonly #deployments = new Map<string, Map<string, Execution>>();

  constructor(private readonly now: () => number = Date.now) {}

  /** A hook about to be invoked; forgotten `ttlMs` after (the deploy's timeout and some). False when too many are waiting. */
  register(deploymentId: string, executionId: string, ttlMs: number): boolean {
    this.#purge();
    if (this.#count() >= MAX_EXECUTIONS) return false;
    const executions = this.#deployments.get(deploymentId) ?? new Map<string, Execution>();
    executions.set(executionId, { status: 'Pending', expiresAt: this.now() + ttlMs });
    this.#deployments.set(deploymentId, executions);
    return true;
  }

  #count(): number {
    let n = 0;
    for (const executions of this.#deployments.values()) n += executions.size;
    return n;
  }

  status(deploymentId: string, executionId: string): HookStatus | undefined {
    this.#purge();
    return this.#deployments.get(deploymentId)?.get(executionId)?.status;
  }

  /** PutLifecycleEventHookExecutionStatus: the hook's verdict, once. */
  report(deploymentId: string | undefined, executionId: string | undefined, status: string | undefined): void {
    this.#purge();
    if (!deploymentId) throw codedeployError('DeploymentIdRequiredException', 'At least one deployment ID must be specified.');
    if (!DEPLOYMENT_ID.test(deploymentId)) throw codedeployError('InvalidDeploymentIdException', `Specified DeploymentId is not in the valid format: ${deploymentId}`);
    const executions = this.#deployments.get(deploymentId);
    if (!executions) throw codedeployError('DeploymentDoesNotExistException', `The deployment ${deploymentId} could not be found.`);
    const execution = executionId ? executions.get(executionId) : undefined;
    if (!execution) throw codedeployError('InvalidLifecycleEventHookExecutionIdException', `The lifecycle event hook execution ${executionId ?? ''} is not part of deployment ${deploymentId}.`);
    if (status !== 'Succeeded' && status !== 'Failed') {
      throw codedeployError('InvalidLifecycleEventHookExecutionStatusException', `The status ${status ?? ''} is not valid: a lifecycle event hook reports Succeeded or Failed.`);
    }
    if (execution.status !== 'Pending') throw codedeployError('LifecycleEventAlreadyCompletedException', `The lifecycle event hook execution ${executionId} is already ${execution.status}.`);
    execution.status = status;
  }

  #purge(): void {
    const now = this.now();
    for (const [id, executions] of this.#deployments) {
      for (const [execId, e] of executions) if (e.expiresAt <= now) executions.delete(execId);
      if (!executions.size) this.#deployments.delete(id);
    }
  }
}
