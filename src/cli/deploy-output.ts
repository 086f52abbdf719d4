// What `stagecraft deploy` prints: a line per step while it runs, the failure as one sentence,
// and the invoke URLs, outputs and closing line after it. `deploy --watch` shares them.
import { deployStack, type DeployOptions, type DeployResult, type StackSource } from '../deploy/deploy.js';
import type { AwsClients } from '../deploy/clients.js';
import { DeployStepError, describeAwsError } from '../deploy/errors.js';
import { formatIssue, InvalidTemplateError, TemplateError } from '../deploy/issues.js';
import { functionUrlPathStyle } from '../deploy/urls.js';
import { TrafficShiftError } from '../deploy/traffic-shift.js';
import type { Change, Progress } from '../deploy/progress.js';
import { CliError } from './command.js';
import { table, write, type Palette } from './output.js';

const SYMBOL: Record<Change['kind'], string> = { created: '+', updated: '~', published: '+', moved: '→', removed: '-', unchanged: '=' };

export function terminalProgress(stream: NodeJS.WriteStream, c: Palette, settings: { endpoint: string; region: string }): Progress & { width(): number } {
  const colourOf = (kind: Change['kind']) => (kind === 'unchanged' ? c.dim : kind === 'removed' ? c.yellow : c.green);
  let subjectWidth = 12;
  const width = () => subjectWidth;
  return {
    width,
    begin(plan) {
      subjectWidth = Math.max(subjectWidth, ...plan.subjects.map((s) => s.length));
      const files = plan.projectFile ? `${plan.projectFile} + ${plan.templateFile}` : plan.templateFile;
      stream.write(`Deploying stack ${c.bold(plan.stackName)} (${files}) to ${settings.endpoint} (${settings.region})\n`);
    },
    report(change) {
      const paint = colourOf(change.kind);
      const verb = change.kind === 'unchanged' ? '' : ` ${c.dim(`[${change.kind}]`)}`;
      stream.write(`  ${paint(SYMBOL[change.kind])} ${change.subject.padEnd(width())}  ${change.kind === 'unchanged' ? c.dim(change.message) : change.message}${verb}\n`);
    },
    note(message) {
      stream.write(`  ${c.cyan('i')} ${message}\n`);
    },
    warn(message) {
      stream.write(`  ${c.yellow('!')} ${c.yellow('warning:')} ${message}\n`);
    },
  };
}

/** A Progress that also says how wide its subject column is (a failed step's line aligns with it). */
export type DeployProgress = Progress & { width(): number };

/**
 * Runs one deploy; a broken template or a failed step comes back as the CliError `deploy` ends
 * with (a failed step's line printed first, aligned with the progress lines).
 */
export async function runDeploy(source: StackSource, clients: AwsClients, progress: DeployProgress, options: DeployOptions, out: NodeJS.WriteStream, c: Palette): Promise<DeployResult> {
  const changes: Change[] = [];
  const counting: Progress = { begin: progress.begin, report: (ch) => { changes.push(ch); progress.report(ch); }, note: progress.note, warn: progress.warn };
  try {
    return await deployStack(source, clients, counting, options);
  } catch (e) {
    if (e instanceof InvalidTemplateError || e instanceof TemplateError) throw templateProblem(e, out, c);
    if (e instanceof DeployStepError) {
      const made = changes.filter((ch) => ch.kind !== 'unchanged').length;
      write(`  ${c.red('✗')} ${e.subject.padEnd(progress.width())}  ${e.action} ${c.red('failed')}`, out);
      throw new CliError(
        `deploy failed at ${e.subject} while ${e.action}: ${describeAwsError(e.cause).replace(/\.?$/, '.')}`,
        e.cause instanceof TrafficShiftError
          ? 'The alias serves the old version as before; the other changes listed above stay in place, and nothing after this step was attempted. Fix the new version (or the hook) and run `stagecraft deploy` again.'
          : `${made ? `The ${made} change${made === 1 ? '' : 's'} listed above stay in place; ` : 'Nothing was changed; '}nothing after this step was attempted, and what was deployed before keeps serving. Fix the cause and run \`stagecraft deploy\` again.`,
        1,
        (e.cause as { name?: string })?.name,
      );
    }
    throw e;
  }
}

/** The invoke URLs, domain and function URLs, resources not deployed and Outputs, as tables. */
export function printDeployResult(result: DeployResult, out: NodeJS.WriteStream, c: Palette): void {
  const routes = result.apis.flatMap((a) => a.stages.flatMap((s) => s.routes.map((r) => [a.name, s.name, r.method, r.url])));
  if (routes.length) {
    write(`\n${c.bold('Invoke URLs')}`, out);
    write(table(['API', 'STAGE', 'METHOD', 'URL'], routes, c).split('\n').map((l) => `  ${l}`).join('\n'), out);
    const first = result.apis.flatMap((a) => a.stages.flatMap((s) => s.routes)).find((r) => r.pathStyleUrl);
    if (first) write(c.dim(`  (path style, without *.localhost names: ${first.pathStyleUrl})`), out);
  }
  const domainUrls = result.domains.flatMap((d) => d.urls.map((url) => [d.logicalId, d.stage, url]));
  if (domainUrls.length) {
    write(`\n${c.bold('Custom domain URLs')}`, out);
    write(table(['API', 'STAGE', 'URL'], domainUrls, c).split('\n').map((l) => `  ${l}`).join('\n'), out);
    const first = new URL(domainUrls[0][2]);
    write(c.dim(`  (without DNS for ${first.hostname}: curl -H 'Host: ${first.host}' ${new URL(first.pathname, result.endpoint).href})`), out);
  }
  const urls = result.functions.filter((f) => f.functionUrl).map((f) => [f.logicalId, f.alias ? `${f.name}:${f.alias}` : f.name, f.functionUrl!]);
  if (urls.length) {
    write(`\n${c.bold('Function URLs')}`, out);
    write(table(['FUNCTION', 'TARGET', 'URL'], urls, c).split('\n').map((l) => `  ${l}`).join('\n'), out);
    write(c.dim(`  (path style, without *.localhost names: ${functionUrlPathStyle(urls[0][2])})`), out);
  }
  if (result.notDeployed.length) {
    write(`\n${c.bold('Not deployed')} ${c.dim('(Stagecraft does not run these types: provide them elsewhere, under these names)')}`, out);
    write(table(['RESOURCE', 'TYPE', 'REF', 'ARN'], result.notDeployed.map((r) => [r.logicalId, r.type, r.ref, r.arn ?? '']), c).split('\n').map((l) => `  ${l}`).join('\n'), out);
  }
  if (result.outputs.length) {
    write(`\n${c.bold('Outputs')}`, out);
    write(table(['OUTPUT', 'VALUE', 'DESCRIPTION'], result.outputs.map((o) => [o.name, o.value, o.description ?? '']), c).split('\n').map((l) => `  ${l}`).join('\n'), out);
  }
}

/** Prints every located problem and returns the one-sentence error. */
export function templateProblem(e: unknown, out: NodeJS.WriteStream, c: Palette): unknown {
  if (e instanceof TemplateError) {
    return new CliError(`the template is invalid: ${formatIssue(e.toIssue())}.`, 'Nothing was deployed.', 1, 'InvalidTemplate');
  }
  if (!(e instanceof InvalidTemplateError)) return e;
  const errors = e.issues.filter((i) => i.severity === 'error');
  // A single error is said once, in the closing sentence; several are listed, then counted.
  for (const i of e.issues) {
    if (i.severity === 'error' && errors.length === 1) continue;
    const tag = i.severity === 'error' ? c.red('error:') : c.yellow('warning:');
    write(`  ${tag} ${formatIssue(i)}`, process.stderr);
  }
  void out;
  const first = errors[0];
  return new CliError(
    errors.length === 1
      ? `${e.file} has 1 problem: ${formatIssue(first)}.`
      : `${e.file} has ${errors.length} problems (listed above)${first ? `; the first: ${formatIssue(first)}` : ''}.`,
    'Nothing was deployed; fix the template and run `stagecraft deploy` again.',
    1,
    'InvalidTemplate',
  );
}

/** The deploy's result as `--json` prints it: what it kept (sets, for the prune) is not part of it. */
export function resultJson(result: DeployResult): Omit<DeployResult, 'kept'> {
  const { kept: _kept, ...shown } = result;
  return shown;
}
