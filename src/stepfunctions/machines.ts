// State machine operations: Create/Describe/List/Update/DeleteStateMachine, ValidateStateMachineDefinition
// and the tags of state machines.
import { randomUUID } from 'node:crypto';
import type { HandlerTable } from '../aws/protocols/json-rpc.js';
import type { Operations } from '../aws/generated/stepfunctions.js';
import type { SfnTag, StoredStateMachine } from '../store/stepfunctions-store.js';
import { invalidDefinition, machineExists, missingUpdate, resourceMissing, validation } from './errors.js';
import { validateDefinition } from './validate.js';
import { checkMachineArn, checkName, existingMachine, machineArn, page, type SfnDeps } from './resources.js';

type MachineOps = Pick<Operations, 'CreateStateMachine' | 'DescribeStateMachine' | 'ListStateMachines' | 'UpdateStateMachine' | 'DeleteStateMachine'
  | 'ValidateStateMachineDefinition' | 'TagResource' | 'UntagResource' | 'ListTagsForResource'>;

function checkDefinition(definition: string): void {
  const problems = validateDefinition(definition);
  if (problems.length) throw invalidDefinition(problems);
}

const describe = (sm: StoredStateMachine) => ({
  stateMachineArn: sm.arn, name: sm.name, status: 'ACTIVE' as const, definition: sm.definition, roleArn: sm.roleArn, type: sm.type,
  creationDate: new Date(sm.createdMs), loggingConfiguration: (sm.loggingConfiguration ?? { level: 'OFF', includeExecutionData: false }) as never,
  ...(sm.tracingConfiguration !== undefined ? { tracingConfiguration: sm.tracingConfiguration as never } : { tracingConfiguration: { enabled: false } }),
  ...(sm.revisionId !== undefined ? { revisionId: sm.revisionId } : {}),
});

async function taggedMachine(deps: SfnDeps, arn: string): Promise<StoredStateMachine> {
  checkMachineArn(arn);
  const sm = await deps.store.getStateMachine(arn);
  if (!sm) throw resourceMissing(arn);
  return sm;
}

export function machineHandlers(deps: SfnDeps): HandlerTable<MachineOps> {
  const { store } = deps;
  return {
    async CreateStateMachine(input, ctx) {
      checkName(input.name);
      checkDefinition(input.definition);
      if ((input.type ?? 'STANDARD') !== 'STANDARD') throw validation('Stagecraft runs STANDARD state machines only');
      const arn = machineArn(ctx, input.name);
      const sm: StoredStateMachine = {
        arn, accountId: ctx.accountId, region: ctx.region, name: input.name, definition: input.definition, roleArn: input.roleArn, type: 'STANDARD',
        createdMs: deps.now(), tags: (input.tags ?? []).map((t) => ({ key: t.key ?? '', value: t.value ?? '' })),
        ...(input.loggingConfiguration !== undefined ? { loggingConfiguration: input.loggingConfiguration } : {}),
        ...(input.tracingConfiguration !== undefined ? { tracingConfiguration: input.tracingConfiguration } : {}),
      };
      if (!(await store.createStateMachine(sm))) {
        // The same definition and role again is not an error: AWS answers with the existing machine.
        const existing = await store.getStateMachine(arn);
        if (!existing || existing.definition !== sm.definition || existing.roleArn !== sm.roleArn) throw machineExists(arn);
        return { stateMachineArn: arn, creationDate: new Date(existing.createdMs) };
      }
      return { stateMachineArn: arn, creationDate: new Date(sm.createdMs) };
    },

    async DescribeStateMachine(input) {
      return describe(await existingMachine(deps, input.stateMachineArn));
    },

    async ListStateMachines(input, ctx) {
      const all = await store.listStateMachines(ctx.accountId, ctx.region);
      const { items, nextToken } = page(all, input.maxResults, input.nextToken);
      return {
        stateMachines: items.map((sm) => ({ stateMachineArn: sm.arn, name: sm.name, type: sm.type, creationDate: new Date(sm.createdMs) })),
        ...(nextToken ? { nextToken } : {}),
      };
    },

    async UpdateStateMachine(input) {
      const sm = await existingMachine(deps, input.stateMachineArn);
      if (input.definition === undefined && input.roleArn === undefined && input.loggingConfiguration === undefined && input.tracingConfiguration === undefined) {
        throw missingUpdate();
      }
      if (input.definition !== undefined) checkDefinition(input.definition);
      const updateMs = deps.now();
      const revisionId = randomUUID();
      await store.updateStateMachine({
        ...sm, updatedMs: updateMs, revisionId,
        ...(input.definition !== undefined ? { definition: input.definition } : {}),
        ...(input.roleArn !== undefined ? { roleArn: input.roleArn } : {}),
        ...(input.loggingConfiguration !== undefined ? { loggingConfiguration: input.loggingConfiguration } : {}),
        ...(input.tracingConfiguration !== undefined ? { tracingConfiguration: input.tracingConfiguration } : {}),
      });
      return { updateDate: new Date(updateMs), revisionId };
    },

    async DeleteStateMachine(input) {
      checkMachineArn(input.stateMachineArn);
      await store.deleteStateMachine(input.stateMachineArn);
      return {};
    },

    async ValidateStateMachineDefinition(input) {
      const problems = validateDefinition(input.definition);
      return {
        result: problems.length ? 'FAIL' : 'OK',
        diagnostics: problems.map((p) => {
          const [code, ...rest] = p.split(': ');
          const message = rest.join(': ');
          const at = / at (\/\S*)$/.exec(message);
          return { severity: 'ERROR' as const, code, message, ...(at ? { location: at[1] } : {}) };
        }),
        truncated: false,
      };
    },

    async TagResource(input) {
      const sm = await taggedMachine(deps, input.resourceArn);
      const tags = new Map<string, string>(sm.tags.map((t) => [t.key, t.value]));
      for (const t of input.tags) tags.set(t.key ?? '', t.value ?? '');
      await store.updateStateMachine({ ...sm, tags: [...tags].map(([key, value]): SfnTag => ({ key, value })) });
      return {};
    },

    async UntagResource(input) {
      const sm = await taggedMachine(deps, input.resourceArn);
      await store.updateStateMachine({ ...sm, tags: sm.tags.filter((t) => !input.tagKeys.includes(t.key)) });
      return {};
    },

    async ListTagsForResource(input) {
      const sm = await taggedMachine(deps, input.resourceArn);
      return { tags: sm.tags };
    },
  };
}
