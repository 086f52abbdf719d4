// Stack operations as CloudFormation runs them: the call checks what it can at once, records the
// stack IN_PROGRESS (one operation per stack: the store's conditional update decides) and answers;
// the deploy engine then runs in the background on this node, each change it reports an event, and
// the stack ends COMPLETE, or on a failure rolls back (stack-rollback.ts) unless rollback is
// disabled (OnFailure=DO_NOTHING, DisableRollback), when it stays CREATE_FAILED or UPDATE_FAILED.
import { randomUUID } from 'node:crypto';
import { awsError } from '../core/errors.js';
import type {
  CloudFormationStacksStore, KeyValue, OnFailure, StackChanges, StackResourceRecord, StackScope, StackStatus, StoredStack,
} from '../store/cloudformation-stacks-store.js';
import { EngineFailure, type EngineOutcome, type EngineReport, type StackEngine } from './stack-engine.js';
import type { TemplateDocument } from './template-document.js';
import { STACK_TYPE, storedDocument, typeOfResource } from './stack-documents.js';
import { EventQueue } from './event-queue.js';
import { stableStateOf, StackRollbacks, type OperationFailure } from './stack-rollback.js';


/**
 * Statuses an update may start from (CloudFormation's: UPDATE_FAILED is where a failed update without rollback stays;
 * a stack whose create failed or rolled back, or whose update rollback failed, can't be updated).
 */
const UPDATABLE: readonly StackStatus[] = ['CREATE_COMPLETE', 'UPDATE_COMPLETE', 'UPDATE_ROLLBACK_COMPLETE', 'UPDATE_FAILED'];
/** Where an update starts from a state a failed update rolls back to. */
const STABLE: readonly StackStatus[] = ['CREATE_COMPLETE', 'UPDATE_COMPLETE', 'UPDATE_ROLLBACK_COMPLETE'];
const DELETABLE: readonly StackStatus[] = [
  'CREATE_COMPLETE', 'CREATE_FAILED', 'UPDATE_COMPLETE', 'UPDATE_FAILED', 'DELETE_FAILED', 'REVIEW_IN_PROGRESS',
  'ROLLBACK_COMPLETE', 'ROLLBACK_FAILED', 'UPDATE_ROLLBACK_COMPLETE', 'UPDATE_ROLLBACK_FAILED',
];

export function stackArn(scope: StackScope, stackName: string): string {
  return `arn:aws:cloudformation:${scope.region}:${scope.accountId}:stack/${stackName}/${randomUUID()}`;
}

export const missingStack = (nameOrId: string) => awsError('ValidationError', `Stack with id ${nameOrId} does not exist`);

export interface StackRequest {
  templateBody: string;
  doc: TemplateDocument;
  parameters: KeyValue[];
  overrides: Record<string, string>;
  capabilities: string[];
  tags: KeyValue[];
}

export class StackOperations {
  /** The operations running on this node. */
  readonly #running = new Set<Promise<void>>();
  #closing = false;
  /** Rollbacks this node was running when it stopped, resumed once it serves. */
  #toResume: StoredStack[] = [];
  readonly rollbacks: StackRollbacks;

  constructor(
    readonly store: CloudFormationStacksStore,
    readonly engineFor: (scope: StackScope) => StackEngine,
    readonly nodeId: string,
    readonly now: () => number = Date.now,
  ) {
    this.rollbacks = new StackRollbacks({
      store, nodeId, engineFor, now, event: (...args) => this.event(...args), background: (work) => this.#background(work), closing: () => this.#closing,
    });
  }

  async find(scope: StackScope, nameOrId: string): Promise<StoredStack> {
    const stack = await this.store.get(scope, nameOrId);
    if (!stack) throw missingStack(nameOrId);
    return stack;
  }

  /** A new stack record, REVIEW_IN_PROGRESS (a change set's) or about to be created. */
  async record(scope: StackScope, stackName: string, request: StackRequest, status: StackStatus, terminationProtection = false, onFailure?: OnFailure): Promise<StoredStack> {
    const stack: StoredStack = {
      // As CloudFormation: a stack in review says why it exists.
      stackId: stackArn(scope, stackName), scope, stackName, status, statusReason: status === 'REVIEW_IN_PROGRESS' ? 'User Initiated' : undefined, description: request.doc.description, templateBody: request.templateBody,
      parameters: request.parameters, outputs: [], resources: [], tags: request.tags, capabilities: request.capabilities, terminationProtection, onFailure, createdMs: this.now(), nodeId: this.nodeId,
    };
    if (!(await this.store.create(stack))) throw awsError('AlreadyExistsException', `Stack [${stackName}] already exists`);
    return stack;
  }

  async create(scope: StackScope, stackName: string, request: StackRequest, onFailure: OnFailure, terminationProtection = false): Promise<string> {
    const stack = await this.record(scope, stackName, request, 'CREATE_IN_PROGRESS', terminationProtection, onFailure);
    await this.event(stack, stackName, stack.stackId, STACK_TYPE, 'CREATE_IN_PROGRESS', 'User Initiated');
    this.#background(this.#deploy(stack, request, 'CREATE', onFailure));
    return stack.stackId;
  }

  /**
   * Creates (a REVIEW_IN_PROGRESS stack's first change set) or updates a recorded stack. An update from a stable
   * status keeps that state to roll back to; one from UPDATE_FAILED keeps the one it had.
   */
  async execute(stack: StoredStack, request: StackRequest, type: 'CREATE' | 'UPDATE', onFailure: OnFailure): Promise<void> {
    const from = type === 'CREATE' ? ['REVIEW_IN_PROGRESS' as const] : UPDATABLE;
    const status: StackStatus = type === 'CREATE' ? 'CREATE_IN_PROGRESS' : 'UPDATE_IN_PROGRESS';
    const stable = type === 'UPDATE' && STABLE.includes(stack.status) ? { stableState: stableStateOf(stack) } : {};
    const started = await this.store.update(stack.stackId, { status, statusReason: undefined, nodeId: this.nodeId, onFailure, ...stable }, from);
    if (!started) throw this.#busy(await this.find(stack.scope, stack.stackId), type === 'CREATE' ? 'created' : 'updated');
    await this.event(stack, stack.stackName, stack.stackId, STACK_TYPE, status, 'User Initiated');
    this.#background(this.#deploy(stack, request, type, onFailure));
  }

  /** UpdateStack's refusals: a stack not in a state to update, or nothing changed. */
  checkUpdatable(stack: StoredStack, request: StackRequest): void {
    this.checkUpdatableStatus(stack);
    if (unchanged(stack, request)) throw awsError('ValidationError', 'No updates are to be performed.');
  }

  /** A stack not in a state to update (UpdateStack, CreateChangeSet of type UPDATE). */
  checkUpdatableStatus(stack: StoredStack): void {
    if (!UPDATABLE.includes(stack.status)) throw this.#busy(stack, 'updated');
  }

  async delete(stack: StoredStack): Promise<void> {
    if (stack.status === 'DELETE_IN_PROGRESS') return; // as CloudFormation: DeleteStack again is no error
    if (stack.status === 'REVIEW_IN_PROGRESS') {
      // Nothing was ever deployed: the stack and its change sets just go.
      if (await this.store.update(stack.stackId, { status: 'DELETE_COMPLETE', deletedMs: this.now() }, ['REVIEW_IN_PROGRESS'])) return;
    }
    const started = await this.store.update(stack.stackId, { status: 'DELETE_IN_PROGRESS', statusReason: undefined, nodeId: this.nodeId }, DELETABLE);
    if (!started) {
      const now = await this.find(stack.scope, stack.stackId);
      if (now.status === 'DELETE_IN_PROGRESS' || now.status === 'DELETE_COMPLETE') return;
      throw this.#busy(now, 'deleted');
    }
    await this.event(stack, stack.stackName, stack.stackId, STACK_TYPE, 'DELETE_IN_PROGRESS', 'User Initiated');
    this.#background(this.#delete(stack));
  }

  /**
   * At start: the operations this node was running when it stopped will never finish. A create or update that
   * rolls back on failure is rolling back (resumed by `resume`, once this node serves), others fail.
   */
  async start(): Promise<void> {
    await this.#interrupt();
    this.#toResume = StackRollbacks.rollingBack(await this.store.inProgressOf(this.nodeId));
  }

  /** Once this node serves (the engine calls it over loopback): the rollbacks it was running when it stopped go on. */
  resume(): void {
    for (const stack of this.#toResume.splice(0)) this.rollbacks.resume(stack);
  }

  /** At shutdown, before the port closes: the engine's calls fail from now on because of the stop, so their failures are not the stack's. */
  stopping(): void {
    this.#closing = true;
  }

  /**
   * At shutdown: what is still running will not finish (the services it calls are stopping), so it is marked
   * now as at start; its own last writes then change nothing (they expect the status it had), and a rollback
   * running stops without writing its outcome: the restart resumes it.
   */
  async close(): Promise<void> {
    this.stopping();
    // Also work that ended since `stopping`: its failure (a call the closed port refused) was left for this.
    await this.#interrupt();
  }

  async #interrupt(): Promise<void> {
    for (const stack of await this.store.inProgressOf(this.nodeId)) await this.rollbacks.interrupted(stack);
  }

  async event(stack: StoredStack, logicalId: string, physicalId: string | undefined, type: string, status: string, reason?: string): Promise<void> {
    await this.store.addEvent({
      eventId: randomUUID(), stackId: stack.stackId, timestampMs: this.now(), logicalId, physicalId, resourceType: type, status, statusReason: reason,
    });
  }

  #busy(stack: StoredStack, what: 'created' | 'updated' | 'deleted') {
    return awsError('ValidationError', `Stack:${stack.stackId} is in ${stack.status} state and can not be ${what}.`);
  }

  #background(work: Promise<void>): void {
    const tracked = work.catch((e) => console.error(`cloudformation: a stack operation failed unexpectedly: ${e instanceof Error ? e.stack : String(e)}`))
      .finally(() => this.#running.delete(tracked));
    this.#running.add(tracked);
  }

  async #deploy(stack: StoredStack, request: StackRequest, type: 'CREATE' | 'UPDATE', onFailure: OnFailure): Promise<void> {
    const events = new EventQueue();
    const typeOf = (id: string) => typeOfResource(request.doc, id);
    const report = (r: EngineReport) => {
      const status = resourceStatus(type, r.kind);
      if (r.kind === 'warning') events.push(() => this.event(stack, stack.stackName, stack.stackId, STACK_TYPE, `${type}_IN_PROGRESS`, r.message));
      else if (status && typeOf(r.subject)) events.push(() => this.event(stack, r.subject, undefined, typeOf(r.subject)!, status, r.message));
    };
    const engine = this.engineFor(stack.scope);
    try {
      const outcome = await engine.deploy({ name: stack.stackName, id: stack.stackId }, request.templateBody, request.overrides, report);
      await events.drained();
      const at = this.now();
      const resources: StackResourceRecord[] = outcome.resources.map((r) => ({
        ...r, type: typeOf(r.logicalId) ?? r.type, status: `${type}_COMPLETE`, updatedMs: at,
      }));
      for (const r of resources) await this.event(stack, r.logicalId, r.physicalId, r.type, `${type}_COMPLETE`);
      // An update ends with its cleanup: what the template no longer has goes once the rest is in place.
      const done: StackStatus = type === 'CREATE' ? 'CREATE_COMPLETE' : 'UPDATE_COMPLETE_CLEANUP_IN_PROGRESS';
      const inProgress: StackStatus = type === 'CREATE' ? 'CREATE_IN_PROGRESS' : 'UPDATE_IN_PROGRESS';
      if (!(await this.store.update(stack.stackId, {
        status: done, statusReason: undefined, templateBody: request.templateBody, description: request.doc.description, parameters: request.parameters,
        outputs: outcome.outputs, resources, tags: request.tags, capabilities: request.capabilities, ...(type === 'UPDATE' ? { updatedMs: at } : {}),
      }, [inProgress]))) return;
      await this.event(stack, stack.stackName, stack.stackId, STACK_TYPE, done);
      if (type === 'UPDATE') await this.#cleanUp(stack, request, outcome);
    } catch (e) {
      await events.drained();
      if (this.#closing) return;
      const message = e instanceof EngineFailure ? e.message : e instanceof Error ? e.message : String(e);
      const failed: StackStatus = type === 'CREATE' ? 'CREATE_FAILED' : 'UPDATE_FAILED';
      const subject = e instanceof EngineFailure && e.subject !== undefined && typeOf(e.subject) ? e.subject : undefined;
      // As CloudFormation: a resource an update adds fails to create.
      const added = type === 'UPDATE' && subject !== undefined && !storedDocument(stack)?.resources.has(subject);
      if (subject) await this.event(stack, subject, undefined, typeOf(subject)!, added ? 'CREATE_FAILED' : failed, message);
      // The template is the stack's from now on (a rollback deploys the stable state again): the engine may have changed part of what it names.
      const recorded: StackChanges = {
        templateBody: request.templateBody, parameters: request.parameters, tags: request.tags, capabilities: request.capabilities, ...(type === 'UPDATE' ? { updatedMs: this.now() } : {}),
      };
      const failure: OperationFailure = { subject, message };
      if (onFailure !== 'DO_NOTHING') {
        if (type === 'CREATE') return this.rollbacks.afterCreate(stack, failure, onFailure, recorded);
        const now = await this.store.get(stack.scope, stack.stackId);
        if (now?.stableState) return this.rollbacks.afterUpdate(now, failure, recorded);
      }
      if (!(await this.store.update(stack.stackId, { ...recorded, status: failed, statusReason: message }, [type === 'CREATE' ? 'CREATE_IN_PROGRESS' : 'UPDATE_IN_PROGRESS']))) return;
      await this.event(stack, stack.stackName, stack.stackId, STACK_TYPE, failed, message);
    }
  }

  /**
   * UPDATE_COMPLETE_CLEANUP_IN_PROGRESS: the resources the previous template had and this one doesn't are
   * deleted (DELETE_IN_PROGRESS, DELETE_COMPLETE each; DELETE_SKIPPED for a retained one), then UPDATE_COMPLETE. As CloudFormation, a
   * deletion that fails (DELETE_FAILED) doesn't fail the update.
   */
  async #cleanUp(stack: StoredStack, request: StackRequest, outcome: EngineOutcome): Promise<void> {
    const retained = storedDocument(stack)?.retained ?? new Set<string>();
    const all = removedResources(stack, request, outcome);
    // As CloudFormation: a resource whose DeletionPolicy keeps it is DELETE_SKIPPED (the engine releases it from the stack).
    for (const r of all.filter((x) => retained.has(x.logicalId))) await this.event(stack, r.logicalId, r.physicalId, r.type, 'DELETE_SKIPPED');
    const removed = all.filter((x) => !retained.has(x.logicalId));
    for (const r of removed) await this.event(stack, r.logicalId, r.physicalId, r.type, 'DELETE_IN_PROGRESS');
    let failure: string | undefined;
    try {
      await this.engineFor(stack.scope).cleanUp(stack.stackName, outcome);
    } catch (e) {
      failure = e instanceof Error ? e.message : String(e);
    }
    if (this.#closing) return;
    for (const r of removed) await this.event(stack, r.logicalId, r.physicalId, r.type, failure ? 'DELETE_FAILED' : 'DELETE_COMPLETE', failure);
    if (!(await this.store.update(stack.stackId, { status: 'UPDATE_COMPLETE' }, ['UPDATE_COMPLETE_CLEANUP_IN_PROGRESS']))) return;
    await this.event(stack, stack.stackName, stack.stackId, STACK_TYPE, 'UPDATE_COMPLETE');
  }

  async #delete(stack: StoredStack): Promise<void> {
    const events = new EventQueue();
    try {
      await this.engineFor(stack.scope).delete(stack.stackName, (r) => {
        if (r.kind === 'failed') events.push(() => this.event(stack, r.subject, undefined, 'AWS::CloudFormation::Stack', 'DELETE_FAILED', r.message));
      });
      await events.drained();
      // A rolled-back stack's resources are gone already; a retained one (DeletionPolicy) was kept, as CloudFormation skips it.
      const retained = storedDocument(stack)?.retained ?? new Set<string>();
      for (const r of stack.resources.filter((x) => x.status !== 'DELETE_COMPLETE')) {
        await this.event(stack, r.logicalId, r.physicalId, r.type, retained.has(r.logicalId) ? 'DELETE_SKIPPED' : 'DELETE_COMPLETE');
      }
      if (!(await this.store.update(stack.stackId, { status: 'DELETE_COMPLETE', statusReason: undefined, deletedMs: this.now(), resources: [] }, ['DELETE_IN_PROGRESS']))) return;
      await this.event(stack, stack.stackName, stack.stackId, STACK_TYPE, 'DELETE_COMPLETE');
    } catch (e) {
      await events.drained();
      const message = e instanceof Error ? e.message : String(e);
      if (!(await this.store.update(stack.stackId, { status: 'DELETE_FAILED', statusReason: message }, ['DELETE_IN_PROGRESS']))) return;
      await this.event(stack, stack.stackName, stack.stackId, STACK_TYPE, 'DELETE_FAILED', message);
    }
  }
}

/** The resources of the stack's template (and those it listed) that the update's template no longer has. */
function removedResources(stack: StoredStack, request: StackRequest, outcome: EngineOutcome): { logicalId: string; physicalId?: string; type: string }[] {
  const before = storedDocument(stack);
  const ids = new Set([...(before?.resources.keys() ?? []), ...stack.resources.map((r) => r.logicalId)]);
  return [...ids].filter((id) => !request.doc.resources.has(id) && !outcome.resources.some((r) => r.logicalId === id)).flatMap((id) => {
    const listed = stack.resources.find((r) => r.logicalId === id);
    const type = listed?.type ?? (before && typeOfResource(before, id));
    return type ? [{ logicalId: id, physicalId: listed?.physicalId, type }] : [];
  });
}

/** The resource status an engine report means: none for what changed nothing. */
function resourceStatus(type: 'CREATE' | 'UPDATE', kind: EngineReport['kind']): string | undefined {
  switch (kind) {
    case 'failed': return `${type}_FAILED`;
    case 'removed': return 'DELETE_COMPLETE';
    case 'created': return 'CREATE_COMPLETE';
    case 'unchanged': return type === 'CREATE' ? 'CREATE_COMPLETE' : undefined;
    case 'warning': return undefined;
    default: return `${type}_COMPLETE`;
  }
}

/** Same template, parameters, tags and capabilities as the stack has: nothing to do. */
export function unchanged(stack: StoredStack, request: StackRequest): boolean {
  const same = (a: readonly KeyValue[], b: readonly KeyValue[]) => JSON.stringify([...a].sort((x, y) => x.key.localeCompare(y.key))) === JSON.stringify([...b].sort((x, y) => x.key.localeCompare(y.key)));
  return stack.templateBody === request.templateBody && same(stack.parameters, request.parameters) && same(stack.tags, request.tags);
}
