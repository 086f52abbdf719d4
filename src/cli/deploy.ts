// `stagecraft deploy`: deploys an AWS SAM template (optionally with a stagecraft.yml) to a server.
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import type { Command } from './main.js';
import { CliError, COMMON_HELP, runCommand } from './command.js';
import { formatWarning, loadStack, type StackSource } from '../deploy/deploy.js';
import { parseParameterOverrides } from '../deploy/parameters.js';
import { parseDuration } from '../deploy/traffic-shift.js';
import { palette, write, writeJson } from './output.js';
import { printDeployResult, resultJson, runDeploy, templateProblem, terminalProgress } from './deploy-output.js';
import { watchDeploys } from './deploy-watch.js';

const HELP = `Usage: stagecraft deploy [-t template.yaml | -f stagecraft.yml] [options]

Deploys an AWS SAM template: zips each function's CodeUri and each layer's ContentUri, publishes
a layer version when a layer's content or settings changed, creates or updates the functions,
publishes a version when code or configuration changed and moves the AutoPublishAlias, builds
each API's routes and Lambda proxy integrations, lets API Gateway call the functions, deploys the
stages, and prints the invoke URLs and Outputs. Last, as CloudFormation's cleanup, it deletes the
stack's functions, REST and HTTP APIs and usage plans the template no longer has (found by the tag
stagecraft:stack; a function with DeletionPolicy: Retain is kept and leaves the stack).
Deploying again with nothing changed changes nothing.
What \`cdk synth\` writes (cdk.out/<Stack>.template.json) deploys the same way: its raw Lambda and
API Gateway resources are read as the SAM resources they stand for (docs/cli.md, Deploying CDK apps).

Queues, topics, rules, buckets, DynamoDB tables, SSM parameters and secrets are put into the
server's own services; {{resolve:ssm:…}} and {{resolve:secretsmanager:…}} references and
AWS::SSM::Parameter::Value<…> parameters are read from it. Resources Stagecraft doesn't run
(AWS::IAM::Role, AWS::Kinesis::Stream, …) and events it can't send are skipped with a warning each;
!Ref and !GetAtt of those resources give the names and ARNs CloudFormation would.

Without -t or -f, uses ./stagecraft.yml if present, else ./template.yaml (or template.yml).

Options:
  -t, --template-file <file>   AWS SAM template (YAML or JSON), or what cdk synth wrote
                               (cdk.out/<Stack>.template.json); also --template <file>
  -f, --config-file <file>     stagecraft.yml: names the template, and adds what SAM can't say
                               (several stages of one API, the alias a stage variable selects).
                               A stagecraft.yml beside the -t template that names it is used too.
  --stack-name <name>          Names default resources (default: StackName in stagecraft.yml,
                               else the template's directory name; <Stack> for
                               cdk.out/<Stack>.template.json)
  --parameter-overrides <K=V>… Template parameter values; repeatable, several per flag allowed
  --check                      Check the template and package the code, change nothing
  --watch                      Deploy, then deploy again whenever the template, stagecraft.yml or a
                               function's or layer's code changes, until Ctrl-C (see below)
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

With --watch, deploy runs once as usual, then watches the template (and stagecraft.yml), every
CodeUri and every layer's ContentUri. 300 ms after the last change it deploys again and prints one
line: the time and what changed (\`hello-lambda: code updated, version 4, alias dev → 4\`, or
\`nothing changed\`; unchanged code publishes nothing). Changes during a deploy make one more deploy
after it. A redeploy moves what a plain deploy moves — each AutoPublishAlias (dev), the template's
stages — never aliases or stages \`stagecraft promote\` moves (prod). A failed deploy (a template
error, an AWS error, the server down) prints its error and watching goes on. Ignored: .git,
node_modules/.cache, editors' swap and backup files (*.swp, *~, .#*), what packaging leaves out.
Ctrl-C (or SIGTERM) lets a deploy in progress finish, then exits 0; a second Ctrl-C exits at once (130).
With --json, one JSON document per deploy, one per line.

Examples:
  stagecraft deploy
  stagecraft deploy --watch -f examples/hello-lambda/stagecraft.yml
  stagecraft deploy -t template.yaml --parameter-overrides Greeting=Hi Stage=dev
  stagecraft deploy -f examples/hello-lambda/stagecraft.yml
  stagecraft deploy --check
  stagecraft deploy --json | jq -r '.apis[0].stages[0].routes[0].url'
`;

/** The longest step interval or hook timeout accepted (CodeDeploy's are minutes, and an hour). */
const MAX_DURATION_MS = 24 * 3_600_000;


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
    // SAM CLI's other spelling of --template-file.
    template: { type: 'string' },
    'config-file': { type: 'string', short: 'f' },
    'stack-name': { type: 'string' },
    'parameter-overrides': { type: 'string', multiple: true },
    check: { type: 'boolean' },
    watch: { type: 'boolean' },
    strict: { type: 'boolean' },
    'traffic-shift-interval': { type: 'string' },
    'hook-timeout': { type: 'string' },
  }, async (inv) => {
    const { values } = inv;
    if (values.check && values.watch) throw new CliError('--check and --watch do not go together', 'Use --watch alone: it checks the template before each deploy.', 2);
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
    if (values.template && values['template-file']) throw new CliError('--template and --template-file name the same thing', 'Give the template once.', 2);
    const source = { ...stackSource({ ...values, 'template-file': values['template-file'] ?? values.template }, overrides), strict: Boolean(values.strict) };
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
      // CloudWatch alarms are deployed (into Stagecraft's CloudWatch), unlike the other skipped types.
      const notDeployed = stack.model.skippedResources().map((r) => ({ logicalId: r.def.logicalId, type: r.def.type }));
      const summary = `${stack.templateFile} is valid: stack ${stack.stackName}, ${stack.functions.length} function${stack.functions.length === 1 ? '' : 's'} (${stack.functions.map((f) => f.name).join(', ') || 'none'}), ${stack.apis.length} API${stack.apis.length === 1 ? '' : 's'}`
        + (stack.layers.length ? `, ${stack.layers.length} layer${stack.layers.length === 1 ? '' : 's'} (${stack.layers.map((l) => l.name).join(', ')})` : '')
        + (notDeployed.length ? `; not deployed: ${notDeployed.map((r) => r.logicalId).join(', ')}` : '');
      if (json) writeJson({ valid: true, stackName: stack.stackName, templateFile: stack.templateFile, functions: stack.functions.map((f) => f.name), apis: stack.apis.map((a) => a.name), layers: stack.layers.map((l) => l.name),
        notDeployed: notDeployed.map((r) => ({ logicalId: r.logicalId, type: r.type })), warnings: stack.issues.warnings });
      else write(summary, out);
      return 0;
    }

    const settings = inv.settings();
    if (values.watch) return watchDeploys({ source, clients: inv.clients(), settings, options: { trafficShift }, json, out, c });
    const started = Date.now();
    const result = await runDeploy(source, inv.clients(), terminalProgress(out, c, settings), { trafficShift }, out, c);
    const changed = result.changes.filter((ch) => ch.kind !== 'unchanged');
    const seconds = ((Date.now() - started) / 1000).toFixed(1);
    if (json) {
      writeJson({ ...resultJson(result), changed: changed.length > 0 });
      return 0;
    }
    printDeployResult(result, out, c);
    write('', out);
    write(changed.length
      ? c.green(`Deployed stack ${result.stackName}: ${changed.length} change${changed.length === 1 ? '' : 's'} in ${seconds}s.`)
      : c.green(`No changes: stack ${result.stackName} already matches ${result.templateFile} (checked in ${seconds}s).`), out);
    return 0;
  }),
};
