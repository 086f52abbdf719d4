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

/** "version 3", or "version 3 (90%) and 4 (10%)". */
export function describeState(s) {
  const extra = activeWeights(s);
  if (!extra.length) return `version ${s.version}`;
  const rest = 1 - extra.reduce((n, [, w]) => n + w, 0);
  return `version ${s.version} (${percent(rest)}) and ${extra.map(([v, w]) => `${v} (${percent(w)})`).join(', ')}`;
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
    lastModified: v.LastModified ?? '',
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

/** The file name a stage's OpenAPI export is saved as. */
export function exportFileName(apiName, stage) {
  return `${String(apiName).replace(/[^A-Za-z0-9._-]+/g, '_')}-${stage}-oas30.json`;
}

/**
 * Rows for one REST API's stages (GetStages items), with both invoke URLs, throttling, access
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
