// What the CDK translation (cdk-template.ts) shares: the raw resources of a synthesized template,
// node builders that may embed the template's own nodes (so errors still point at its lines),
// and the reference rewrites a translated resource leaves behind.
import type { Issues, Location } from './issues.js';
import { childPath, get, type MapEntry, type MapNode, type TNode } from './source.js';

export interface RawResource {
  logicalId: string;
  type: string;
  /** The whole resource map (Type, Properties, Metadata, DependsOn, …). */
  node: MapNode;
  properties: MapNode;
  loc: Location;
  path: string;
}

/** What `Ref X` and `Fn::GetAtt X.attr` become once X is folded into another resource. */
export interface Rewrite {
  ref?: TNode;
  attributes?: Record<string, TNode>;
  /** The resource DependsOn on X now waits for (none: dropped). */
  dependsOn?: string;
}

/** One translation's result: resources to add (or replace, same logical ID), to drop, and rewrites. */
export interface Translation {
  resources: Map<string, MapNode>;
  dropped: Set<string>;
  rewrites: Map<string, Rewrite>;
  /** Functions whose Version is published without an alias. */
  publishedVersions: Set<string>;
}

export interface TranslateContext {
  raw: Map<string, RawResource>;
  issues: Issues;
}

export function emptyTranslation(): Translation {
  return { resources: new Map(), dropped: new Set(), rewrites: new Map(), publishedVersions: new Set() };
}

export function mergeTranslations(into: Translation, from: Translation): void {
  for (const [k, v] of from.resources) into.resources.set(k, v);
  for (const d of from.dropped) into.dropped.add(d);
  for (const [k, v] of from.rewrites) into.rewrites.set(k, v);
  for (const f of from.publishedVersions) into.publishedVersions.add(f);
}

function isNode(v: unknown): v is TNode {
  return typeof v === 'object' && v !== null && 'kind' in v && 'loc' in v && 'path' in v;
}

/** Builds a node from plain values and embedded template nodes; undefined map values are left out. */
export function build(value: unknown, path: string, loc: Location): TNode {
  if (isNode(value)) return value;
  if (Array.isArray(value)) return { kind: 'seq', items: value.map((v, i) => build(v, childPath(path, i), loc)), loc, path };
  if (value !== null && typeof value === 'object') {
    const entries: MapEntry[] = Object.entries(value).filter(([, v]) => v !== undefined).map(([key, v]) => ({ key, keyLoc: loc, value: build(v, childPath(path, key), loc) }));
    return { kind: 'map', entries, loc, path };
  }
  return { kind: 'scalar', value: value as string | number | boolean | null, loc, path };
}

/** A SAM resource of `type` built over the raw one (its Condition and DependsOn are kept). */
export function samResource(raw: RawResource, type: string, properties: Record<string, unknown>): MapNode {
  const kept = raw.node.entries.filter((e) => e.key !== 'Type' && e.key !== 'Properties' && e.key !== 'Metadata');
  const props = build(properties, `${raw.path}.Properties`, raw.properties.loc);
  return {
    ...raw.node,
    entries: [{ key: 'Type', keyLoc: raw.loc, value: build(type, `${raw.path}.Type`, raw.loc) }, { key: 'Properties', keyLoc: raw.properties.loc, value: props }, ...kept],
  };
}

/** The logical ID a property names through `Ref X` or `Fn::GetAtt X.attr` (attr: undefined for Ref). */
export function referenced(node: TNode | undefined): { id: string; attribute?: string } | undefined {
  if (node?.kind !== 'map' || node.entries.length !== 1) return undefined;
  const [{ key, value }] = node.entries;
  if (key === 'Ref' && value.kind === 'scalar' && typeof value.value === 'string') return { id: value.value };
  if (key !== 'Fn::GetAtt') return undefined;
  if (value.kind === 'scalar' && typeof value.value === 'string') {
    const dot = value.value.indexOf('.');
    return dot < 0 ? undefined : { id: value.value.slice(0, dot), attribute: value.value.slice(dot + 1) };
  }
  if (value.kind === 'seq' && value.items.length === 2 && value.items.every((i) => i.kind === 'scalar')) {
    return { id: String((value.items[0] as { value: unknown }).value), attribute: String((value.items[1] as { value: unknown }).value) };
  }
  return undefined;
}

/** A property's entries other than `except`, as a plain record of nodes (for passing through). */
export function passThrough(props: MapNode, keys: readonly string[]): Record<string, TNode> {
  const out: Record<string, TNode> = {};
  for (const k of keys) {
    const v = get(props, k);
    if (v) out[k] = v;
  }
  return out;
}

/** The raw resources of `type` whose property `key` refers (Ref or Fn::GetAtt) to `id`. */
export function referrers(ctx: TranslateContext, type: string, key: string, id: string): RawResource[] {
  return [...ctx.raw.values()].filter((r) => r.type === type && referenced(get(r.properties, key))?.id === id);
}

/** A scalar string property, when it is one. */
export function scalarString(node: TNode | undefined): string | undefined {
  return node?.kind === 'scalar' && typeof node.value === 'string' ? node.value : undefined;
}

/** CloudFormation's tag list ([{Key, Value}]) as SAM's tag map. */
export function tagMap(node: TNode | undefined): TNode | Record<string, TNode> | undefined {
  if (node?.kind !== 'seq') return node;
  const out: Record<string, TNode> = {};
  for (const item of node.items) {
    const key = item.kind === 'map' ? scalarString(get(item, 'Key')) : undefined;
    const value = item.kind === 'map' ? get(item, 'Value') : undefined;
    if (key !== undefined && value) out[key] = value;
  }
  return out;
}

/** The parts of an ARN `Fn::Select [n, Fn::Split [":", arn]]` picks, as the pseudo parameter they equal for the stack's own resources. */
const ARN_PARTS: Record<number, string> = { 1: 'AWS::Partition', 3: 'AWS::Region', 4: 'AWS::AccountId' };
const STACK_ARN_TYPES = ['AWS::Lambda::Function', 'AWS::Lambda::Alias', 'AWS::Lambda::Version'];

/**
 * `node` with each `Fn::Select [1|3|4, Fn::Split [":", <ARN of a function of the stack>]]` (how CDK
 * spells an authorizer's URI) as the stack's partition, region or account, which that ARN has:
 * the function's ARN is only known once deployed, and the template checks out before.
 */
export function stackArnParts(ctx: TranslateContext, node: TNode): TNode {
  if (node.kind === 'scalar') return node;
  if (node.kind === 'seq') return { ...node, items: node.items.map((i) => stackArnParts(ctx, i)) };
  const select = node.entries.length === 1 && node.entries[0].key === 'Fn::Select' ? node.entries[0].value : undefined;
  if (select?.kind === 'seq' && select.items.length === 2) {
    const [index, list] = select.items;
    const split = list.kind === 'map' && list.entries.length === 1 && list.entries[0].key === 'Fn::Split' ? list.entries[0].value : undefined;
    const part = index.kind === 'scalar' ? ARN_PARTS[Number(index.value)] : undefined;
    if (part && split?.kind === 'seq' && split.items.length === 2 && scalarString(split.items[0]) === ':') {
      const target = referenced(split.items[1]);
      const type = target && ctx.raw.get(target.id)?.type;
      if (type && STACK_ARN_TYPES.includes(type) && (target.attribute === undefined || target.attribute === 'Arn')) return build({ Ref: part }, node.path, node.loc);
    }
  }
  return { ...node, entries: node.entries.map((e) => ({ ...e, value: stackArnParts(ctx, e.value) })) };
}
