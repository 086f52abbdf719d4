// `stagecraft delete`: removes everything a stack's deploys made on the server (SAM's `sam delete`),
// found on the server itself — no template needed — and nothing else.
import { deleteServiceResources } from '../deploy/service-resources.js';
import { createInterface } from 'node:readline/promises';
import type { Command } from './main.js';
import { CliError, COMMON_HELP, runCommand } from './command.js';
import { awsErrorType, describeAwsError } from '../deploy/errors.js';
import { describeDeletion, planDeletions, type Deletion } from '../deploy/stack-deletions.js';
import { readInventory } from '../deploy/stack-inventory.js';
import { runDeletions, type DeletionOutcome } from '../deploy/stack-delete.js';
import { palette, write, writeJson } from './output.js';
import { involves, readExports, recordExports } from '../deploy/stack-exports.js';
import { exportViolations } from '../cloudformation/export-rules.js';

const HELP = `Usage: stagecraft delete --stack-name <name> [--no-prompts]

Deletes what \`stagecraft deploy --stack-name <name>\` made, as \`sam delete\` does: the stack's
custom domain names and their mappings, usage plans and API keys, REST and HTTP APIs (with their
stages, routes, authorizers and deployments), then each function's URLs, event invoke configs,
provisioned concurrency and aliases, the functions with every version, the layer versions the
stack published, and its event source mappings, EventBridge rules and buses, S3 buckets, SNS topics
and SQS queues (a stack with only these is found too). Resources are found on the server by the stack's mark (tag stagecraft:stack; for
layer versions a policy statement stagecraft-stack-<name>), so nothing another stack or anyone else
made is touched; a function or API whose template said DeletionPolicy: Retain is kept and only
leaves the stack, as CloudFormation keeps it. The stack's exports (Outputs with Export) go too; a stack whose exports another
stack imports (Fn::ImportValue) is not deleted, as with CloudFormation. What is already gone counts as deleted; a deletion that fails is reported and the
others still run (exit code 1 if any failed).

Options:
  --stack-name <name>   The stack to delete (required)
  --no-prompts          Don't ask for confirmation (also: --yes). Required when stdin is not a terminal.
${COMMON_HELP}

Examples:
  stagecraft delete --stack-name hello
  stagecraft delete --stack-name hello --no-prompts --json
`;

async function confirm(question: string, out: NodeJS.WriteStream): Promise<boolean> {
  const rl = createInterface({ input: process.stdin, output: out });
  try {
    const answer = await rl.question(question);
    return /^y(es)?$/i.test(answer.trim());
  } finally {
    rl.close();
  }
}

const entry = (o: DeletionOutcome) => ({ kind: o.deletion.kind, resource: describeDeletion(o.deletion) });

export const deleteCommand: Command = {
  name: 'delete',
  summary: "Delete everything a stack's deploys made on the server (sam delete)",
  run: (args) => runCommand('delete', HELP, args, {
    'stack-name': { type: 'string' },
    'no-prompts': { type: 'boolean' },
    yes: { type: 'boolean' },
  }, async (inv) => {
    const { values } = inv;
    const stackName = values['stack-name'];
    if (!stackName) throw new CliError('--stack-name is required', 'Name the stack to delete: stagecraft delete --stack-name hello', 2);
    const json = Boolean(values.json);
    const out = json ? process.stderr : process.stdout;
    const c = palette(out, Boolean(values['no-color']));
    const settings = inv.settings();
    const clients = inv.clients();
    const where = `${settings.endpoint} (${settings.region})`;

    // As CloudFormation: a stack whose exports another stack imports is not deleted.
    const exportsNow = await readExports(settings);
    const inUse = exportViolations(exportsNow, stackName, [], []);
    if (inUse.length) throw new CliError(`stack ${stackName} can't be deleted: ${inUse.join('; ')}`, 'Deploy the importing stacks without those Fn::ImportValue first (or delete them).', 1);
    // Its own exports and imports go with it (nothing left to delete but those, the stack is gone all the same).
    if (involves(exportsNow, stackName)) await recordExports(settings, { stackName, exports: [], imports: [] });
    const deletions: Deletion[] = planDeletions(stackName, await readInventory(clients, stackName));
    // Its queues, topics, rules, buses, buckets and event source mappings, found without deleting them yet.
    const serviceFound: string[] = [];
    await deleteServiceResources(settings, stackName, (ch) => serviceFound.push(ch.message), () => undefined, true);
    if (!deletions.length && !serviceFound.length) {
      write(`Stack ${stackName} does not exist on ${where}: nothing to delete.`, out);
      if (json) writeJson({ stackName, region: settings.region, endpoint: settings.endpoint, existed: false, deleted: [], failed: [] });
      return 0;
    }

    if (!values['no-prompts'] && !values.yes) {
      if (!process.stdin.isTTY) {
        throw new CliError(
          `not deleting stack ${stackName} without confirmation, and stdin is not a terminal to ask on`,
          'Pass --no-prompts to delete without asking.',
          2,
        );
      }
      const count = deletions.length + serviceFound.length;
      write(`Stack ${c.bold(stackName)} on ${where} has ${count} resource${count === 1 ? '' : 's'} to delete:`, out);
      for (const d of deletions) write(`  ${describeDeletion(d)}`, out);
      for (const found of serviceFound) write(`  ${found}`, out);
      if (!(await confirm(`Are you sure you want to delete the stack ${stackName} in the region ${settings.region} ? [y/N]: `, out))) {
        write('Nothing was deleted.', out);
        if (json) writeJson({ stackName, region: settings.region, endpoint: settings.endpoint, existed: true, cancelled: true, deleted: [], failed: [] });
        return 0;
      }
    }

    write(`Deleting stack ${c.bold(stackName)} from ${where}`, out);
    const outcomes = await runDeletions(clients, deletions, (o) => {
      const what = describeDeletion(o.deletion);
      if (o.result === 'deleted') write(`  ${c.yellow('-')} ${what} ${c.dim('[deleted]')}`, out);
      else if (o.result === 'gone') write(`  ${c.dim(`= ${what} (already gone)`)}`, out);
      else write(`  ${c.red('✗')} ${what} ${c.red('failed')}: ${describeAwsError(o.error)}`, out);
    });
    let serviceFailures = 0; // mappings, queues, topics, rules, buckets (a bucket that isn't empty can't be deleted, as in CloudFormation)
    let serviceDeleted = 0;
    await deleteServiceResources(settings, stackName, (ch) => {
      serviceDeleted++;
      write(`  ${c.yellow('-')} ${ch.message} ${c.dim('[deleted]')}`, out);
    }, (subject, e) => {
      serviceFailures++;
      write(`  ${c.red('✗')} ${subject} ${c.red('failed')}: ${describeAwsError(e)}`, out);
    });
    const failed = outcomes.filter((o): o is Extract<DeletionOutcome, { result: 'failed' }> => o.result === 'failed');
    if (json) {
      writeJson({
        stackName, region: settings.region, endpoint: settings.endpoint, existed: true,
        deleted: outcomes.filter((o) => o.result !== 'failed').map((o) => ({ ...entry(o), alreadyGone: o.result === 'gone' })),
        failed: failed.map((o) => ({ ...entry(o), error: { type: awsErrorType(o.error) ?? (o.error as Error)?.name ?? 'Error', message: describeAwsError(o.error) } })),
      });
    }
    write('', out);
    if (!failed.length && !serviceFailures) {
      const count = outcomes.length + serviceDeleted;
      write(c.green(`Deleted stack ${stackName}: ${count} resource${count === 1 ? '' : 's'}.`), out);
      return 0;
    }
    if (!failed.length) return 1;
    write(c.red(`stagecraft delete: ${failed.length} of ${outcomes.length} deletion${outcomes.length === 1 ? '' : 's'} failed:`), process.stderr);
    for (const o of failed) write(`  ${describeDeletion(o.deletion)}: ${describeAwsError(o.error)}`, process.stderr);
    write('Run `stagecraft delete` again once the cause is fixed: what was deleted stays deleted.', process.stderr);
    return 1;
  }, 0),
};
