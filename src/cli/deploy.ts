// `stagecraft deploy`: deploys an AWS SAM template (optionally with a stagecraft.yml) to a server.
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import type { Command } from './main.js';
import { CliError, COMMON_HELP, runCommand } from './command.js';
import { deployStack, formatWarning, loadStack, type DeployResult, type StackSource } from '../deploy/deploy.js';
import { DeployStepError, describeAwsError } from '../deploy/errors.js';
import { formatIssue, InvalidTemplateError, TemplateError } from '../deploy/issues.js';
import { parseParameterOverrides } from '../deploy/parameters.js';
import { functionUrlPathStyle } from '../deploy/urls.js';
import { parseDuration, TrafficShiftError } from '../deploy/traffic-shift.js';
import type { Change, Progress } from '../deploy/progress.js';
import { palette, table, write, writeJson, type Palette } from './output.js';

const HELP = `Usage: stagecraft deploy [-t template.yaml | -f stagecraft.yml] [options]

Deploys an AWS SAM template: zips each function's CodeUri and each layer's ContentUri, publishes
a layer version when a layer's content or settings changed, creates or updates the functions,
publishes a version when code or configuration changed and moves the AutoPublishAlias, builds
each API's routes and Lambda proxy integrations, lets API Gateway call the functions, deploys the
stages, and prints the invoke URLs and Outputs. Deploying again with nothing changed changes nothing.

Resources Stagecraft doesn't run (AWS::DynamoDB::Table, AWS::S3::Bucket, AWS::SQS::Queue,
AWS::IAM::Role, …) and events it can't send (SQS, Schedule, …) are skipped with a warning each;
!Ref and !GetAtt of those resources give the names, URLs and ARNs CloudFormation would, so
functions can reach them where they run (DynamoDB Local, MinIO, ElasticMQ, AWS).

Without -t or -f, uses ./stagecraft.yml if present, else ./template.yaml (or template.yml).

Options:
  -t, --template-file <file>   AWS SAM template (YAML or JSON)
  -f, --config-file <file>     stagecraft.yml: names the template, and adds what SAM can't say
                               (several stages of one API, the alias a stage variable selects).
                               A stagecraft.yml beside the -t template that names it is used too.
  --stack-name <name>          Names default resources (default: StackName in stagecraft.yml,
                               else the template's directory name)
  --parameter-overrides <K=V>… Template parameter values; repeatable, several per flag allowed
  --check                      Check the template and package the code, change nothing
  --strict                     Refuse resources and events Stagecraft doesn't run (DynamoDB
                               tables, SQS queues, SQS events, …) instead of skipping them
  --traffic-shift-interval <d> Time between the steps of a DeploymentPreference traffic shift,
                               instead of the configuration's (e.g. 10s; units ms, s, m, h)
  --hook-timeout <d>           How long a PreTraffic/PostTraffic hook has to report its status
                               (default 1h, as CodeDeploy)
${COMMON_HELP}

A function with DeploymentPreference (Type Canary10Percent5Minutes, Linear10PercentEvery1Minute,
AllAtOnce, …) moves its AutoPublishAlias to a new version gradually, as CodeDeploy would: deploy
runs the PreTraffic hook, sends the configuration's share of traffic to the new version, waits,
then moves the alias fully, and runs the PostTraffic hook; a hook that fails or stays silent puts
the alias back on the old version and fails the deploy. Ctrl-C leaves the alias split:
\`stagecraft promote FN --from NEW --to ALIAS\` finishes the shift, \`stagecraft rollback FN --alias ALIAS\`
undoes it.

Examples:
  stagecraft deploy
  stagecraft deploy -t template.yaml --parameter-overrides Greeting=Hi Stage=dev
  stagecraft deploy -f examples/hello-lambda/stagecraft.yml
  stagecraft deploy --check
  stagecraft deploy --json | jq -r '.apis[0].stages[0].routes[0].url'
`;

/** The longest step interval or hook timeout accepted (CodeDeploy's are minutes, and an hour). */
const MAX_DURATION_MS = 24 * 3_600_000;

const SYMBOL: Record<Change['kind'], string> = { created: '+', updated: '~', published: '+', moved: '→', removed: '-', unchanged: '=' };

function terminalProgress(stream: NodeJS.WriteStream, c: Palette, settings: { endpoint: string; region: string }): Progress & { width(): number } {
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

/** Which files to deploy: flags, else stagecraft.yml, else template.yaml/template.yml in the current directory. */
export function stackSource(values: { 'template-file'?: string; 'config-file'?: string; 'stack-name'?: string }, overrides: Record<string, string>): StackSource {
  if (values['template-file'] && values['config-file']) {
    throw new CliError('-t and -f both name a template', 'Pass one: -f stagecraft.yml already names its template.', 2);
  }
  const source: StackSource = { stackName: values['stack-name'], parameterOverrides: overrides };
  if (values['config-file']) return { ...source, projectFile: values['config-file'] };
  if (values['template-file']) {
    const companion = companionProjectFile(values['template-file']);
    return companion ? { ...source, projectFile: companion } : { ...source, templateFile: values['template-file'] };
  }
  if (existsSync('stagecraft.yml')) return { ...source, projectFile: 'stagecraft.yml' };
  for (const name of ['template.yaml', 'template.yml', 'template.json']) if (existsSync(name)) return { ...source, templateFile: name };
  throw new CliError('there is no stagecraft.yml or template.yaml in this directory', 'Pass -t TEMPLATE (an AWS SAM template) or -f stagecraft.yml.', 2);
}

/** A stagecraft.yml beside the template whose Template is that template: it belongs to it. */
function companionProjectFile(templateFile: string): string | undefined {
  const candidate = join(dirname(resolve(templateFile)), 'stagecraft.yml');
  if (!existsSync(candidate)) return undefined;
  try {
    const named = /^Template:\s*['"]?([^'"#\n]+?)['"]?\s*(#.*)?$/m.exec(readFileSync(candidate, 'utf8'))?.[1] ?? 'template.yaml';
    return resolve(dirname(candidate), named) === resolve(templateFile) ? candidate : undefined;
  } catch {
    return undefined;
  }
}

export const deployCommand: Command = {
  name: 'deploy',
  summary: 'Deploy an AWS SAM template: functions, versions, aliases, API routes and stages',
  run: (args) => runCommand('deploy', HELP, args, {
    'template-file': { type: 'string', short: 't' },
    'config-file': { type: 'string', short: 'f' },
    'stack-name': { type: 'string' },
    'parameter-overrides': { type: 'string', multiple: true },
    check: { type: 'boolean' },
    strict: { type: 'boolean' },
    'traffic-shift-interval': { type: 'string' },
    'hook-timeout': { type: 'string' },
  }, async (inv) => {
    const { values } = inv;
    const words = [...(values['parameter-overrides'] ?? [])];
    for (const p of inv.positionals) {
      if (!p.includes('=')) throw new CliError(`unexpected argument '${p}'`, 'Parameter values are Key=Value; the template is given with -t.', 2);
      words.push(p);
    }
    let overrides: Record<string, string>;
    try {
      overrides = parseParameterOverrides(words);
    } catch (e) {
      throw new CliError((e as Error).message, 'Write parameter values as Key=Value.', 2);
    }
    const source = { ...stackSource(values, overrides), strict: Boolean(values.strict) };
    const duration = (flag: 'traffic-shift-interval' | 'hook-timeout'): number | undefined => {
      const text = values[flag];
      if (text === undefined) return undefined;
      const ms = parseDuration(text);
      if (ms === undefined || (flag === 'hook-timeout' && ms === 0)) throw new CliError(`--${flag} '${text}' is not a duration`, 'Write it as a number and a unit: 500ms, 10s, 2m or 1h.', 2);
      if (ms > MAX_DURATION_MS) throw new CliError(`--${flag} '${text}' is longer than a day`, 'Give at most 24h.', 2);
      return ms;
    };
    const trafficShift = { intervalMs: duration('traffic-shift-interval'), hookTimeoutMs: duration('hook-timeout') };
    const json = Boolean(values.json);
    const out = json ? process.stderr : process.stdout;
    const c = palette(out, Boolean(values['no-color']));

    if (values.check) {
      const settings = inv.settings();
      const stack = await loadStack(source, settings.region).catch((e) => {
        throw templateProblem(e, out, c);
      });
      for (const w of stack.issues.warnings) write(`  ${c.yellow('!')} ${c.yellow('warning:')} ${formatWarning(w)}`, out);
      const summary = `${stack.templateFile} is valid: stack ${stack.stackName}, ${stack.functions.length} function${stack.functions.length === 1 ? '' : 's'} (${stack.functions.map((f) => f.name).join(', ') || 'none'}), ${stack.apis.length} API${stack.apis.length === 1 ? '' : 's'}`
        + (stack.layers.length ? `, ${stack.layers.length} layer${stack.layers.length === 1 ? '' : 's'} (${stack.layers.map((l) => l.name).join(', ')})` : '')
        + (stack.model.others.size ? `; not deployed: ${[...stack.model.others.keys()].join(', ')}` : '');
      if (json) writeJson({ valid: true, stackName: stack.stackName, templateFile: stack.templateFile, functions: stack.functions.map((f) => f.name), apis: stack.apis.map((a) => a.name), layers: stack.layers.map((l) => l.name),
        notDeployed: [...stack.model.others.values()].map((r) => ({ logicalId: r.def.logicalId, type: r.def.type })), warnings: stack.issues.warnings });
      else write(summary, out);
      return 0;
    }

    const settings = inv.settings();
    const started = Date.now();
    const progress = terminalProgress(out, c, settings);
    let result: DeployResult;
    const changes: Change[] = [];
    const counting: Progress = { begin: progress.begin, report: (ch) => { changes.push(ch); progress.report(ch); }, note: progress.note, warn: progress.warn };
    try {
      result = await deployStack(source, inv.clients(), counting, { trafficShift });
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
    const changed = result.changes.filter((ch) => ch.kind !== 'unchanged');
    const seconds = ((Date.now() - started) / 1000).toFixed(1);
    if (json) {
      writeJson({ ...result, changed: changed.length > 0 });
      return 0;
    }
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
      write(`\n${c.bold('Not deployed')} ${c.dim('(Stagecraft runs Lambda and API Gateway: provide these elsewhere, under these names)')}`, out);
      write(table(['RESOURCE', 'TYPE', 'REF', 'ARN'], result.notDeployed.map((r) => [r.logicalId, r.type, r.ref, r.arn ?? '']), c).split('\n').map((l) => `  ${l}`).join('\n'), out);
    }
    if (result.outputs.length) {
      write(`\n${c.bold('Outputs')}`, out);
      write(table(['OUTPUT', 'VALUE', 'DESCRIPTION'], result.outputs.map((o) => [o.name, o.value, o.description ?? '']), c).split('\n').map((l) => `  ${l}`).join('\n'), out);
    }
    write('', out);
    write(changed.length
      ? c.green(`Deployed stack ${result.stackName}: ${changed.length} change${changed.length === 1 ? '' : 's'} in ${seconds}s.`)
      : c.green(`No changes: stack ${result.stackName} already matches ${result.templateFile} (checked in ${seconds}s).`), out);
    return 0;
  }),
};

/** Prints every located problem and returns the one-sentence error. */
function templateProblem(e: unknown, out: NodeJS.WriteStream, c: Palette): unknown {
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
