// Change sets as `aws cloudformation deploy` uses them: CreateChangeSet works out what would change
// at once (CREATE_COMPLETE, or FAILED with CloudFormation's reason when nothing would, or when the
// code can't be reached); ExecuteChangeSet runs it as a stack create or update. As CloudFormation:
// the executed change set stays (EXECUTE_IN_PROGRESS, then EXECUTE_COMPLETE or EXECUTE_FAILED with
// the stack), the stack's other change sets are deleted; a stack created or updated directly makes
// its change sets OBSOLETE.
import { randomUUID } from 'node:crypto';
import { AwsError, awsError } from '../core/errors.js';
import type { ChangeSetSummary, CreateChangeSetInput, DescribeChangeSetOutput } from '../aws/generated/cloudformation.js';
import type { CloudFormationStacksStore, StackScope, StoredChangeSet, StoredStack } from '../store/cloudformation-stacks-store.js';
import { unchanged, type StackOperations, type StackRequest } from './stack-operations.js';
import { deployedType, storedDocument } from './stack-documents.js';
import { overridesOf } from './stack-rollback.js';
import { stackRequest, type UrlReader } from './stack-request.js';
import { checkNewStackName } from './stack-names.js';
import { checkCodeLocations, parseDocument, resourceChanges } from './template-document.js';

export const NO_CHANGES = "The submitted information didn't contain changes. Submit different information to create a change set.";

const notFound = (name: string) => awsError('ChangeSetNotFound', `ChangeSet [${name}] does not exist`);

export class ChangeSets {
  constructor(private readonly store: CloudFormationStacksStore, private readonly operations: StackOperations) {}

  async create(scope: StackScope, input: CreateChangeSetInput, reader: UrlReader): Promise<{ Id: string; StackId: string }> {
    const type = input.ChangeSetType ?? 'UPDATE';
    if (type === 'IMPORT') throw awsError('ValidationError', 'ChangeSetType IMPORT is not supported by Stagecraft');
    if (type === 'CREATE') checkNewStackName(input.StackName);
    const existing = await this.store.get(scope, input.StackName);
    if (type === 'CREATE' && existing && existing.status !== 'REVIEW_IN_PROGRESS') {
      throw awsError('ValidationError', `Stack [${input.StackName}] already exists and cannot be created again with the changeSet [${input.ChangeSetName}].`);
    }
    if (type === 'UPDATE' && (!existing || existing.status === 'REVIEW_IN_PROGRESS')) throw awsError('ValidationError', `Stack [${input.StackName}] does not exist`);
    // As CloudFormation: a stack whose create failed or rolled back can't be updated (`aws cloudformation deploy` shows this error).
    if (type === 'UPDATE' && existing && !existing.status.endsWith('_IN_PROGRESS')) this.operations.checkUpdatableStatus(existing);
    const request = await stackRequest(input, reader, type === 'UPDATE' ? existing : undefined, true);
    const stack = existing ?? await this.operations.record(scope, input.StackName, request, 'REVIEW_IN_PROGRESS');
    if (await this.store.getChangeSet(stack.stackId, input.ChangeSetName)) throw awsError('AlreadyExistsException', `ChangeSet [${input.ChangeSetName}] already exists`);
    const failure = failureOf(type, stack, request);
    const changeSet: StoredChangeSet = {
      changeSetId: `arn:aws:cloudformation:${scope.region}:${scope.accountId}:changeSet/${input.ChangeSetName}/${randomUUID()}`,
      stackId: stack.stackId, name: input.ChangeSetName, type, description: input.Description,
      status: failure ? 'FAILED' : 'CREATE_COMPLETE', statusReason: failure, executionStatus: failure ? 'UNAVAILABLE' : 'AVAILABLE',
      templateBody: request.templateBody, parameters: request.parameters, tags: request.tags, capabilities: request.capabilities,
      onStackFailure: type === 'CREATE' ? input.OnStackFailure : undefined,
      changes: JSON.stringify(failure ? [] : resourceChanges(
        type === 'UPDATE' ? storedDocument(stack) : undefined, request.doc, new Map(stack.resources.flatMap((r) => (r.physicalId ? [[r.logicalId, r.physicalId]] : []))), deployedType,
      )),
      createdMs: Date.now(),
    };
    await this.store.putChangeSet(changeSet);
    return { Id: changeSet.changeSetId, StackId: stack.stackId };
  }

  async find(scope: StackScope, name: string, stackName: string | undefined): Promise<{ changeSet: StoredChangeSet; stack: StoredStack }> {
    if (!name.startsWith('arn:') && stackName === undefined) throw awsError('ValidationError', 'StackName must be specified if ChangeSetName is not specified as an ARN.');
    const stack = stackName === undefined ? undefined : await this.store.get(scope, stackName);
    if (stackName !== undefined && !stack) throw notFound(name);
    const changeSet = await this.store.getChangeSet(stack?.stackId, name);
    if (!changeSet || (stack && changeSet.stackId !== stack.stackId)) throw notFound(name);
    const owner = stack ?? await this.store.get(scope, changeSet.stackId);
    if (!owner) throw notFound(name);
    return { changeSet, stack: owner };
  }

  async describe(scope: StackScope, name: string, stackName: string | undefined): Promise<DescribeChangeSetOutput> {
    const { changeSet: c, stack } = await this.find(scope, name, stackName);
    return {
      ChangeSetName: c.name, ChangeSetId: c.changeSetId, StackId: stack.stackId, StackName: stack.stackName, Description: c.description,
      Parameters: c.parameters.map((p) => ({ ParameterKey: p.key, ParameterValue: p.value })), CreationTime: new Date(c.createdMs),
      ExecutionStatus: executionStatus(c, stack), Status: c.status, StatusReason: c.statusReason, NotificationARNs: [], RollbackConfiguration: {},
      Capabilities: c.capabilities as DescribeChangeSetOutput['Capabilities'], Tags: c.tags.map((t) => ({ Key: t.key, Value: t.value })),
      Changes: JSON.parse(c.changes) as DescribeChangeSetOutput['Changes'], IncludeNestedStacks: false,
    };
  }

  /** `disableRollback`: ExecuteChangeSet's DisableRollback (a CREATE change set otherwise fails as its OnStackFailure says, ROLLBACK by default). */
  async execute(scope: StackScope, name: string, stackName: string | undefined, disableRollback: boolean): Promise<void> {
    const { changeSet: c, stack } = await this.find(scope, name, stackName);
    // AWS's wordings: a FAILED change set by its status, another by its execution status.
    if (c.status === 'FAILED') throw awsError('InvalidChangeSetStatus', `ChangeSet [${c.changeSetId}] cannot be executed in its current status of [FAILED]`);
    if (c.executionStatus !== 'AVAILABLE') {
      throw awsError('InvalidChangeSetStatus', `ChangeSet [${c.changeSetId}] cannot be executed in its current execution status of [${executionStatus(c, stack)}]`);
    }
    const doc = parseDocument(c.templateBody);
    const request: StackRequest = {
      templateBody: c.templateBody, doc, parameters: c.parameters, overrides: overridesOf(c.parameters),
      capabilities: c.capabilities, tags: c.tags,
    };
    await this.operations.execute(stack, request, c.type, disableRollback ? 'DO_NOTHING' : c.type === 'CREATE' ? c.onStackFailure ?? 'ROLLBACK' : 'ROLLBACK');
    // As CloudFormation: a stack a change set creates has a LastUpdatedTime (one CreateStack creates has none).
    if (c.type === 'CREATE') await this.store.update(stack.stackId, { updatedMs: Date.now() });
    await this.store.updateChangeSet(c.changeSetId, { executionStatus: 'EXECUTE_IN_PROGRESS' });
    // As CloudFormation: the others are no longer valid for the stack, and are deleted.
    for (const other of await this.store.listChangeSets(stack.stackId)) {
      if (other.changeSetId !== c.changeSetId) await this.store.deleteChangeSet(other.changeSetId);
    }
  }

  /**
   * The stack (`before`: as it was) is being created or updated directly: its change sets that could run can't any
   * more; an executed one keeps how its execution ended rather than following the new operation.
   */
  async obsolete(before: StoredStack): Promise<void> {
    for (const c of await this.store.listChangeSets(before.stackId)) {
      if (c.executionStatus === 'AVAILABLE') await this.store.updateChangeSet(c.changeSetId, { executionStatus: 'OBSOLETE' });
      else if (c.executionStatus === 'EXECUTE_IN_PROGRESS') await this.store.updateChangeSet(c.changeSetId, { executionStatus: executionStatus(c, before) });
    }
  }

  async delete(scope: StackScope, name: string, stackName: string | undefined): Promise<void> {
    const { changeSet, stack } = await this.find(scope, name, stackName);
    const execution = executionStatus(changeSet, stack);
    if (execution === 'EXECUTE_IN_PROGRESS') {
      throw awsError('InvalidChangeSetStatus', `ChangeSet [${changeSet.changeSetId}] cannot be deleted in its current execution status of [${execution}]`);
    }
    await this.store.deleteChangeSet(changeSet.changeSetId);
  }

  async list(scope: StackScope, stackName: string): Promise<ChangeSetSummary[]> {
    const stack = await this.operations.find(scope, stackName);
    return (await this.store.listChangeSets(stack.stackId)).map((c) => ({
      StackId: stack.stackId, StackName: stack.stackName, ChangeSetId: c.changeSetId, ChangeSetName: c.name, ExecutionStatus: executionStatus(c, stack),
      Status: c.status, StatusReason: c.statusReason, CreationTime: new Date(c.createdMs), Description: c.description, IncludeNestedStacks: false,
    }));
  }
}

/** An executed change set's execution follows its stack's operation (the one it started, or a later one): a rollback is its failure. */
function executionStatus(c: StoredChangeSet, stack: StoredStack): StoredChangeSet['executionStatus'] {
  if (c.executionStatus !== 'EXECUTE_IN_PROGRESS' || (stack.status.endsWith('_IN_PROGRESS') && !stack.status.includes('ROLLBACK'))) return c.executionStatus;
  return stack.status.endsWith('_FAILED') || stack.status.includes('ROLLBACK') ? 'EXECUTE_FAILED' : 'EXECUTE_COMPLETE';
}

/** Why the change set can't run (its StatusReason), or undefined. */
function failureOf(type: 'CREATE' | 'UPDATE', stack: StoredStack, request: StackRequest): string | undefined {
  try {
    checkCodeLocations(request.doc);
  } catch (e) {
    if (e instanceof AwsError) return e.message;
    throw e;
  }
  return type === 'UPDATE' && unchanged(stack, request) ? NO_CHANGES : undefined;
}
