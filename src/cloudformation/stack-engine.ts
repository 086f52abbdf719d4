// The deploy engine of `stagecraft deploy` (src/deploy) run for a CloudFormation stack on the
// server: the template is written to a private directory, and the engine calls this server's own
// APIs over loopback with SDK clients, as the CLI would from outside, so a server-side stack makes
// and tags exactly what `stagecraft deploy` makes (and `stagecraft delete` finds). What the engine
// reports as it goes becomes the stack's events.
import { deleteServiceResources } from '../deploy/service-resources.js';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { createClients, destroyClients, type ConnectionSettings } from '../deploy/clients.js';
import { deployStack, type DeployResult } from '../deploy/deploy.js';
import { describeAwsError } from '../deploy/errors.js';
import { InvalidTemplateError, formatIssue } from '../deploy/issues.js';
import type { Change, Progress } from '../deploy/progress.js';
import { involves, readExports, recordExports } from '../deploy/stack-exports.js';
import { exportViolations } from './export-rules.js';
import { describeDeletion, planDeletions } from '../deploy/stack-deletions.js';
import { readInventory } from '../deploy/stack-inventory.js';
import { runDeletions } from '../deploy/stack-delete.js';
import type { StackOutputRecord, StackResourceRecord } from '../store/cloudformation-stacks-store.js';
import { pruneStack, type KeptResources } from '../deploy/stack-prune.js';

/** What the engine reports while it works: a resource's change (by logical ID, or a step such as Outputs) or a warning. */
export interface EngineReport {
  subject: string;
  /** The engine's word: created, updated, removed, … ('failed' for the step that stopped it; 'warning' for a warning). */
  kind: Change['kind'] | 'failed' | 'warning';
  message: string;
}

export interface EngineOutcome {
  outputs: StackOutputRecord[];
  /** What the engine says it deployed, with the IDs the server gave them. */
  resources: Omit<StackResourceRecord, 'status' | 'updatedMs'>[];
  /** What the template deploys, as the server names it: the cleanup deletes the stack's other resources. */
  kept: KeptResources;
}

export class EngineFailure extends Error {
  constructor(message: string, readonly subject?: string) {
    super(message);
    this.name = 'EngineFailure';
  }
}

/** Runs the engine for stacks of one account and region, calling the server at `settings`. */
export class StackEngine {
  constructor(private readonly settings: () => ConnectionSettings) {}

  async deploy(stack: { name: string; id: string }, templateBody: string, overrides: Record<string, string>, report: (r: EngineReport) => void): Promise<EngineOutcome> {
    const stackName = stack.name;
    const dir = await mkdtemp(join(tmpdir(), 'stagecraft-stack-'));
    const clients = createClients(this.settings());
    const progress: Progress = {
      report: (c) => report({ subject: c.subject, kind: c.kind, message: c.message }),
      note: (m) => report({ subject: stackName, kind: 'warning', message: m }),
      warn: (m) => report({ subject: stackName, kind: 'warning', message: m }),
    };
    try {
      const templateFile = join(dir, 'template.yaml');
      await writeFile(templateFile, templateBody);
      // What the template no longer has goes in the stack's cleanup phase (cleanUp), once the stack's status says so.
      const result = await deployStack({ templateFile, stackName, stackId: stack.id, parameterOverrides: overrides }, clients, progress, { prune: false });
      return {
        outputs: result.outputs.map((o) => ({ key: o.name, value: o.value, description: o.description, exportName: o.exportName })), resources: deployedResources(result), kept: result.kept,
      };
    } catch (e) {
      // Messages name the template as the user sent it, not the private copy.
      const f = failure(e);
      throw new EngineFailure(f.message.replaceAll(`${dir}/`, ''), f.subject);
    } finally {
      destroyClients(clients);
      await rm(dir, { recursive: true, force: true });
    }
  }

  /**
   * Deletes the stack's resources that `kept` (a deploy's outcome) doesn't name, as `stagecraft deploy`
   * does last (stack-prune.ts): an update's cleanup, and a rolled-back update's. Throws naming what failed to go.
   */
  async cleanUp(stackName: string, kept: EngineOutcome): Promise<void> {
    const clients = createClients(this.settings());
    try {
      const failed = (await pruneStack(clients, stackName, kept.kept, () => undefined)).filter((o) => o.result === 'failed');
      if (failed.length) throw new EngineFailure(`The following resource(s) failed to delete: [${failed.map((o) => describeDeletion(o.deletion)).join(', ')}].`);
    } catch (e) {
      throw failure(e);
    } finally {
      destroyClients(clients);
    }
  }

  /** Deletes what the stack's deploys made (as `stagecraft delete`); a stack whose exports others import is refused. */
  async delete(stackName: string, report: (r: EngineReport) => void): Promise<void> {
    const settings = this.settings();
    const clients = createClients(settings);
    try {
      const exportsNow = await readExports(settings);
      const inUse = exportViolations(exportsNow, stackName, [], []);
      if (inUse.length) throw new EngineFailure(inUse.join('; '));
      if (involves(exportsNow, stackName)) await recordExports(settings, { stackName, exports: [], imports: [] });
      const outcomes = await runDeletions(clients, planDeletions(stackName, await readInventory(clients, stackName)), (o) => {
        report({ subject: describeDeletion(o.deletion), kind: o.result === 'failed' ? 'failed' : 'removed', message: o.result === 'failed' ? describeAwsError(o.error) : describeDeletion(o.deletion) });
      });
      const failed = outcomes.filter((o) => o.result === 'failed').map((o) => describeDeletion(o.deletion));
      await deleteServiceResources(settings, stackName, report, (subject, e) => {
        report({ subject, kind: 'failed', message: describeAwsError(e) });
        failed.push(subject);
      });
      if (failed.length) throw new EngineFailure(`The following resource(s) failed to delete: [${failed.join(', ')}].`);
    } catch (e) {
      throw failure(e);
    } finally {
      destroyClients(clients);
    }
  }
}

function failure(e: unknown): EngineFailure {
  if (e instanceof EngineFailure) return e;
  if (e instanceof InvalidTemplateError) return new EngineFailure(e.issues.filter((i) => i.severity === 'error').map((i) => formatIssue(i)).join('; ') || e.message);
  const subject = (e as { subject?: unknown }).subject;
  return new EngineFailure(e instanceof Error && e.name === 'DeployStepError' ? e.message : describeAwsError(e), typeof subject === 'string' ? subject : undefined);
}

function deployedResources(result: DeployResult): EngineOutcome['resources'] {
  return [
    ...result.layers.map((l) => ({ logicalId: l.logicalId, physicalId: l.arn, type: 'AWS::Lambda::LayerVersion' })),
    ...result.functions.map((f) => ({ logicalId: f.logicalId, physicalId: f.name, type: 'AWS::Lambda::Function' })),
    ...result.apis.map((a) => ({ logicalId: a.logicalId, physicalId: a.id, type: 'AWS::ApiGateway::RestApi' })),
    ...result.serviceResources,
  ];
}

