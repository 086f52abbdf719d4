// Lifecycle hook executions of traffic-shifting deployments (src/codedeploy/hook-executions.ts)
// in the store, so that in a cluster the deploy may register and poll on one node and the hook
// report on another. Rows expire; the CodeDeploy module applies AWS's checks on top.
export type HookStatus = 'Pending' | 'Succeeded' | 'Failed';

export interface HookExecutionsStore {
  /** Forgets the executions whose time is up at `nowMs`. */
  purge(nowMs: number): Promise<void>;
  /** A Pending execution kept until `expiresMs` (registered again: Pending anew); false when `max` are kept already. */
  register(deploymentId: string, executionId: string, expiresMs: number, max: number): Promise<boolean>;
  status(deploymentId: string, executionId: string): Promise<HookStatus | undefined>;
  /** Whether any execution of the deployment is kept. */
  hasDeployment(deploymentId: string): Promise<boolean>;
  /** Pending → `status`; false when the execution is not Pending (any more). */
  complete(deploymentId: string, executionId: string, status: 'Succeeded' | 'Failed'): Promise<boolean>;
}
