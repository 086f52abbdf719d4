// Rollback as CloudFormation does it. A failed create deletes what it made (ROLLBACK_IN_PROGRESS, each
// resource DELETE_IN_PROGRESS/DELETE_COMPLETE, ROLLBACK_COMPLETE; or ROLLBACK_FAILED), or with
// OnFailure=DELETE deletes the stack (DELETE_IN_PROGRESS … DELETE_COMPLETE). A failed update deploys
// the stack's stable state again (UPDATE_ROLLBACK_IN_PROGRESS): the engine reconciles to a template,
// so what the update changed comes back and what it added goes, reported after
// UPDATE_ROLLBACK_COMPLETE_CLEANUP_IN_PROGRESS, then UPDATE_ROLLBACK_COMPLETE (or UPDATE_ROLLBACK_FAILED,
// which ContinueUpdateRollback retries). RollbackStack starts the same from CREATE_FAILED or UPDATE_FAILED.
import { awsError } from '../core/errors.js';
import type {
  CloudFormationStacksStore, KeyValue, OnFailure, StackChanges, StackResourceRecord, StackScope, StackStatus, StoredStack,
} from '../store/cloudformation-stacks-store.js';
import { EngineFailure, type EngineReport, type StackEngine } from './stack-engine.js';
import { parseDocument } from './template-document.js';
import { STACK_TYPE, storedDocument, typeOfResource } from './stack-documents.js';
import { EventQueue } from './event-queue.js';

const INTERRUPTED = 'The Stagecraft server running this operation stopped before it finished.';

/** What the rollbacks need of the stack operations. */
export interface RollbackHost {
  readonly store: CloudFormationStacksStore;
  readonly nodeId: string;
  engineFor(scope: StackScope): StackEngine;
  event(stack: StoredStack, logicalId: string, physicalId: string | undefined, type: string, status: string, reason?: string): Promise<void>;
  now(): number;
  /** Runs work in the background on this node. */
  background(work: Promise<void>): void;
  /** True once this node is stopping: a rollback stops without writing its outcome (the restart resumes it). */
  closing(): boolean;
}

/** Why a create or update stopped: the resource that failed (when one did) and the message. */
export interface OperationFailure {
  subject?: string;
  message: string;
}

/** The statuses a rollback runs in: after a restart this node resumes them. */
const ROLLING_BACK: readonly StackStatus[] = ['ROLLBACK_IN_PROGRESS', 'UPDATE_ROLLBACK_IN_PROGRESS', 'UPDATE_ROLLBACK_COMPLETE_CLEANUP_IN_PROGRESS'];
const UPDATE_ROLLING_BACK: readonly StackStatus[] = ['UPDATE_ROLLBACK_IN_PROGRESS', 'UPDATE_ROLLBACK_COMPLETE_CLEANUP_IN_PROGRESS'];

export const overridesOf = (parameters: readonly KeyValue[]): Record<string, string> => Object.fromEntries(parameters.map((p) => [p.key, p.value]));

/** The stack as its last successful operation left it. */
export const stableStateOf = (s: StoredStack): NonNullable<StoredStack['stableState']> => ({
  templateBody: s.templateBody, description: s.description, parameters: s.parameters, tags: s.tags, capabilities: s.capabilities,
});

export class StackRollbacks {
  constructor(private readonly host: RollbackHost) {}

  /** A create failed (the stack still CREATE_IN_PROGRESS, `recorded` what it asked for): roll back, or delete the stack. */
  async afterCreate(stack: StoredStack, failure: OperationFailure, onFailure: Exclude<OnFailure, 'DO_NOTHING'>, recorded: StackChanges): Promise<void> {
    const requested = onFailure === 'DELETE' ? 'Delete requested by user.' : 'Rollback requested by user.';
    const reason = failure.subject !== undefined ? `The following resource(s) failed to create: [${failure.subject}]. ${requested}` : `${failure.message} ${requested}`;
    const status: StackStatus = onFailure === 'DELETE' ? 'DELETE_IN_PROGRESS' : 'ROLLBACK_IN_PROGRESS';
    if (!(await this.host.store.update(stack.stackId, { ...recorded, status, statusReason: reason }, ['CREATE_IN_PROGRESS']))) return;
    await this.host.event(stack, stack.stackName, stack.stackId, STACK_TYPE, status, reason);
    await this.#rollBackCreate(stack.scope, stack.stackId, status);
  }

  /** An update failed (the stack still UPDATE_IN_PROGRESS, `recorded` what it asked for): deploy the stable state again. */
  async afterUpdate(stack: StoredStack, failure: OperationFailure, recorded: StackChanges): Promise<void> {
    const stable = stack.stableState && parseDocument(stack.stableState.templateBody);
    const verb = failure.subject !== undefined && stable && !stable.resources.has(failure.subject) ? 'create' : 'update';
    const reason = failure.subject !== undefined ? `The following resource(s) failed to ${verb}: [${failure.subject}].` : failure.message;
    if (!(await this.host.store.update(stack.stackId, { ...recorded, status: 'UPDATE_ROLLBACK_IN_PROGRESS', statusReason: reason }, ['UPDATE_IN_PROGRESS']))) return;
    await this.host.event(stack, stack.stackName, stack.stackId, STACK_TYPE, 'UPDATE_ROLLBACK_IN_PROGRESS', reason);
    await this.#rollBackUpdate(stack.scope, stack.stackId);
  }

  /** RollbackStack: from CREATE_FAILED (what the create made is deleted) or UPDATE_FAILED (back to the stable state). */
  async rollbackStack(stack: StoredStack): Promise<void> {
    if (stack.status === 'UPDATE_FAILED' && stack.stableState) {
      await this.#start(stack, 'UPDATE_FAILED', 'UPDATE_ROLLBACK_IN_PROGRESS', () => this.#rollBackUpdate(stack.scope, stack.stackId));
    } else if (stack.status === 'CREATE_FAILED') {
      await this.#start(stack, 'CREATE_FAILED', 'ROLLBACK_IN_PROGRESS', () => this.#rollBackCreate(stack.scope, stack.stackId, 'ROLLBACK_IN_PROGRESS'));
    } else {
      throw cannotRollBack(stack);
    }
  }

  /** ContinueUpdateRollback: an UPDATE_ROLLBACK_FAILED stack's rollback, again. */
  async continueUpdateRollback(stack: StoredStack): Promise<void> {
    if (stack.status !== 'UPDATE_ROLLBACK_FAILED') throw cannotRollBack(stack);
    await this.#start(stack, 'UPDATE_ROLLBACK_FAILED', 'UPDATE_ROLLBACK_IN_PROGRESS', () => this.#rollBackUpdate(stack.scope, stack.stackId));
  }

  /**
   * A stack whose operation this node was running when it stopped: a create or update that would have rolled back
   * is now rolling back (resumed once the node serves again); one without rollback, or a delete, ends failed.
   */
  async interrupted(stack: StoredStack): Promise<void> {
    const rollback = stack.onFailure !== 'DO_NOTHING';
    let next: StackStatus;
    let reason = `${INTERRUPTED} What it had changed stays as it was.`;
    if (stack.status === 'CREATE_IN_PROGRESS' && rollback) [next, reason] = ['ROLLBACK_IN_PROGRESS', `${INTERRUPTED} Rollback requested by user.`];
    else if (stack.status === 'UPDATE_IN_PROGRESS' && rollback && stack.stableState) [next, reason] = ['UPDATE_ROLLBACK_IN_PROGRESS', INTERRUPTED];
    else if (ROLLING_BACK.includes(stack.status)) return;
    // The update itself is done: what its cleanup left is deleted by the stack's next update.
    else if (stack.status === 'UPDATE_COMPLETE_CLEANUP_IN_PROGRESS') [next, reason] = ['UPDATE_COMPLETE', ''];
    else next = stack.status.replace('_IN_PROGRESS', '_FAILED') as StackStatus;
    if (await this.host.store.update(stack.stackId, { status: next, statusReason: reason || undefined }, [stack.status])) {
      await this.host.event(stack, stack.stackName, stack.stackId, STACK_TYPE, next, reason || undefined);
    }
  }

  /** Resumes a rollback this node was running when it stopped (or that `interrupted` started). */
  resume(stack: StoredStack): void {
    if (stack.status === 'ROLLBACK_IN_PROGRESS') this.host.background(this.#rollBackCreate(stack.scope, stack.stackId, 'ROLLBACK_IN_PROGRESS'));
    else if (UPDATE_ROLLING_BACK.includes(stack.status)) this.host.background(this.#rollBackUpdate(stack.scope, stack.stackId));
  }

  async #start(stack: StoredStack, from: StackStatus, status: StackStatus, work: () => Promise<void>): Promise<void> {
    if (!(await this.host.store.update(stack.stackId, { status, nodeId: this.host.nodeId }, [from]))) {
      throw cannotRollBack((await this.host.store.get(stack.scope, stack.stackId)) ?? stack);
    }
    await this.host.event(stack, stack.stackName, stack.stackId, STACK_TYPE, status, 'User Initiated');
    this.host.background(work());
  }

  /** Deletes what the stack's create made; ends ROLLBACK_COMPLETE, or (OnFailure=DELETE) the stack is deleted. */
  async #rollBackCreate(scope: StackScope, stackId: string, running: StackStatus): Promise<void> {
    const stack = await this.host.store.get(scope, stackId);
    if (!stack || stack.status !== running) return;
    const deleting = stack.onFailure === 'DELETE';
    const made = await this.#madeByCreate(stack);
    for (const r of made) await this.host.event(stack, r.logicalId, r.physicalId, r.type, 'DELETE_IN_PROGRESS');
    try {
      await this.host.engineFor(scope).delete(stack.stackName, () => undefined);
    } catch (e) {
      if (this.host.closing()) return;
      const message = e instanceof Error ? e.message : String(e);
      const failed: StackStatus = deleting ? 'DELETE_FAILED' : 'ROLLBACK_FAILED';
      if (await this.host.store.update(stackId, { status: failed, statusReason: message }, [running])) await this.host.event(stack, stack.stackName, stackId, STACK_TYPE, failed, message);
      return;
    }
    if (this.host.closing()) return;
    for (const r of made) await this.host.event(stack, r.logicalId, r.physicalId, r.type, 'DELETE_COMPLETE');
    const done: StackStatus = deleting ? 'DELETE_COMPLETE' : 'ROLLBACK_COMPLETE';
    const at = this.host.now();
    // As CloudFormation: a rolled-back stack lists its resources DELETE_COMPLETE and keeps the reason it rolled back.
    const resources: StackResourceRecord[] = made.map((r) => ({ logicalId: r.logicalId, type: r.type, status: 'DELETE_COMPLETE', updatedMs: at }));
    const changes: StackChanges = deleting ? { status: done, statusReason: undefined, resources: [], outputs: [], deletedMs: at } : { status: done, resources, outputs: [] };
    if (await this.host.store.update(stackId, changes, [running])) await this.host.event(stack, stack.stackName, stackId, STACK_TYPE, done);
  }

  /** Deploys the stable state again; what the failed update added is reported deleted in the cleanup that follows. */
  async #rollBackUpdate(scope: StackScope, stackId: string): Promise<void> {
    const stack = await this.host.store.get(scope, stackId);
    if (!stack || !UPDATE_ROLLING_BACK.includes(stack.status)) return;
    const stable = stack.stableState;
    const event = (logicalId: string, type: string, status: string, reason?: string) => this.host.event(stack, logicalId, undefined, type, status, reason);
    if (!stable) return this.#updateRollbackFailed(stack, 'The stack has no earlier state to roll back to.');
    const stableDoc = parseDocument(stable.templateBody);
    const failedDoc = storedDocument(stack);
    const typeOf = (id: string) => typeOfResource(stableDoc, id) ?? (failedDoc && typeOfResource(failedDoc, id));
    const writes = new EventQueue();
    const removed: { logicalId: string; type: string }[] = [];
    const report = (r: EngineReport) => {
      const type = typeOf(r.subject);
      if (!type || r.kind === 'warning' || r.kind === 'unchanged' || r.kind === 'failed') return;
      if (r.kind === 'removed') removed.push({ logicalId: r.subject, type });
      else writes.push(() => event(r.subject, type, r.kind === 'created' ? 'CREATE_COMPLETE' : 'UPDATE_COMPLETE', r.message));
    };
    let outcome;
    try {
      outcome = await this.host.engineFor(scope).deploy({ name: stack.stackName, id: stack.stackId }, stable.templateBody, overridesOf(stable.parameters), report);
    } catch (e) {
      await writes.drained();
      if (this.host.closing()) return;
      const subject = e instanceof EngineFailure ? e.subject : undefined;
      const message = e instanceof Error ? e.message : String(e);
      const type = subject === undefined ? undefined : typeOf(subject);
      if (subject !== undefined && type) await event(subject, type, 'UPDATE_FAILED', message);
      return this.#updateRollbackFailed(stack, subject !== undefined && type ? `The following resource(s) failed to update: [${subject}].` : message);
    }
    await writes.drained();
    if (this.host.closing()) return;
    if (!(await this.host.store.update(stackId, { status: 'UPDATE_ROLLBACK_COMPLETE_CLEANUP_IN_PROGRESS' }, UPDATE_ROLLING_BACK))) return;
    await event(stack.stackName, STACK_TYPE, 'UPDATE_ROLLBACK_COMPLETE_CLEANUP_IN_PROGRESS');
    // What the failed update added goes now. As CloudFormation, a resource that fails to go here doesn't fail the rollback.
    const added = failedDoc ? [...failedDoc.resources.keys()].filter((id) => !stableDoc.resources.has(id) && typeOf(id)) : [];
    try {
      await this.host.engineFor(scope).cleanUp(stack.stackName, outcome);
      for (const id of added) if (!removed.some((r) => r.logicalId === id)) removed.push({ logicalId: id, type: typeOf(id)! });
    } catch (e) {
      for (const id of added) await event(id, typeOf(id)!, 'DELETE_FAILED', e instanceof Error ? e.message : String(e));
    }
    if (this.host.closing()) return;
    for (const r of removed) await event(r.logicalId, r.type, 'DELETE_COMPLETE');
    const at = this.host.now();
    const resources: StackResourceRecord[] = outcome.resources.map((r) => ({ ...r, type: typeOf(r.logicalId) ?? r.type, status: 'UPDATE_COMPLETE', updatedMs: at }));
    if (!(await this.host.store.update(stackId, {
      status: 'UPDATE_ROLLBACK_COMPLETE', templateBody: stable.templateBody, description: stable.description, parameters: stable.parameters, tags: stable.tags,
      capabilities: stable.capabilities, outputs: outcome.outputs, resources, updatedMs: at,
    }, ['UPDATE_ROLLBACK_COMPLETE_CLEANUP_IN_PROGRESS']))) return;
    await event(stack.stackName, STACK_TYPE, 'UPDATE_ROLLBACK_COMPLETE');
  }

  async #updateRollbackFailed(stack: StoredStack, reason: string): Promise<void> {
    if (!(await this.host.store.update(stack.stackId, { status: 'UPDATE_ROLLBACK_FAILED', statusReason: reason }, UPDATE_ROLLING_BACK))) return;
    await this.host.event(stack, stack.stackName, stack.stackId, STACK_TYPE, 'UPDATE_ROLLBACK_FAILED', reason);
  }

  /**
   * The resources the stack's create made or tried to make (its events since it started), last first: the
   * order CloudFormation deletes them in.
   */
  async #madeByCreate(stack: StoredStack): Promise<{ logicalId: string; physicalId?: string; type: string }[]> {
    const made = new Map<string, { logicalId: string; physicalId?: string; type: string }>();
    for (const e of await this.host.store.events(stack.stackId)) {
      if (e.resourceType === STACK_TYPE && e.status === 'CREATE_IN_PROGRESS' && e.statusReason === 'User Initiated') break;
      if (e.resourceType === STACK_TYPE || (e.status !== 'CREATE_COMPLETE' && e.status !== 'CREATE_FAILED')) continue;
      const seen = made.get(e.logicalId);
      made.set(e.logicalId, { logicalId: e.logicalId, type: e.resourceType, physicalId: seen?.physicalId ?? e.physicalId });
    }
    return [...made.values()];
  }

  /** The stacks (of `stale`) whose rollback this node resumes once it serves. */
  static rollingBack(stale: readonly StoredStack[]): StoredStack[] {
    return stale.filter((s) => ROLLING_BACK.includes(s.status));
  }
}

/** Stagecraft's wording (AWS's answer for a stack RollbackStack or ContinueUpdateRollback can't start from is not recorded). */
const cannotRollBack = (stack: StoredStack) => awsError('ValidationError', `Stack:${stack.stackId} is in ${stack.status} state and can not be rolled back.`);
