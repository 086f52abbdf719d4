// `stagecraft status`: each function's aliases → versions (with canary weights and where a rollback
// would go), function URLs and provisioned concurrency, and each API's (REST, HTTP, WebSocket) stages → deployments,
// variables and invoke URL.
import { GetFunctionCommand, ListAliasesCommand, ListFunctionsCommand, ListFunctionUrlConfigsCommand, ListProvisionedConcurrencyConfigsCommand, ListVersionsByFunctionCommand, type ListProvisionedConcurrencyConfigsCommandOutput, type AliasConfiguration, type FunctionConfiguration, type LambdaClient } from '@aws-sdk/client-lambda';
import { GetStagesCommand, type APIGatewayClient } from '@aws-sdk/client-api-gateway';
import { GetStagesCommand as GetV2StagesCommand, type ApiGatewayV2Client } from '@aws-sdk/client-apigatewayv2';
import type { Command } from './main.js';
import { CliError, COMMON_HELP, runCommand } from './command.js';
import { describeState, parseHistory, historyTag, percent, stateOf } from '../deploy/aliases.js';
import { findRestApis } from '../deploy/apis.js';
import { allApis, httpApiUrl } from '../deploy/http-apis.js';
import { isNotFound } from '../deploy/errors.js';
import { invokeUrls } from '../deploy/urls.js';
import { palette, table, write, writeJson } from './output.js';
import { STACK_TAG } from '../deploy/functions.js';
import { stackFunctions } from '../deploy/stack-promotion.js';

const HELP = `Usage: stagecraft status [<function>…] [--api <name>] [--stack <stack>]

Shows, as tables, each function's aliases and the versions they run (with canary weights and the
version a rollback would return to), the functions' URLs and provisioned concurrency, and each
API's stages — REST, HTTP and WebSocket APIs — with their deployment (REST canaries: share →
deployment; auto-deploying HTTP and WebSocket stages say so), stage variables and invoke URL. Name
functions to show only those (and no APIs unless --api is given).

Options:
  --api <name|id>   Show only this API (repeatable)
  --stack <stack>   Show only the functions and APIs this stack's deploys made
${COMMON_HELP}

Examples:
  stagecraft status
  stagecraft status hello-lambda
  stagecraft status --api hello-api --json
  stagecraft status --stack hello-lambda
`;

export interface FunctionStatus {
  name: string;
  runtime?: string;
  newestVersion?: string;
  aliases: { name: string; version: string; weights: Record<string, number>; previous?: string }[];
  /** Function URLs: the function's (qualifier '') and its aliases'. */
  urls: { qualifier: string; url: string; authType: string }[];
  /** Provisioned concurrency by version or alias: environments asked for, initialised, and the status. */
  provisioned: { qualifier: string; requested: number; allocated: number; status: string; reason?: string }[];
}

export interface ApiStatus {
  id: string;
  name: string;
  kind: 'REST' | 'HTTP' | 'WEBSOCKET';
  stages: {
    name: string; deploymentId?: string; canary?: { deploymentId?: string; percentTraffic: number }; autoDeploy?: boolean;
    lastUpdated?: string; variables: Record<string, string>; url: string;
  }[];
}

async function listFunctions(lambda: LambdaClient): Promise<FunctionConfiguration[]> {
  const out: FunctionConfiguration[] = [];
  let marker: string | undefined;
  do {
    const page = await lambda.send(new ListFunctionsCommand({ Marker: marker }));
    out.push(...(page.Functions ?? []));
    marker = page.NextMarker;
  } while (marker);
  return out;
}

async function functionStatus(lambda: LambdaClient, name: string): Promise<FunctionStatus | undefined> {
  let fn;
  try {
    fn = await lambda.send(new GetFunctionCommand({ FunctionName: name }));
  } catch (e) {
    if (isNotFound(e)) return undefined;
    throw e;
  }
  const aliases: AliasConfiguration[] = [];
  let marker: string | undefined;
  do {
    const page = await lambda.send(new ListAliasesCommand({ FunctionName: name, Marker: marker }));
    aliases.push(...(page.Aliases ?? []));
    marker = page.NextMarker;
  } while (marker);
  let newest: string | undefined;
  marker = undefined;
  do {
    const page: { Versions?: FunctionConfiguration[]; NextMarker?: string } = await lambda.send(new ListVersionsByFunctionCommand({ FunctionName: name, Marker: marker }));
    for (const v of page.Versions ?? []) if (v.Version !== '$LATEST' && (!newest || Number(v.Version) > Number(newest))) newest = v.Version;
    marker = page.NextMarker;
  } while (marker);
  const urls: FunctionStatus['urls'] = [];
  marker = undefined;
  do {
    const page: { FunctionUrlConfigs?: { FunctionArn?: string; FunctionUrl?: string; AuthType?: string }[]; NextMarker?: string } = await lambda.send(new ListFunctionUrlConfigsCommand({ FunctionName: name, Marker: marker }));
    for (const u of page.FunctionUrlConfigs ?? []) urls.push({ qualifier: u.FunctionArn!.split(':')[7] ?? '', url: u.FunctionUrl!, authType: u.AuthType! });
    marker = page.NextMarker;
  } while (marker);
  const provisioned: FunctionStatus['provisioned'] = [];
  marker = undefined;
  do {
    const page: ListProvisionedConcurrencyConfigsCommandOutput = await lambda.send(new ListProvisionedConcurrencyConfigsCommand({ FunctionName: name, Marker: marker }));
    for (const p of page.ProvisionedConcurrencyConfigs ?? []) {
      provisioned.push({
        qualifier: p.FunctionArn!.split(':')[7] ?? '', requested: p.RequestedProvisionedConcurrentExecutions ?? 0,
        allocated: p.AllocatedProvisionedConcurrentExecutions ?? 0, status: p.Status ?? '', reason: p.StatusReason,
      });
    }
    marker = page.NextMarker;
  } while (marker);
  const tags = fn.Tags ?? {};
  return {
    name,
    runtime: fn.Configuration?.Runtime,
    newestVersion: newest,
    aliases: aliases.sort((a, b) => a.Name!.localeCompare(b.Name!)).map((a) => {
      const s = stateOf(a);
      const history = parseHistory(tags[historyTag(a.Name!)]);
      const previous = history[history.length - 1];
      return { name: a.Name!, version: s.version, weights: s.weights, previous: previous ? describeState(previous) : undefined };
    }),
    urls,
    provisioned,
  };
}

async function apiStatus(apigateway: APIGatewayClient, apigatewayv2: ApiGatewayV2Client, endpoint: string, filter: string[], stack?: string): Promise<ApiStatus[]> {
  const wanted = (name?: string, id?: string, tags?: Record<string, string>) =>
    (!filter.length || filter.includes(name!) || filter.includes(id!)) && (stack === undefined || tags?.[STACK_TAG] === stack);
  const out: ApiStatus[] = [];
  for (const api of (await findRestApis(apigateway)).filter((a) => wanted(a.name, a.id, a.tags))) {
    const stages = (await apigateway.send(new GetStagesCommand({ restApiId: api.id }))).item ?? [];
    out.push({
      id: api.id!,
      name: api.name!,
      kind: 'REST',
      stages: stages.sort((a, b) => a.stageName!.localeCompare(b.stageName!)).map((s) => ({
        name: s.stageName!,
        deploymentId: s.deploymentId,
        canary: s.canarySettings ? { deploymentId: s.canarySettings.deploymentId, percentTraffic: s.canarySettings.percentTraffic ?? 0 } : undefined,
        lastUpdated: s.lastUpdatedDate?.toISOString() ?? s.createdDate?.toISOString(),
        variables: s.variables ?? {},
        url: invokeUrls(endpoint, api.id!, s.stageName!).hostStyle,
      })),
    });
  }
  for (const api of (await allApis(apigatewayv2)).filter((a) => wanted(a.Name, a.ApiId, a.Tags))) {
    const kind = api.ProtocolType === 'WEBSOCKET' ? 'WEBSOCKET' : 'HTTP';
    const stages = (await apigatewayv2.send(new GetV2StagesCommand({ ApiId: api.ApiId }))).Items ?? [];
    out.push({
      id: api.ApiId!,
      name: api.Name!,
      kind,
      stages: stages.sort((a, b) => a.StageName!.localeCompare(b.StageName!)).map((s) => {
        const url = httpApiUrl(endpoint, api.ApiId!, s.StageName!, '$default');
        return {
          name: s.StageName!,
          deploymentId: s.DeploymentId,
          autoDeploy: s.AutoDeploy ?? false,
          lastUpdated: s.LastUpdatedDate?.toISOString() ?? s.CreatedDate?.toISOString(),
          variables: s.StageVariables ?? {},
          // A WebSocket stage is reached at /{stage} over ws:// (httpApiUrl leaves $default bare, as HTTP APIs serve it).
          url: kind === 'WEBSOCKET' ? url.replace(/^http/, 'ws').replace(/\/$/, '') : url,
        };
      }),
    });
  }
  return out.sort((a, b) => a.name.localeCompare(b.name) || a.id.localeCompare(b.id));
}

function traffic(a: FunctionStatus['aliases'][number]): string {
  const extra = Object.entries(a.weights).filter(([, w]) => w > 0);
  if (!extra.length) return `100% → ${a.version}`;
  const rest = 1 - extra.reduce((n, [, w]) => n + w, 0);
  return [`${percent(rest)} → ${a.version}`, ...extra.map(([v, w]) => `${percent(w)} → ${v}`)].join(', ');
}

export const statusCommand: Command = {
  name: 'status',
  summary: "Show functions' aliases → versions and APIs' stages → deployments",
  run: (args) => runCommand('status', HELP, args, {
    api: { type: 'string', multiple: true },
    stack: { type: 'string' },
  }, async (inv) => {
    const { values } = inv;
    const { lambda, apigateway, apigatewayv2, endpoint } = inv.clients();
    const names = inv.positionals;
    const functions: FunctionStatus[] = [];
    const stack = values.stack;
    if (stack !== undefined && names.length) throw new CliError(`--stack shows a whole stack: drop '${names[0]}'`, `For example: stagecraft status --stack ${stack}`, 2);
    const wanted = names.length ? names
      : stack !== undefined ? (await stackFunctions(lambda, stack)).map((f) => f.name)
      : (await listFunctions(lambda)).map((f) => f.FunctionName!).sort();
    for (const name of wanted) {
      const s = await functionStatus(lambda, name);
      if (!s) throw new CliError(`function ${name} does not exist`, 'Run `stagecraft status` without names to list every function.', 1, 'ResourceNotFoundException');
      functions.push(s);
    }
    const apiFilter = values.api ?? [];
    const apis = names.length && !apiFilter.length ? [] : await apiStatus(apigateway, apigatewayv2, endpoint, apiFilter, stack);
    if (stack !== undefined && !functions.length && !apis.length) {
      throw new CliError(`nothing belongs to stack ${stack}`, 'Check the stack name (stagecraft.yml StackName, or the template directory\'s name), or deploy it with `stagecraft deploy`.', 1, 'StackNotFound');
    }
    if (apiFilter.length) {
      for (const f of apiFilter) if (!apis.some((a) => a.name === f || a.id === f)) throw new CliError(`there is no API named ${f}`, 'Run `stagecraft status` to list them.', 1, 'NotFoundException');
    }
    if (values.json) {
      writeJson({ functions, apis });
      return 0;
    }
    const c = palette(process.stdout, Boolean(values['no-color']));
    write(c.bold('Functions'));
    if (!functions.length) write(c.dim('  none yet: deploy some with `stagecraft deploy`'));
    else {
      const rows: string[][] = [];
      for (const f of functions) {
        const head = [f.name, f.runtime ?? '', f.newestVersion ?? c.dim('none')];
        if (!f.aliases.length) rows.push([...head, c.dim('-'), c.dim('$LATEST only'), '']);
        f.aliases.forEach((a, i) => {
          const t = traffic(a);
          rows.push([...(i === 0 ? head : ['', '', '']), a.name, Object.keys(a.weights).length ? c.yellow(t) : t, a.previous ?? c.dim('-')]);
        });
      }
      write(table(['FUNCTION', 'RUNTIME', 'NEWEST VERSION', 'ALIAS', 'TRAFFIC (share → version)', 'ROLLBACK TO'], rows, c).split('\n').map((l) => `  ${l}`).join('\n'));
      const urlRows = functions.flatMap((f) => f.urls.map((u) => [u.qualifier ? `${f.name}:${u.qualifier}` : f.name, u.authType, u.url]));
      if (urlRows.length) {
        write(`\n${c.bold('Function URLs')}`);
        write(table(['TARGET', 'AUTH', 'URL'], urlRows, c).split('\n').map((l) => `  ${l}`).join('\n'));
      }
      const pcRows = functions.flatMap((f) => f.provisioned.map((p) => [
        `${f.name}:${p.qualifier}`, String(p.requested), String(p.allocated),
        p.status === 'READY' ? p.status : p.status === 'FAILED' ? c.yellow(`${p.status}${p.reason ? `: ${p.reason}` : ''}`) : c.dim(p.status),
      ]));
      if (pcRows.length) {
        write(`\n${c.bold('Provisioned concurrency')}`);
        write(table(['TARGET', 'REQUESTED', 'INITIALISED', 'STATUS'], pcRows, c).split('\n').map((l) => `  ${l}`).join('\n'));
      }
    }
    if (!names.length || apiFilter.length) {
      write(`\n${c.bold('APIs')}`);
      if (!apis.length) write(c.dim(stack !== undefined ? `  none in stack ${stack}` : '  none yet'));
      else {
        const rows: string[][] = [];
        for (const a of apis) {
          if (!a.stages.length) rows.push([a.name, a.id, a.kind, c.dim('no stages'), '', '', '', '']);
          a.stages.forEach((s, i) => {
            const vars = Object.entries(s.variables).map(([k, v]) => `${k}=${v}`).join(' ');
            const deployment = s.canary ? c.yellow(`${s.deploymentId ?? '-'} + canary ${s.canary.percentTraffic}% → ${s.canary.deploymentId ?? '-'}`)
              : s.autoDeploy ? `${s.deploymentId ?? '-'} ${c.dim('(auto-deploy)')}` : s.deploymentId ?? '';
            rows.push([i === 0 ? a.name : '', i === 0 ? a.id : '', i === 0 ? a.kind : '', s.name, deployment, s.lastUpdated?.replace('T', ' ').replace(/\.\d+Z$/, 'Z') ?? '', vars || c.dim('-'), s.url]);
          });
        }
        write(table(['API', 'ID', 'KIND', 'STAGE', 'DEPLOYMENT', 'UPDATED', 'VARIABLES', 'INVOKE URL'], rows, c).split('\n').map((l) => `  ${l}`).join('\n'));
      }
    }
    return 0;
  }),
};
