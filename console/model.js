// The console's logic, free of the DOM and of the network, so Node can test it: alias states and
// their history (the same `stagecraft:previous:<alias>` tag format as `stagecraft promote` and
// `stagecraft rollback`, so the console and the CLI can be used interchangeably), what a promotion
// or a rollback moves an alias to, and the rows the pages show.

export const HISTORY_TAG_PREFIX = 'stagecraft:previous:';
const MAX_HISTORY = 10;
const MAX_TAG_VALUE = 256;

/** A problem with what was asked (not with the server), with AWS-style type and a hint. */
export class ConsoleError extends Error {
  constructor(message, hint = '', type = 'InvalidRequest') {
    super(message);
    this.name = 'ConsoleError';
    this.type = type;
    this.hint = hint;
  }
}

export function historyTag(alias) {
  return `${HISTORY_TAG_PREFIX}${alias}`;
}

/** { version, weights } from a Lambda AliasConfiguration. */
export function stateOf(alias) {
  return { version: alias.FunctionVersion ?? '$LATEST', weights: { ...(alias.RoutingConfig?.AdditionalVersionWeights ?? {}) } };
}

function activeWeights(s) {
  return Object.entries(s.weights).filter(([, w]) => w > 0).sort();
}

export function sameState(a, b) {
  return a.version === b.version && JSON.stringify(activeWeights(a)) === JSON.stringify(activeWeights(b));
}

/** "3", or "3+4@0.1" for 90% on 3 and 10% on 4. */
export function formatState(s) {
  return [s.version, ...Object.entries(s.weights).map(([v, w]) => `${v}@${w}`)].join('+');
}

export function parseState(text) {
  const [version, ...extra] = text.split('+');
  if (!version || !/^(\d+|\$LATEST)$/.test(version)) return undefined;
  const weights = {};
  for (const e of extra) {
    const m = /^(\d+)@(0(\.\d+)?|1)$/.exec(e);
    if (!m) return undefined;
    weights[m[1]] = Number(m[2]);
  }
  return { version, weights };
}

export function parseHistory(value) {
  return (value ?? '').split(' ').filter(Boolean).map(parseState).filter((s) => s !== undefined);
}

/** The tag value for a history (newest last, trimmed as the CLI trims it); undefined: remove the tag. */
export function formatHistory(history) {
  let kept = history.slice(-MAX_HISTORY);
  while (kept.length && kept.map(formatState).join(' ').length > MAX_TAG_VALUE) kept = kept.slice(1);
  return kept.length ? kept.map(formatState).join(' ') : undefined;
}

export function percent(w) {
  return `${Math.round(w * 10000) / 100}%`;
}

/** "version 3", or "90% version 3, 10% version 4" (as the CLI says it). */
export function describeState(s) {
  const extra = activeWeights(s);
  if (!extra.length) return `version ${s.version}`;
  const rest = 1 - extra.reduce((n, [, w]) => n + w, 0);
  return [`${percent(rest)} version ${s.version}`, ...extra.map(([v, w]) => `${percent(w)} version ${v}`)].join(', ');
}

/** "100% → 3", or "90% → 3, 10% → 4". */
export function describeTraffic(s) {
  const extra = activeWeights(s);
  const rest = 1 - extra.reduce((n, [, w]) => n + w, 0);
  return [`${percent(rest)} → ${s.version}`, ...extra.map(([v, w]) => `${percent(w)} → ${v}`)].join(', ');
}

/** Parses "10%", "10" or "0.1" into a weight strictly between 0 and 1; empty means no canary. */
export function parseCanary(text) {
  const t = String(text ?? '').trim();
  if (t === '') return undefined;
  let w;
  if (t.endsWith('%')) w = Number(t.slice(0, -1)) / 100;
  else {
    const n = Number(t);
    w = n > 0 && n < 1 ? n : n / 100;
  }
  if (!Number.isFinite(w) || w <= 0 || w >= 1) {
    throw new ConsoleError(`canary '${text}' is not a share of traffic between 0% and 100% (exclusive)`, 'Write it as a percentage, e.g. 10%.');
  }
  return Math.round(w * 10000) / 10000;
}

/** Checks a promotion's names before anything is called. */
export function checkPromotion(from, to) {
  if (!from || !to) throw new ConsoleError('choose both the alias to promote from and the alias to promote to');
  if (from === to) throw new ConsoleError(`from and to are both ${to}`, 'Promote from one alias to another, e.g. dev to prod.');
  if (/^\d+$/.test(to) || to === '$LATEST') throw new ConsoleError(`${to} is not an alias name`, 'Promote to an alias such as prod.');
  if (!/^(?!^[0-9]+$)([a-zA-Z0-9-_]+)$/.test(to)) throw new ConsoleError(`${to} is not a valid alias name`, 'Alias names are letters, digits, - and _.');
  if (from === '$LATEST') throw new ConsoleError('aliases are promoted to published versions, not $LATEST', 'Publish a version first.');
}

/**
 * The state alias `to` should have after promoting `sourceVersion` to it: the version itself, or,
 * with a canary, `to`'s current version plus that share on the new one.
 * `current` is `to`'s AliasConfiguration, or undefined when it doesn't exist yet.
 */
export function planPromotion({ current, sourceVersion, canary, to }) {
  if (sourceVersion === '$LATEST') throw new ConsoleError('the source points at $LATEST, which can\'t be promoted', 'Point it at a published version first.');
  if (canary === undefined) return { version: sourceVersion, weights: {} };
  if (!current) throw new ConsoleError(`alias ${to} doesn't exist yet, so there is no current version to share traffic with`, 'Promote without a canary first.');
  const primary = current.FunctionVersion;
  if (primary === '$LATEST') throw new ConsoleError(`alias ${to} points at $LATEST, which can't share traffic with a version`, 'Promote fully first.');
  return primary === sourceVersion ? { version: primary, weights: {} } : { version: primary, weights: { [sourceVersion]: canary } };
}

/**
 * Where a rollback takes an alias: the most recent previous full version (canary states in
 * between are passed over; a running canary is cancelled), and the history that remains.
 */
export function planRollback({ functionName, alias, current, history }) {
  const before = stateOf(current);
  const remaining = [...history];
  while (remaining.length) {
    const s = remaining.pop();
    if (!Object.keys(s.weights).length && !sameState(s, before)) return { before, target: s, remaining };
  }
  throw new ConsoleError(
    `no earlier version is recorded for alias ${alias} of ${functionName}, which runs ${describeState(before)} (it was never moved, or every move was already rolled back)`,
    `Roll back to a chosen version with: stagecraft rollback ${functionName} --alias ${alias} --to VERSION`,
    'NothingToRollBack',
  );
}

/** The error type from `x-amzn-ErrorType` ("Type:extra" → "Type"). */
export function errorTypeOf(header, body) {
  const h = (header ?? '').split(':')[0].trim();
  return h || body?.__type?.split('#').pop() || body?.Type || body?.code || 'Error';
}

/** "ResourceNotFoundException: Function not found: …" for an error thrown by the client or the model. */
export function describeError(e) {
  if (e && typeof e === 'object' && 'type' in e) return `${e.type}: ${e.message}${e.hint ? ` — ${e.hint}` : ''}`;
  return e instanceof Error ? e.message : String(e);
}

/** Sorts version strings numerically, $LATEST first. */
export function compareVersions(a, b) {
  if (a === b) return 0;
  if (a === '$LATEST') return -1;
  if (b === '$LATEST') return 1;
  return Number(a) - Number(b);
}

/** The qualifier of a function or layer version ARN ('' for an unqualified function ARN). */
export function qualifierOf(arn) {
  const parts = String(arn ?? '').split(':');
  return parts.length > 7 ? parts[7] : '';
}

/** A FunctionUrlConfig as a row: the URL and its auth type. */
export function urlRow(config) {
  return config ? { url: config.FunctionUrl, authType: config.AuthType } : undefined;
}

/** A provisioned concurrency config as a row, e.g. "READY · 2 of 2 allocated". */
export function provisionedRow(config) {
  if (!config) return undefined;
  const requested = config.RequestedProvisionedConcurrentExecutions ?? 0;
  const allocated = config.AllocatedProvisionedConcurrentExecutions ?? 0;
  const status = config.Status ?? '';
  const reason = config.StatusReason ?? '';
  return { requested, allocated, status, reason, text: `${status} · ${allocated} of ${requested} allocated${reason ? ` — ${reason}` : ''}` };
}

/** A version's layers ({ Arn } items) as names and versions, e.g. [{ name: 'deps', version: '3' }]. */
export function layersOf(layers) {
  return (layers ?? []).map((l) => {
    const parts = String(l.Arn ?? '').split(':');
    return { name: parts[6] ?? l.Arn, version: parts[7] ?? '', arn: l.Arn };
  });
}

/** Parses the provisioned concurrency asked for in a form: a whole number of environments, at least 1. */
export function parseProvisioned(text) {
  const t = String(text ?? '').trim();
  if (!/^\d+$/.test(t) || Number(t) < 1) {
    throw new ConsoleError(`'${text}' is not a number of environments`, 'Write a whole number, at least 1; remove the setting to go back to none.', 'InvalidParameterValueException');
  }
  return Number(t);
}

/**
 * Rows for one function: its aliases (traffic and where a rollback would go) and its versions.
 * `tags` is the function's tag map (for the rollback history); `urls` and `provisioned` are its
 * FunctionUrlConfigs and ProvisionedConcurrencyConfigs (for every qualifier).
 */
export function functionView(fn, aliases, versions, tags, { urls = [], provisioned = [] } = {}) {
  const urlFor = (q) => urlRow(urls.find((u) => qualifierOf(u.FunctionArn) === q));
  const provisionedFor = (q) => provisionedRow(provisioned.find((p) => qualifierOf(p.FunctionArn) === q));
  const aliasRows = [...aliases].sort((a, b) => a.Name.localeCompare(b.Name)).map((a) => {
    const state = stateOf(a);
    let rollbackTo;
    try {
      rollbackTo = planRollback({ functionName: fn.FunctionName, alias: a.Name, current: a, history: parseHistory(tags?.[historyTag(a.Name)]) }).target;
    } catch {
      rollbackTo = undefined;
    }
    return {
      name: a.Name,
      arn: a.AliasArn,
      version: state.version,
      traffic: describeTraffic(state),
      canary: activeWeights(state).length > 0,
      /** Every version this alias sends traffic to. */
      runs: [state.version, ...activeWeights(state).map(([v]) => v)],
      rollbackTo: rollbackTo ? `version ${rollbackTo.version}` : '',
      description: a.Description ?? '',
      url: urlFor(a.Name),
      provisioned: provisionedFor(a.Name),
    };
  });
  const versionRows = [...versions].sort((a, b) => compareVersions(a.Version, b.Version)).map((v) => ({
    version: v.Version,
    codeSha256: v.CodeSha256 ?? '',
    lastModified: formatDate(v.LastModified),
    description: v.Description ?? '',
    aliases: aliasRows.filter((a) => a.runs.includes(v.Version)).map((a) => a.name),
    layers: layersOf(v.Layers),
    provisioned: provisionedFor(v.Version),
  }));
  return {
    name: fn.FunctionName,
    arn: fn.FunctionArn,
    runtime: fn.Runtime ?? '',
    handler: fn.Handler ?? '',
    /** The unqualified function's own URL. */
    url: urlFor(''),
    aliases: aliasRows,
    versions: versionRows,
    /** What the Promote form offers as sources: aliases, then published versions. */
    promoteSources: [...aliasRows.map((a) => a.name), ...versionRows.map((v) => v.version).filter((v) => v !== '$LATEST')],
  };
}

/** A base URL's origin parts, e.g. location: { protocol, hostname, port, host }. */
export function invokeUrls(location, apiId, stage) {
  const port = location.port || (location.protocol === 'https:' ? '443' : '80');
  return {
    hostStyle: `${location.protocol}//${apiId}.execute-api.localhost:${port}/${encodeURIComponent(stage)}/`,
    pathStyle: `${location.protocol}//${location.host}/restapis/${encodeURIComponent(apiId)}/${encodeURIComponent(stage)}/_user_request_/`,
  };
}

/** API Gateway's dates (epoch seconds on the wire) as "2024-01-02 03:04:05 UTC"; '' when absent. */
export function formatDate(value) {
  if (value === undefined || value === null || value === '') return '';
  const d = typeof value === 'number' ? new Date(value * 1000) : new Date(value);
  return Number.isNaN(d.getTime()) ? String(value) : `${d.toISOString().slice(0, 19).replace('T', ' ')} UTC`;
}

/** A stage's throttling (methodSettings for all methods, "*\/*"), e.g. "100 req/s, burst 50"; '' when not limited. */
export function throttlingOf(stage) {
  const all = stage.methodSettings?.['*/*'];
  const rate = all?.throttlingRateLimit;
  const burst = all?.throttlingBurstLimit;
  const parts = [];
  if (rate !== undefined && rate >= 0) parts.push(`${rate} req/s`);
  if (burst !== undefined && burst >= 0) parts.push(`burst ${burst}`);
  return parts.join(', ');
}

/** An API's name as part of a file name. */
function safeName(name) {
  return String(name).replace(/[^A-Za-z0-9._-]+/g, '_');
}

/** The file name a stage's OpenAPI export is saved as. */
export function exportFileName(apiName, stage) {
  return `${safeName(apiName)}-${stage}-oas30.json`;
}

/**
 * Rows for one REST API's stages (GetStages items), with both invoke URLs, canary, throttling, access
 * logging and the deployment's date; and the API's models, request validators and whether any
 * gateway response is customised.
 */
export function apiView(api, stages, location, { deployments = [], models = [], validators = [], gatewayResponses = [] } = {}) {
  const byName = (a, b) => a.localeCompare(b);
  return {
    id: api.id,
    name: api.name ?? api.id,
    description: api.description ?? '',
    models: models.map((m) => m.name).sort(byName),
    validators: validators.map((v) => v.name ?? v.id).sort(byName),
    customGatewayResponses: gatewayResponses.filter((r) => r.defaultResponse === false).map((r) => r.responseType).sort(byName),
    stages: [...stages].sort((a, b) => a.stageName.localeCompare(b.stageName)).map((s) => ({
      name: s.stageName,
      deploymentId: s.deploymentId ?? '',
      deployedAt: formatDate(deployments.find((d) => d.id === s.deploymentId)?.createdDate),
      lastUpdated: formatDate(s.lastUpdatedDate ?? s.createdDate),
      variables: Object.entries(s.variables ?? {}).sort(([a], [b]) => a.localeCompare(b)).map(([k, v]) => `${k}=${v}`),
      throttling: throttlingOf(s),
      accessLog: s.accessLogSettings?.destinationArn ?? '',
      canary: canaryRow(s),
      history: stageHistoryOf(s),
      exportFile: exportFileName(api.name ?? api.id, s.stageName),
      ...invokeUrls(location, api.id, s.stageName),
    })),
  };
}

/** Decodes `X-Amz-Log-Result` (base64 of UTF-8 text). */
export function decodeLogTail(b64) {
  if (!b64) return '';
  const bin = atob(b64);
  const bytes = Uint8Array.from(bin, (c) => c.charCodeAt(0));
  return new TextDecoder().decode(bytes);
}

/** The payload textarea's text as the body to send; throws a readable error for bad JSON. */
export function payloadOf(text) {
  const t = String(text ?? '').trim();
  if (t === '') return '{}';
  try {
    JSON.parse(t);
  } catch (e) {
    throw new ConsoleError(`the payload is not valid JSON (${e instanceof Error ? e.message : e})`, 'Write a JSON document, e.g. {"name": "world"}.', 'InvalidRequestContentException');
  }
  return t;
}

/** Pretty-prints a JSON result when it is JSON, else returns it as it is. */
export function prettyResult(text) {
  try {
    return JSON.stringify(JSON.parse(text), null, 2);
  } catch {
    return text;
  }
}

// ---- The API side of DEV→PROD: REST stage promotion and canaries, HTTP and WebSocket APIs, domains.

/** The deployments a stage served before (its tag stagecraft:previous, newest last), as `stagecraft rollback --api` reads them. */
export function stageHistoryOf(stage) {
  return String(stage.tags?.['stagecraft:previous'] ?? '').split(/\s+/).filter(Boolean);
}

/** A REST stage's canary as a row ("10% → d2", its overrides), or undefined when it has none. */
export function canaryRow(stage) {
  const c = stage.canarySettings;
  if (!c) return undefined;
  const overrides = Object.entries(c.stageVariableOverrides ?? {}).sort(([a], [b]) => a.localeCompare(b)).map(([k, v]) => `${k}=${v}`);
  const share = `${Math.round((c.percentTraffic ?? 0) * 100) / 100}%`;
  return { percentTraffic: c.percentTraffic ?? 0, deploymentId: c.deploymentId ?? stage.deploymentId ?? '', overrides, text: `${share} → ${c.deploymentId ?? stage.deploymentId ?? '?'}` };
}

/** A REST canary's share ("10%", "10" or "0.1") as API Gateway's percentTraffic (0–100); undefined when empty. */
export function parseCanaryPercent(text) {
  const share = parseCanary(text);
  return share === undefined ? undefined : Math.round(share * 10000) / 100;
}

function requireCanary(stage) {
  if (!stage?.canarySettings) {
    throw new ConsoleError(`stage ${stage?.stageName ?? '?'} has no canary`, 'Deploy with a canary first (CreateDeployment with canarySettings).', 'BadRequestException');
  }
  return stage.canarySettings;
}

/** The UpdateStage operation that drops a stage's canary: the stage keeps what it serves. */
export function planCanaryRemoval(stage) {
  requireCanary(stage);
  return [{ op: 'remove', path: '/canarySettings' }];
}

/**
 * The invoke URL of an HTTP or WebSocket API stage: `http://{apiId}.execute-api.localhost:{port}/{stage}`,
 * without the stage segment for `$default`, and `ws://` (`wss://` behind HTTPS) for WebSocket APIs.
 */
export function v2InvokeUrl(location, apiId, stage, protocolType) {
  const secure = location.protocol === 'https:';
  const port = location.port || (secure ? '443' : '80');
  const scheme = protocolType === 'WEBSOCKET' ? (secure ? 'wss:' : 'ws:') : secure ? 'https:' : 'http:';
  const base = `${scheme}//${apiId}.execute-api.localhost:${port}`;
  return stage === '$default' ? base : `${base}/${encodeURIComponent(stage)}`;
}

/**
 * A Lambda function in an integration URI — a function ARN or API Gateway's invocation URI
 * wrapping one — as "name" or "name:alias"; undefined for anything else.
 */
export function functionOfUri(uri) {
  const m = /arn:aws[a-z-]*:lambda:[^:]+:[^:]+:function:([^:/]+)(?::([^:/]+))?/.exec(String(uri ?? ''));
  if (!m) return undefined;
  return m[2] ? `${m[1]}:${m[2]}` : m[1];
}

/** Where an HTTP or WebSocket API integration sends a request: a function (name or name:alias), a URL, or its type. */
export function integrationTarget(integration) {
  if (!integration) return { kind: 'none', text: '—' };
  const fn = functionOfUri(integration.integrationUri);
  if (fn) return { kind: 'function', text: fn };
  if (integration.integrationUri) return { kind: 'url', text: integration.integrationUri, private: integration.connectionType === 'VPC_LINK' };
  return { kind: 'other', text: integration.integrationType ?? '—' };
}

/** The file name an HTTP API's OpenAPI export is saved as. */
export function httpExportFileName(apiName) {
  return `${safeName(apiName)}-oas30.json`;
}

/**
 * Rows for one HTTP or WebSocket API (a GetApis item): its routes (route key → integration
 * target, authorization type) and its stages (auto-deploy, deployment and its date, variables,
 * throttling from the default route settings, access logging, invoke URL).
 */
export function httpApiView(api, location, { routes = [], integrations = [], stages = [], deployments = [] } = {}) {
  const integrationOf = (target) => integrations.find((i) => `integrations/${i.integrationId}` === target);
  return {
    id: api.apiId,
    name: api.name ?? api.apiId,
    protocol: api.protocolType ?? 'HTTP',
    description: api.description ?? '',
    routeSelection: api.routeSelectionExpression ?? '',
    exportFile: httpExportFileName(api.name ?? api.apiId),
    routes: [...routes].sort((a, b) => a.routeKey.localeCompare(b.routeKey)).map((r) => ({
      key: r.routeKey,
      target: integrationTarget(integrationOf(r.target)),
      authorization: r.authorizationType ?? 'NONE',
      apiKeyRequired: r.apiKeyRequired === true,
    })),
    stages: [...stages].sort((a, b) => a.stageName.localeCompare(b.stageName)).map((s) => {
      const rate = s.defaultRouteSettings?.throttlingRateLimit;
      const burst = s.defaultRouteSettings?.throttlingBurstLimit;
      return {
        name: s.stageName,
        autoDeploy: s.autoDeploy === true,
        deploymentId: s.deploymentId ?? '',
        deployedAt: formatDate(deployments.find((d) => d.deploymentId === s.deploymentId)?.createdDate),
        variables: Object.entries(s.stageVariables ?? {}).sort(([a], [b]) => a.localeCompare(b)).map(([k, v]) => `${k}=${v}`),
        throttling: [rate !== undefined ? `${rate} req/s` : '', burst !== undefined ? `burst ${burst}` : ''].filter(Boolean).join(', '),
        accessLog: s.accessLogSettings?.destinationArn ?? '',
        history: stageHistoryOf(s),
        invokeUrl: v2InvokeUrl(location, api.apiId, s.stageName, api.protocolType),
      };
    }),
  };
}

/**
 * Rows for custom domain names (GetDomainNames items of the REST API, which lists every domain)
 * with their mappings (GetApiMappings items: REST base path mappings and HTTP/WebSocket API
 * mappings are one set), each mapping's API named from `apis` ({ id, name, kind }), and its URL
 * on this server's port when `location` is given.
 */
export function domainViews(domains, mappingsByDomain, apis, location) {
  const port = location ? location.port || (location.protocol === 'https:' ? '443' : '80') : '';
  return [...domains].sort((a, b) => a.domainName.localeCompare(b.domainName)).map((d) => ({
    name: d.domainName,
    endpointType: d.endpointConfiguration?.types?.[0] ?? '',
    target: d.regionalDomainName ?? d.distributionDomainName ?? '',
    securityPolicy: d.securityPolicy ?? '',
    mappings: [...(mappingsByDomain[d.domainName] ?? [])].sort((a, b) => (a.apiMappingKey ?? '').localeCompare(b.apiMappingKey ?? '')).map((m) => {
      const api = apis.find((a) => a.id === m.apiId);
      return {
        basePath: m.apiMappingKey ? m.apiMappingKey : '(none)',
        apiId: m.apiId,
        api: api ? `${api.name} (${api.kind})` : m.apiId,
        stage: m.stage ?? '',
        /** Where the mapping answers once the domain's DNS points at this server (or with its Host header). */
        url: location ? `${location.protocol}//${d.domainName}:${port}/${m.apiMappingKey ?? ''}` : '',
      };
    }),
  }));
}

// The Logs view's pure functions live in logs-model.js; modules that import the console's model get them here too.
export * from './logs-model.js';
