// What `stagecraft delete` removes for a stack, as a list in dependency order: what routes traffic to
// an API (domain mappings, domains) and what refers to its stages (usage plans, their keys) before the
// APIs; what hangs off a function (URLs, event invoke configs, provisioned concurrency, aliases)
// before the function; layer versions last, once no function of the stack uses them. A function or
// API whose template said DeletionPolicy: Retain is kept, and only leaves the stack.
import { RETAIN_TAG, STACK_TAG } from './functions.js';
import { isLayerMark, layerMarkStatementId } from './layer-ownership.js';

export type Deletion =
  | { kind: 'base-path-mapping'; domainName: string; basePath: string }
  | { kind: 'api-mapping'; domainName: string; mappingId: string; key: string }
  | { kind: 'domain-name'; domainName: string }
  | { kind: 'usage-plan'; id: string; name: string; apiStages: string[] }
  | { kind: 'api-key'; id: string; name: string }
  | { kind: 'rest-api'; id: string; name: string }
  | { kind: 'http-api'; id: string; name: string }
  /** An API whose template said DeletionPolicy: Retain: kept, it only stops being the stack's (its stack tags go). */
  | { kind: 'api-release'; protocol: 'rest' | 'http'; id: string; name: string }
  /** The grants a deleted API had on a function outside the stack; qualifier `*`: the function's and every alias's. */
  | { kind: 'api-grants'; apiId: string; functionName: string; qualifier?: string }
  | { kind: 'function-url'; functionName: string; qualifier?: string }
  | { kind: 'event-invoke-config'; functionName: string; qualifier?: string }
  | { kind: 'provisioned-concurrency'; functionName: string; qualifier: string }
  | { kind: 'alias'; functionName: string; name: string }
  | { kind: 'function'; functionName: string }
  /** A function whose template said DeletionPolicy: Retain: kept, it only stops being the stack's (its stack tag goes). */
  | { kind: 'function-release'; functionName: string }
  | { kind: 'layer-version'; layerName: string; version: number }
  /** A layer version another stack shares: only this stack's mark goes. */
  | { kind: 'layer-mark'; layerName: string; version: number; statementId: string }
  /** A CloudWatch alarm of the template (AWS::CloudWatch::Alarm or CompositeAlarm; composites listed before the alarms their rules and suppressors name). */
  | { kind: 'metric-alarm'; name: string }
  /** A CloudWatch dashboard of the template (AWS::CloudWatch::Dashboard). */
  | { kind: 'dashboard'; name: string }
  /** A CloudWatch Logs metric filter of the template (AWS::Logs::MetricFilter); its log group stays. */
  | { kind: 'metric-filter'; logGroupName: string; filterName: string }
  /** A CloudWatch Logs subscription filter of the template (AWS::Logs::SubscriptionFilter); its log group stays. */
  | { kind: 'subscription-filter'; logGroupName: string; filterName: string };

export type DeletionKind = Deletion['kind'];

export const DELETION_ORDER: readonly DeletionKind[] = [
  'metric-alarm', 'dashboard', 'metric-filter', 'subscription-filter',
  'base-path-mapping', 'api-mapping', 'domain-name',
  'usage-plan', 'api-key',
  'rest-api', 'http-api', 'api-release', 'api-grants',
  'function-url', 'event-invoke-config', 'provisioned-concurrency', 'alias', 'function', 'function-release',
  'layer-version', 'layer-mark',
];

/** Deletions sorted into dependency order (stable within a kind). */
export function orderDeletions(deletions: readonly Deletion[]): Deletion[] {
  const rank = (d: Deletion) => DELETION_ORDER.indexOf(d.kind);
  return deletions.map((d, i) => ({ d, i })).sort((a, b) => rank(a.d) - rank(b.d) || a.i - b.i).map(({ d }) => d);
}

const qualified = (name: string, qualifier?: string) => (qualifier ? `${name}:${qualifier}` : name);

/** The deletion as people name it: `REST API shop (id abc123)`. */
export function describeDeletion(d: Deletion): string {
  switch (d.kind) {
    case 'base-path-mapping': return `base path mapping ${d.domainName}/${d.basePath === '(none)' ? '' : d.basePath}`;
    case 'api-mapping': return `API mapping ${d.domainName}/${d.key}`;
    case 'domain-name': return `domain name ${d.domainName}`;
    case 'usage-plan': return `usage plan ${d.name} (id ${d.id})`;
    case 'api-key': return `API key ${d.name} (id ${d.id})`;
    case 'rest-api': return `REST API ${d.name} (id ${d.id})`;
    case 'http-api': return `HTTP API ${d.name} (id ${d.id})`;
    case 'api-release': return `${d.protocol === 'rest' ? 'REST' : 'HTTP'} API ${d.name} (id ${d.id}; kept: DeletionPolicy Retain; no longer part of the stack)`;
    case 'api-grants': return `permissions of API ${d.apiId} to call ${d.qualifier === '*' ? `${d.functionName} (any alias)` : qualified(d.functionName, d.qualifier)}`;
    case 'function-url': return `function URL of ${qualified(d.functionName, d.qualifier)}`;
    case 'event-invoke-config': return `event invoke config of ${qualified(d.functionName, d.qualifier)}`;
    case 'provisioned-concurrency': return `provisioned concurrency of ${qualified(d.functionName, d.qualifier)}`;
    case 'alias': return `alias ${qualified(d.functionName, d.name)}`;
    case 'function': return `function ${d.functionName} (every version)`;
    case 'function-release': return `function ${d.functionName} (kept: DeletionPolicy Retain; no longer part of the stack)`;
    case 'metric-alarm': return `CloudWatch alarm ${d.name}`;
    case 'dashboard': return `CloudWatch dashboard ${d.name}`;
    case 'metric-filter': return `CloudWatch Logs metric filter ${d.filterName} on ${d.logGroupName}`;
    case 'subscription-filter': return `CloudWatch Logs subscription filter ${d.filterName} on ${d.logGroupName}`;
    case 'layer-version': return `layer ${d.layerName} version ${d.version}`;
    case 'layer-mark': return `stack mark on layer ${d.layerName} version ${d.version} (another stack uses it too)`;
  }
}

type Tags = Record<string, string> | undefined;

/** Whether `tags` say the stack made the resource. */
export const ownedBy = (tags: Tags, stackName: string): boolean => tags?.[STACK_TAG] === stackName;

/** Whether `tags` say the template's DeletionPolicy keeps the resource (deploy tags functions and APIs so). */
const retained = (tags: Tags): boolean => tags?.[RETAIN_TAG] === 'Retain';

/** A function an API calls; qualifier `*` when a stage variable chooses it. */
export interface Callee {
  functionName: string;
  qualifier?: string;
}

/** The function a Lambda integration or authorizer URI (or a function ARN) calls; undefined for anything else. */
export function calleeOf(uri: string | undefined): Callee | undefined {
  if (!uri) return undefined;
  const arn = /\/functions\/(.+)\/invocations$/.exec(uri)?.[1] ?? uri;
  const m = /^arn:aws[a-zA-Z-]*:lambda:[^:]+:\d{12}:function:([A-Za-z0-9_-]{1,64})(?::(.+))?$/.exec(arn);
  if (!m) return undefined;
  const q = m[2];
  return { functionName: m[1], qualifier: q === undefined || q === '$LATEST' ? undefined : q.includes('${') ? '*' : q };
}

/** What is on the server, as the inventory reads it. */
export interface ServerInventory {
  domains: { domainName: string; tags: Tags; basePaths: string[]; apiMappings: { id: string; key: string }[] }[];
  usagePlans: { id: string; name: string; tags: Tags; apiStages: string[] }[];
  apiKeys: { id: string; name: string; tags: Tags }[];
  /** APIs; `callees` (read for the stack's only) are the functions their integrations and authorizers call. */
  restApis: { id: string; name: string; tags: Tags; callees?: Callee[] }[];
  httpApis: { id: string; name: string; tags: Tags; callees?: Callee[] }[];
  /** Functions with what hangs off them (read for the stack's only); qualifiers undefined for $LATEST. */
  functions: { name: string; tags: Tags; urls: (string | undefined)[]; eventInvokeConfigs: (string | undefined)[]; provisioned: string[]; aliases: string[] }[];
  /** Layers with the statement IDs of each version's policy. */
  layers: { name: string; versions: { version: number; statementIds: string[] }[] }[];
  /** CloudWatch metric and composite alarms with their tags, each composite before the alarms its rule and suppressor name. */
  alarms: { name: string; tags: Tags }[];
  /** CloudWatch dashboards with their tags. */
  dashboards?: { name: string; tags: Tags }[];
  /** CloudWatch Logs metric filters a stack owns (deploy marks them on their log group). */
  metricFilters: { logGroupName: string; filterName: string; stackName: string }[];
  /** CloudWatch Logs subscription filters a stack owns (marked likewise). */
  subscriptionFilters: { logGroupName: string; filterName: string; stackName: string }[];
}

/**
 * The stack's layer versions: those with its mark and no other stack's (a version two stacks share
 * loses only this stack's mark), and the unmarked versions of a layer only this stack marks
 * (published before deploys marked them).
 */
export function layerDeletions(stackName: string, layers: ServerInventory['layers']): Deletion[] {
  const mine = layerMarkStatementId(stackName);
  const out: Deletion[] = [];
  for (const layer of layers) {
    const marks = layer.versions.flatMap((v) => v.statementIds.filter(isLayerMark));
    if (!marks.includes(mine)) continue;
    const onlyMine = marks.every((m) => m === mine);
    for (const v of layer.versions) {
      const vMarks = v.statementIds.filter(isLayerMark);
      if (vMarks.includes(mine) && vMarks.length > 1) out.push({ kind: 'layer-mark', layerName: layer.name, version: v.version, statementId: mine });
      else if (vMarks.includes(mine) || (vMarks.length === 0 && onlyMine)) out.push({ kind: 'layer-version', layerName: layer.name, version: v.version });
    }
  }
  return out;
}

/** Everything of the stack on the server, in the order to delete it. */
export function planDeletions(stackName: string, inventory: ServerInventory): Deletion[] {
  const out: Deletion[] = [];
  for (const d of inventory.domains.filter((x) => ownedBy(x.tags, stackName))) {
    for (const basePath of d.basePaths) out.push({ kind: 'base-path-mapping', domainName: d.domainName, basePath });
    for (const m of d.apiMappings) out.push({ kind: 'api-mapping', domainName: d.domainName, mappingId: m.id, key: m.key });
    out.push({ kind: 'domain-name', domainName: d.domainName });
  }
  for (const p of inventory.usagePlans.filter((x) => ownedBy(x.tags, stackName))) out.push({ kind: 'usage-plan', id: p.id, name: p.name, apiStages: p.apiStages });
  for (const k of inventory.apiKeys.filter((x) => ownedBy(x.tags, stackName))) out.push({ kind: 'api-key', id: k.id, name: k.name });
  // What the template said DeletionPolicy: Retain of (deploy's RETAIN_TAG) is kept and leaves the stack, as CloudFormation retains it.
  const owned = inventory.functions.filter((x) => ownedBy(x.tags, stackName));
  const functions = owned.filter((x) => !retained(x.tags));
  for (const f of owned.filter((x) => retained(x.tags))) out.push({ kind: 'function-release', functionName: f.name });
  const deleted = new Set(functions.map((f) => f.name));
  for (const [kind, protocol, apis] of [['rest-api', 'rest', inventory.restApis], ['http-api', 'http', inventory.httpApis]] as const) {
    for (const a of apis.filter((x) => ownedBy(x.tags, stackName))) {
      if (retained(a.tags)) {
        out.push({ kind: 'api-release', protocol, id: a.id, name: a.name });
        continue;
      }
      out.push({ kind, id: a.id, name: a.name });
      // The stack's own functions go whole; others keep working, without the deleted API's grants.
      const seen = new Set<string>();
      for (const c of a.callees ?? []) {
        const key = `${c.functionName}:${c.qualifier ?? ''}`;
        if (deleted.has(c.functionName) || seen.has(key)) continue;
        seen.add(key);
        out.push({ kind: 'api-grants', apiId: a.id, functionName: c.functionName, qualifier: c.qualifier });
      }
    }
  }
  for (const f of functions) {
    for (const qualifier of f.urls) out.push({ kind: 'function-url', functionName: f.name, qualifier });
    for (const qualifier of f.eventInvokeConfigs) out.push({ kind: 'event-invoke-config', functionName: f.name, qualifier });
    for (const qualifier of f.provisioned) out.push({ kind: 'provisioned-concurrency', functionName: f.name, qualifier });
    for (const name of f.aliases) out.push({ kind: 'alias', functionName: f.name, name });
    out.push({ kind: 'function', functionName: f.name });
  }
  out.push(...layerDeletions(stackName, inventory.layers));
  for (const a of inventory.alarms.filter((x) => ownedBy(x.tags, stackName))) out.push({ kind: 'metric-alarm', name: a.name });
  for (const d of (inventory.dashboards ?? []).filter((x) => ownedBy(x.tags, stackName))) out.push({ kind: 'dashboard', name: d.name });
  for (const f of inventory.metricFilters.filter((x) => x.stackName === stackName)) out.push({ kind: 'metric-filter', logGroupName: f.logGroupName, filterName: f.filterName });
  for (const f of inventory.subscriptionFilters.filter((x) => x.stackName === stackName)) out.push({ kind: 'subscription-filter', logGroupName: f.logGroupName, filterName: f.filterName });
  return orderDeletions(out);
}
