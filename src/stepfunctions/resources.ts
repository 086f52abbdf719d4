// What the Step Functions operations share: dependencies, ARNs and names, and paging tokens.
import type { RequestContext } from '../aws/request-context.js';
import type { SfnStore, StoredStateMachine } from '../store/stepfunctions-store.js';
import type { ExecutionRunner } from './runner.js';
import { invalidArn, invalidName, invalidToken, machineMissing } from './errors.js';

export interface SfnDeps {
  store: SfnStore;
  runner: ExecutionRunner;
  now: () => number;
}

const MACHINE_ARN = /^arn:aws[a-z-]*:states:([a-z0-9-]+):(\d{12}):stateMachine:([^:]+)$/;
const EXECUTION_ARN = /^arn:aws[a-z-]*:states:([a-z0-9-]+):(\d{12}):execution:([^:]+):([^:]+)$/;
/** Names may not hold whitespace, brackets, wildcards or the other characters AWS refuses. */
const NAME = /^[^\s<>{}[\]?*"#%\\^|~`$&,;:/\u0000-\u001f\u007f-\u009f]{1,80}$/;

export const machineArn = (ctx: Pick<RequestContext, 'accountId' | 'region'>, name: string): string => `arn:aws:states:${ctx.region}:${ctx.accountId}:stateMachine:${name}`;
export const executionArnOf = (machine: string, name: string): string => `${machine.replace(':stateMachine:', ':execution:')}:${name}`;
export const machineArnOfExecution = (arn: string): string => arn.replace(/:execution:([^:]+):[^:]+$/, ':stateMachine:$1');

export function checkName(name: string): void {
  if (!NAME.test(name)) throw invalidName(name);
}

export function checkMachineArn(arn: string): void {
  if (!MACHINE_ARN.test(arn)) throw invalidArn(arn);
}

export function checkExecutionArn(arn: string): void {
  if (!EXECUTION_ARN.test(arn)) throw invalidArn(arn);
}

export async function existingMachine(deps: SfnDeps, arn: string): Promise<StoredStateMachine> {
  checkMachineArn(arn);
  const sm = await deps.store.getStateMachine(arn);
  if (!sm) throw machineMissing(arn);
  return sm;
}

/** A page of `items` after the offset a token carries (opaque base64url), with the next token. */
export function page<T>(items: T[], limit: number | undefined, token: string | undefined): { items: T[]; nextToken?: string } {
  let start = 0;
  if (token !== undefined) {
    const m = /^o(\d+)$/.exec(Buffer.from(token, 'base64url').toString('utf8'));
    if (!m) throw invalidToken();
    start = Number(m[1]);
  }
  const size = limit && limit > 0 ? Math.min(limit, 1000) : 100;
  const slice = items.slice(start, start + size);
  return { items: slice, ...(start + size < items.length ? { nextToken: Buffer.from(`o${start + size}`, 'utf8').toString('base64url') } : {}) };
}
