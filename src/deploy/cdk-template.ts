// `cdk synth` output as a SAM template: raw Lambda, API Gateway and API Gateway V2 resources become
// the SAM resources the rest of the deploy runs (cdk-lambda.ts, cdk-rest-api.ts, cdk-http-api.ts),
// references to the resources folded into them are rewritten to what SAM gives (`Fn.Alias`,
// `Fn.Version`, `FnUrl`, `Api.Deployment`, the stage's name), and CDK's bootstrap check (the
// BootstrapVersion parameter and its rule) and analytics (CDKMetadata) are dropped. A template
// without such resources comes back unchanged.
import type { Issues } from './issues.js';
import { childPath, get, type MapEntry, type MapNode, type TNode } from './source.js';
import { emptyTranslation, mergeTranslations, referenced, type RawResource, type Rewrite, type TranslateContext } from './cdk-nodes.js';
import { RAW_FUNCTION, translateLambda } from './cdk-lambda.js';
import { RAW_REST_API, translateRestApis } from './cdk-rest-api.js';
import { RAW_HTTP_API, translateHttpApis } from './cdk-http-api.js';

const CDK_METADATA_TYPE = 'AWS::CDK::Metadata';
const CDK_METADATA_CONDITION = 'CDKMetadataAvailable';
const BOOTSTRAP_PARAMETER = 'BootstrapVersion';
const BOOTSTRAP_RULE = 'CheckBootstrapVersion';
const TRANSLATED_ROOTS = [RAW_FUNCTION, 'AWS::Lambda::LayerVersion', RAW_REST_API, RAW_HTTP_API];

export function fromCdk(root: MapNode, issues: Issues): { root: MapNode; publishedVersions: Set<string> } {
  const resources = get(root, 'Resources');
  if (resources?.kind !== 'map') return { root, publishedVersions: new Set() };
  const raw = new Map<string, RawResource>();
  for (const e of resources.entries) {
    if (e.value.kind !== 'map') continue;
    const type = get(e.value, 'Type');
    const properties = get(e.value, 'Properties');
    if (type?.kind !== 'scalar' || typeof type.value !== 'string') continue;
    const props = properties?.kind === 'map' ? properties : { kind: 'map' as const, entries: [], loc: e.keyLoc, path: `Resources.${e.key}.Properties` };
    raw.set(e.key, { logicalId: e.key, type: type.value, node: e.value, properties: props, loc: e.keyLoc, path: `Resources.${e.key}` });
  }
  const ctx: TranslateContext = { raw, issues };
  const t = emptyTranslation();
  if ([...raw.values()].some((r) => TRANSLATED_ROOTS.includes(r.type))) {
    mergeTranslations(t, translateLambda(ctx));
    mergeTranslations(t, translateRestApis(ctx));
    mergeTranslations(t, translateHttpApis(ctx));
  }
  for (const r of raw.values()) if (r.type === CDK_METADATA_TYPE) t.dropped.add(r.logicalId);
  if (!t.resources.size && !t.dropped.size && !isBootstrapped(root)) return { root, publishedVersions: t.publishedVersions };

  const rewrite = (node: TNode) => rewriteReferences(node, t.rewrites);
  const entries: MapEntry[] = [];
  for (const e of root.entries) {
    if (e.key === 'Resources') {
      const kept = resources.entries.filter((r) => !t.dropped.has(r.key)).map((r) => {
        const translated = t.resources.get(r.key) ?? r.value;
        return { ...r, value: rewriteDependsOn(rewrite(translated), r.key, t.rewrites) };
      });
      entries.push({ ...e, value: { ...resources, entries: kept } });
    } else if (e.key === 'Outputs') {
      entries.push({ ...e, value: rewrite(e.value) });
    } else if (e.key === 'Parameters' || e.key === 'Rules' || e.key === 'Conditions') {
      const drop = { Parameters: BOOTSTRAP_PARAMETER, Rules: BOOTSTRAP_RULE, Conditions: CDK_METADATA_CONDITION }[e.key];
      if (e.value.kind !== 'map') {
        entries.push(e);
        continue;
      }
      const left = e.value.entries.filter((x) => x.key !== drop || (e.key === 'Parameters' && !isBootstrapParameter(x.value)));
      if (left.length) entries.push({ ...e, value: { ...e.value, entries: left } });
    } else {
      entries.push(e);
    }
  }
  return { root: { ...root, entries }, publishedVersions: t.publishedVersions };
}

/** CDK's bootstrap check: an SSM-typed BootstrapVersion parameter (its rule can't be evaluated here and needs no account). */
function isBootstrapped(root: MapNode): boolean {
  const parameters = get(root, 'Parameters');
  const p = parameters?.kind === 'map' ? get(parameters, BOOTSTRAP_PARAMETER) : undefined;
  return p !== undefined && isBootstrapParameter(p);
}

function isBootstrapParameter(node: TNode): boolean {
  const type = node.kind === 'map' ? get(node, 'Type') : undefined;
  return type?.kind === 'scalar' && typeof type.value === 'string' && type.value.startsWith('AWS::SSM::Parameter::Value');
}

/** `Ref X`, `Fn::GetAtt X.attr` and `${X}` / `${X.attr}` in Fn::Sub, for each folded X, as SAM's equivalent. */
export function rewriteReferences(node: TNode, rewrites: Map<string, Rewrite>): TNode {
  if (node.kind === 'scalar') return node;
  if (node.kind === 'seq') return { ...node, items: node.items.map((i) => rewriteReferences(i, rewrites)) };
  const target = referenced(node);
  const rule = target && rewrites.get(target.id);
  if (target && rule) {
    const replacement = target.attribute === undefined ? rule.ref : rule.attributes?.[target.attribute];
    if (replacement) return relocate(replacement, node);
  }
  if (node.entries.length === 1 && node.entries[0].key === 'Fn::Sub') {
    const sub = substitution(node, rewrites);
    if (sub) return sub;
  }
  return { ...node, entries: node.entries.map((e) => ({ ...e, value: rewriteReferences(e.value, rewrites) })) };
}

/** A replacement placed where the reference was (so messages point at the template's line). */
function relocate(replacement: TNode, at: TNode): TNode {
  if (replacement.kind === 'scalar') return { ...replacement, loc: at.loc, path: at.path };
  if (replacement.kind === 'seq') return { ...replacement, loc: at.loc, path: at.path, items: replacement.items.map((i, n) => relocate(i, { ...at, path: childPath(at.path, n) })) };
  return { ...replacement, loc: at.loc, path: at.path, entries: replacement.entries.map((e) => ({ ...e, keyLoc: at.loc, value: relocate(e.value, { ...at, path: childPath(at.path, e.key) }) })) };
}

/** Fn::Sub naming a folded resource: its `${X…}` become variables bound to the rewritten references. */
function substitution(node: MapNode, rewrites: Map<string, Rewrite>): TNode | undefined {
  const arg = node.entries[0].value;
  const template = arg.kind === 'seq' ? arg.items[0] : arg;
  if (template?.kind !== 'scalar' || typeof template.value !== 'string') return undefined;
  const variables: MapEntry[] = arg.kind === 'seq' && arg.items[1]?.kind === 'map' ? arg.items[1].entries.map((e) => ({ ...e, value: rewriteReferences(e.value, rewrites) })) : [];
  let changed = false;
  for (const [, inner] of template.value.matchAll(/\$\{([^}!][^}]*)\}/g)) {
    const name = inner.trim();
    const dot = name.indexOf('.');
    const id = dot < 0 ? name : name.slice(0, dot);
    const rule = rewrites.get(id);
    const replacement = rule && (dot < 0 ? rule.ref : rule.attributes?.[name.slice(dot + 1)]);
    if (!replacement || variables.some((v) => v.key === name)) continue;
    variables.push({ key: name, keyLoc: template.loc, value: relocate(replacement, template) });
    changed = true;
  }
  if (!changed) return undefined;
  const vars: MapNode = { kind: 'map', entries: variables, loc: template.loc, path: childPath(node.path, 'Fn::Sub') };
  return { ...node, entries: [{ ...node.entries[0], value: { kind: 'seq', items: [template, vars], loc: arg.loc, path: arg.path } }] };
}

/** DependsOn on a folded resource waits for the resource it was folded into (or nothing, when that is the resource itself). */
function rewriteDependsOn(resource: TNode, id: string, rewrites: Map<string, Rewrite>): TNode {
  const dependsOn = resource.kind === 'map' ? resource.entries.find((e) => e.key === 'DependsOn') : undefined;
  if (!dependsOn || resource.kind !== 'map') return resource;
  const items = dependsOn.value.kind === 'seq' ? dependsOn.value.items : [dependsOn.value];
  const names = new Set<string>();
  const kept: TNode[] = [];
  for (const item of items) {
    const name = item.kind === 'scalar' && typeof item.value === 'string' ? item.value : undefined;
    const to = name !== undefined && rewrites.has(name) ? rewrites.get(name)!.dependsOn : name;
    if (name === undefined) kept.push(item);
    else if (to && to !== id && !names.has(to)) {
      names.add(to);
      kept.push({ ...item, value: to } as TNode);
    }
  }
  const entries = resource.entries.filter((e) => e !== dependsOn);
  if (kept.length) entries.push({ ...dependsOn, value: { kind: 'seq', items: kept, loc: dependsOn.value.loc, path: dependsOn.value.path } });
  return { ...resource, entries };
}
