// ProjectionExpression: comma-separated document paths. A projected item keeps the nesting of what
// it selects; elements picked from a list come back as a shorter list, in index order.
import type { AttributeValue, Item } from '../attribute-value.js';
import type { CompiledProjection } from './api.js';
import { parsePath, pathsClash, type DocumentPath } from './paths.js';
import type { Scope } from './scope.js';
import { Rank, TokenStream } from './tokens.js';

/** A projection under construction: list elements are keyed by their original index. */
type Node = { value: AttributeValue } | { map: Map<string, Node> } | { list: Map<number, Node> };

function insert(children: Map<string | number, Node>, path: DocumentPath, source: AttributeValue | undefined): void {
  const [segment, ...rest] = path;
  if (source === undefined) return;
  if (rest.length === 0) {
    children.set(segment, { value: source });
    return;
  }
  const next = rest[0];
  const child = typeof next === 'number' ? ('L' in source ? source.L[next] : undefined) : 'M' in source && Object.hasOwn(source.M, next) ? source.M[next] : undefined;
  if (child === undefined) return;
  let node = children.get(segment);
  if (!node) {
    node = typeof next === 'number' ? { list: new Map() } : { map: new Map() };
    children.set(segment, node);
  }
  const grandchildren = ('list' in node ? node.list : 'map' in node ? node.map : undefined) as Map<string | number, Node> | undefined;
  if (grandchildren) insert(grandchildren, rest, child);
}

function build(node: Node): AttributeValue {
  if ('value' in node) return node.value;
  if ('list' in node) return { L: [...node.list.entries()].sort(([a], [b]) => a - b).map(([, child]) => build(child)) };
  return { M: Object.fromEntries([...node.map.entries()].map(([key, child]) => [key, build(child)])) };
}

export function compileProjection(expression: string, scope: Scope): CompiledProjection {
  const tokens = TokenStream.of('ProjectionExpression', expression);
  const paths: DocumentPath[] = [];
  do paths.push(parsePath(tokens, scope));
  while (tokens.accept(','));
  const clash = pathsClash(paths);
  if (clash) tokens.report(Rank.Paths, clash);
  tokens.finish();
  return {
    topLevelNames: [...new Set(paths.map((path) => path[0] as string))],
    project: (item: Item) => projectPaths(paths, item),
  };
}

/** The parts of an item that the paths select, nested as in the item. */
export function projectPaths(paths: readonly DocumentPath[], item: Item): Item {
  const top = new Map<string, Node>();
  for (const path of paths) {
    const name = path[0] as string;
    if (Object.hasOwn(item, name)) insert(top as Map<string | number, Node>, path, item[name]);
  }
  return Object.fromEntries([...top.entries()].map(([name, node]) => [name, build(node)]));
}
