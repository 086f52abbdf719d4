// What differs between what two API deployments serve, read from their OpenAPI exports (REST
// GetExport of a stage with the integrations extension, HTTP API ExportApi of a stage): routes
// ("GET /pets", "ANY /{proxy+}", "$default"; a WebSocket API's route keys, from Stagecraft's routes
// export) added, removed, and changed with the parts that changed (integration.uri, security,
// parameters, …). The export is the one form every API kind
// shares and both the CLI and the web console can read. No I/O, and only canonical-json.js imported:
// the compiled module is also served to the console.
import { canonicalJson } from './canonical-json.js';

/**
 * An OpenAPI export, or Stagecraft's routes export of a WebSocket API (ExportApi's
 * STAGECRAFT_ROUTES specification), whose `routes` are keyed by route key already.
 */
export type OpenApiDocument = { paths?: Record<string, Record<string, unknown>>; routes?: Record<string, unknown> } & Record<string, unknown>;

export interface RouteEntry {
  /** "GET /pets", "ANY /{proxy+}"; an HTTP API's $default route is "$default". */
  route: string;
  /** Where it sends requests, e.g. "aws_proxy arn:aws:apigateway:…" or "mock"; '' when not exported. */
  integration: string;
}

export interface RouteChange extends RouteEntry {
  /** What it sent requests to before, when the integration changed. */
  integrationBefore: string;
  /** The parts that differ: integration.<field> for the integration, else the operation's field. */
  fields: string[];
}

export interface RouteDiff {
  added: RouteEntry[];
  removed: RouteEntry[];
  changed: RouteChange[];
  /** Routes served the same by both. */
  unchanged: number;
}

const INTEGRATION = 'x-amazon-apigateway-integration';
const ANY = 'x-amazon-apigateway-any-method';
const METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace', ANY];
/** Where an HTTP API export puts its $default route. */
const DEFAULT_ROUTE_PATH = '/$default';

type Operation = Record<string, unknown>;

/** Every route of a document, keyed by its name. */
export function routesOf(doc: OpenApiDocument | null | undefined): Map<string, Operation> {
  const routes = new Map<string, Operation>();
  for (const [key, op] of Object.entries(doc?.routes ?? {})) if (op && typeof op === 'object') routes.set(key, op as Operation);
  for (const [path, item] of Object.entries(doc?.paths ?? {})) {
    for (const method of METHODS) {
      const op = item?.[method];
      if (!op || typeof op !== 'object') continue;
      const verb = method === ANY ? 'ANY' : method.toUpperCase();
      routes.set(path === DEFAULT_ROUTE_PATH ? '$default' : `${verb} ${path}`, op as Operation);
    }
  }
  return routes;
}

/** "aws_proxy arn:…", "http_proxy GET http://…", "mock"; '' when the export has no integration. */
export function describeIntegration(op: Operation | undefined): string {
  const i = op?.[INTEGRATION] as Record<string, unknown> | undefined;
  if (!i) return '';
  const type = String(i.type ?? '').toLowerCase();
  const method = type.startsWith('http') && typeof i.httpMethod === 'string' ? i.httpMethod : '';
  return [type, method, typeof i.uri === 'string' ? i.uri : ''].filter(Boolean).join(' ');
}

function changedFields(before: Operation, after: Operation): string[] {
  const fields: string[] = [];
  const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])].sort((a, b) => a.localeCompare(b));
  for (const key of keys) {
    if (canonicalJson(before[key]) === canonicalJson(after[key])) continue;
    if (key !== INTEGRATION) {
      fields.push(key);
      continue;
    }
    const b = (before[key] ?? {}) as Record<string, unknown>;
    const a = (after[key] ?? {}) as Record<string, unknown>;
    for (const k of [...new Set([...Object.keys(b), ...Object.keys(a)])].sort((x, y) => x.localeCompare(y))) {
      if (canonicalJson(b[k]) !== canonicalJson(a[k])) fields.push(`integration.${k}`);
    }
  }
  return fields;
}

const byRoute = (a: RouteEntry, b: RouteEntry) => a.route.localeCompare(b.route);

/** Routes from `before` (what the stage serves now; null for none) to `after` (what it would serve). */
export function diffRoutes(before: OpenApiDocument | null | undefined, after: OpenApiDocument | null | undefined): RouteDiff {
  const was = routesOf(before);
  const now = routesOf(after);
  const diff: RouteDiff = { added: [], removed: [], changed: [], unchanged: 0 };
  for (const [route, op] of now) {
    const old = was.get(route);
    if (!old) diff.added.push({ route, integration: describeIntegration(op) });
    else {
      const fields = changedFields(old, op);
      if (fields.length) diff.changed.push({ route, integration: describeIntegration(op), integrationBefore: describeIntegration(old), fields });
      else diff.unchanged++;
    }
  }
  for (const [route, op] of was) if (!now.has(route)) diff.removed.push({ route, integration: describeIntegration(op) });
  diff.added.sort(byRoute);
  diff.removed.sort(byRoute);
  diff.changed.sort(byRoute);
  return diff;
}

export function isEmptyRouteDiff(diff: RouteDiff): boolean {
  return !diff.added.length && !diff.removed.length && !diff.changed.length;
}
