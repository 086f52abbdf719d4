// Execution operations: StartExecution, DescribeExecution, DescribeStateMachineForExecution,
// ListExecutions, StopExecution and GetExecutionHistory.
import { randomUUID } from 'node:crypto';
import type { HandlerTable } from '../aws/protocols/json-rpc.js';
import type { Operations } from '../aws/generated/stepfunctions.js';
import type { StoredExecution, StoredHistoryEvent } from '../store/stepfunctions-store.js';
import { executionExists, executionMissing, invalidInput, machineMissing, validation } from './errors.js';
import { checkExecutionArn, checkName, executionArnOf, existingMachine, machineArnOfExecution, page, type SfnDeps } from './resources.js';

type ExecutionOps = Pick<Operations, 'StartExecution' | 'DescribeExecution' | 'DescribeStateMachineForExecution' | 'ListExecutions' | 'StopExecution' | 'GetExecutionHistory'>;

const untruncated = { included: true };

async function existingExecution(deps: SfnDeps, arn: string): Promise<StoredExecution> {
  checkExecutionArn(arn);
  const e = await deps.store.getExecution(arn);
  if (!e) throw executionMissing(arn);
  return e;
}

/** A history event as GetExecutionHistory answers it; without execution data, inputs and outputs are left out. */
function historyEvent(ev: StoredHistoryEvent, includeData: boolean) {
  const details = ev.details && !includeData
    ? Object.fromEntries(Object.entries(ev.details).map(([k, v]) => {
      const { input: _i, output: _o, ...rest } = v as Record<string, unknown>;
      return [k, rest];
    }))
    : ev.details;
  return { timestamp: new Date(ev.timestampMs), type: ev.type as never, id: ev.id, previousEventId: ev.previousEventId, ...details };
}

export function executionHandlers(deps: SfnDeps): HandlerTable<ExecutionOps> {
  const { store } = deps;
  return {
    async StartExecution(input) {
      const sm = await existingMachine(deps, input.stateMachineArn);
      const name = input.name ?? randomUUID();
      checkName(name);
      const text = input.input ?? '{}';
      try {
        JSON.parse(text);
      } catch (e) {
        throw invalidInput((e as Error).message);
      }
      const arn = executionArnOf(sm.arn, name);
      const execution: StoredExecution = { arn, stateMachineArn: sm.arn, name, status: 'RUNNING', input: text, startMs: deps.now() };
      if (!(await store.createExecution(execution, deps.runner.nodeId, deps.runner.leaseUntil()))) {
        // Starting a running execution again with the same input answers that execution (idempotent on AWS).
        const existing = await store.getExecution(arn);
        if (existing && existing.status === 'RUNNING' && existing.input === text) return { executionArn: arn, startDate: new Date(existing.startMs) };
        throw executionExists(arn);
      }
      deps.runner.launch(sm, execution);
      return { executionArn: arn, startDate: new Date(execution.startMs) };
    },

    async DescribeExecution(input) {
      const e = await existingExecution(deps, input.executionArn);
      return {
        executionArn: e.arn, stateMachineArn: e.stateMachineArn, name: e.name, status: e.status, startDate: new Date(e.startMs),
        input: e.input, inputDetails: untruncated, redriveCount: 0, redriveStatus: 'NOT_REDRIVABLE',
        ...(e.stopMs !== undefined ? { stopDate: new Date(e.stopMs) } : {}),
        ...(e.output !== undefined ? { output: e.output, outputDetails: untruncated } : {}),
        ...(e.error !== undefined ? { error: e.error } : {}),
        ...(e.cause !== undefined ? { cause: e.cause } : {}),
        ...(e.status === 'RUNNING' || e.status === 'SUCCEEDED' ? {} : { redriveStatusReason: 'Execution is not redrivable in Stagecraft' }),
      };
    },

    async DescribeStateMachineForExecution(input) {
      const e = await existingExecution(deps, input.executionArn);
      const sm = await store.getStateMachine(e.stateMachineArn);
      if (!sm) throw machineMissing(machineArnOfExecution(e.arn));
      return { stateMachineArn: sm.arn, name: sm.name, definition: sm.definition, roleArn: sm.roleArn, updateDate: new Date(sm.updatedMs ?? sm.createdMs), ...(sm.revisionId ? { revisionId: sm.revisionId } : {}) };
    },

    async ListExecutions(input) {
      if (input.stateMachineArn === undefined) throw validation('Must provide a StateMachine ARN or MapRun ARN');
      await existingMachine(deps, input.stateMachineArn);
      const all = await store.listExecutions(input.stateMachineArn, input.statusFilter === 'PENDING_REDRIVE' ? undefined : input.statusFilter);
      const { items, nextToken } = page(input.statusFilter === 'PENDING_REDRIVE' ? [] : all, input.maxResults, input.nextToken);
      return {
        executions: items.map((e) => ({
          executionArn: e.arn, stateMachineArn: e.stateMachineArn, name: e.name, status: e.status, startDate: new Date(e.startMs),
          ...(e.stopMs !== undefined ? { stopDate: new Date(e.stopMs) } : {}), redriveCount: 0,
        })),
        ...(nextToken ? { nextToken } : {}),
      };
    },

    async StopExecution(input) {
      const e = await existingExecution(deps, input.executionArn);
      // Stopping a finished execution changes nothing; AWS answers with the time it stopped.
      if (e.status !== 'RUNNING') return { stopDate: new Date(e.stopMs ?? deps.now()) };
      const stopMs = await deps.runner.stop(e, input.error, input.cause);
      return { stopDate: new Date(stopMs) };
    },

    async GetExecutionHistory(input) {
      await existingExecution(deps, input.executionArn);
      const events = await store.history(input.executionArn);
      if (input.reverseOrder) events.reverse();
      const { items, nextToken } = page(events, input.maxResults, input.nextToken);
      return { events: items.map((ev) => historyEvent(ev, input.includeExecutionData !== false)), ...(nextToken ? { nextToken } : {}) };
    },
  };
}
