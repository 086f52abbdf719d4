// Step 3 — route: which resource and method of the deployed snapshot a request addresses.
// A snapshot's resources are compiled once into a segment tree (cached per snapshot object, which
// the stage runtime keeps identical for a deployment id) plus a map of fully literal paths.
// Precedence follows API Gateway: a literal segment before a {param} before a {greedy+}; a
// resource answers a method when it defines that method or ANY, otherwise matching goes on
// with the next candidate. No match at all is AWS's 403 "Missing Authentication Token".
import type { DeploymentSnapshot, MethodRecord, SnapshotResource } from '../apigateway/stage-runtime.js';

interface RouteNode {
  literal: Map<string, RouteNode> | undefined;
  param: { name: string; node: RouteNode } | undefined;
  greedy: { name: string; resource: SnapshotResource } | undefined;
  resource: SnapshotResource | undefined;
}

export interface RouteTable {
  root: RouteNode;
  /** Resources whose path has no parameters, by path ("/" for the root). */
  exact: Map<string, SnapshotResource>;
  size: number;
}

export interface RouteMatch {
  resource: SnapshotResource;
  method: MethodRecord;
  pathParameters: Record<string, string> | null;
}

const newNode = (): RouteNode => ({ literal: undefined, param: undefined, greedy: undefined, resource: undefined });

const PARAM = /^\{([^{}+]+)\}$/;
const GREEDY = /^\{([^{}+]+)\+\}$/;

export function compileRoutes(snapshot: DeploymentSnapshot): RouteTable {
  const root = newNode();
  const exact = new Map<string, SnapshotResource>();
  for (const resource of snapshot.resources) {
    const parts = resource.path === '/' ? [] : resource.path.slice(1).split('/');
    let node = root;
    let literalOnly = true;
    for (let i = 0; i < parts.length; i++) {
      const part = parts[i];
      const greedy = GREEDY.exec(part);
      if (greedy) {
        // A greedy parameter is always the last part of a path (API Gateway refuses children).
        node.greedy = { name: greedy[1], resource };
        literalOnly = false;
        node = undefined as unknown as RouteNode;
        break;
      }
      const param = PARAM.exec(part);
      if (param) {
        literalOnly = false;
        node.param ??= { name: param[1], node: newNode() };
        node = node.param.node;
      } else {
        node.literal ??= new Map();
        let next = node.literal.get(part);
        if (!next) node.literal.set(part, (next = newNode()));
        node = next;
      }
    }
    if (node) node.resource = resource;
    if (literalOnly) exact.set(resource.path, resource);
  }
  return { root, exact, size: snapshot.resources.length };
}

const tables = new WeakMap<DeploymentSnapshot, RouteTable>();

/** The compiled table for a snapshot, built on first use and kept as long as the snapshot lives. */
export function routeTableFor(snapshot: DeploymentSnapshot): RouteTable {
  let table = tables.get(snapshot);
  if (!table) tables.set(snapshot, (table = compileRoutes(snapshot)));
  return table;
}

function methodOf(resource: SnapshotResource | undefined, httpMethod: string): MethodRecord | undefined {
  if (!resource) return undefined;
  const methods = resource.resourceMethods;
  return methods[httpMethod] ?? methods.ANY;
}

/**
 * Trailing slashes are ignored; leading ones are collapsed. Empty segments inside the path can
 * only be part of a greedy parameter's value (AWS keeps `a//b` in {proxy+}).
 */
function trimSlashes(path: string): string {
  let start = 0;
  let end = path.length;
  while (start < end && path.charCodeAt(start) === 47) start++;
  while (end > start && path.charCodeAt(end - 1) === 47) end--;
  return start === 0 && end === path.length ? path : path.slice(start, end);
}

export function matchRoute(table: RouteTable, httpMethod: string, path: string): RouteMatch | undefined {
  const trimmed = trimSlashes(path);
  const literal = table.exact.get(trimmed === '' ? '/' : `/${trimmed}`);
  const direct = methodOf(literal, httpMethod);
  if (direct) return { resource: literal!, method: direct, pathParameters: null };
  if (trimmed === '') return undefined;
  const segments = trimmed.split('/');
  const params: [string, string][] = [];
  const found = walk(table.root, segments, 0, httpMethod, params);
  if (!found) return undefined;
  let pathParameters: Record<string, string> | null = null;
  if (params.length) {
    pathParameters = {};
    for (const [k, v] of params) pathParameters[k] = v;
  }
  return { resource: found[0], method: found[1], pathParameters };
}

/** Depth-first in precedence order; each tree node is visited at most once per request. */
function walk(node: RouteNode, segments: string[], i: number, httpMethod: string, params: [string, string][]): [SnapshotResource, MethodRecord] | undefined {
  if (i === segments.length) {
    const m = methodOf(node.resource, httpMethod);
    return m ? [node.resource!, m] : undefined;
  }
  const segment = segments[i];
  const literal = node.literal?.get(segment);
  if (literal) {
    const found = walk(literal, segments, i + 1, httpMethod, params);
    if (found) return found;
  }
  if (node.param && segment !== '') {
    params.push([node.param.name, segment]);
    const found = walk(node.param.node, segments, i + 1, httpMethod, params);
    if (found) return found;
    params.pop();
  }
  if (node.greedy) {
    const m = methodOf(node.greedy.resource, httpMethod);
    if (m) {
      params.push([node.greedy.name, i === 0 ? segments.join('/') : segments.slice(i).join('/')]);
      return [node.greedy.resource, m];
    }
  }
  return undefined;
}
