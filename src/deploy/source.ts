// Reads a YAML (or JSON) template into a tree of located nodes. CloudFormation's short-form tags
// (!Ref, !Sub, !GetAtt, !If, …) become their long form ({"Fn::Sub": …}) at the node that carried
// the tag, so everything downstream sees one representation and can still point at a line.
import { LineCounter, parseDocument, isAlias, isMap, isPair, isScalar, isSeq, type Node as YamlNode } from 'yaml';
import { Issues, TemplateError, type Location } from './issues.js';

interface NodeBase {
  loc: Location;
  /** Template path, e.g. `Resources.Fn.Properties.Events.Get.Properties.Path`. */
  path: string;
}

export interface ScalarNode extends NodeBase {
  kind: 'scalar';
  value: string | number | boolean | null;
}

export interface MapEntry {
  key: string;
  keyLoc: Location;
  value: TNode;
}

export interface MapNode extends NodeBase {
  kind: 'map';
  entries: MapEntry[];
}

export interface SeqNode extends NodeBase {
  kind: 'seq';
  items: TNode[];
}

export type TNode = ScalarNode | MapNode | SeqNode;

/** Short-form tag → long-form key. */
const SHORT_FORMS: Record<string, string> = {
  '!Ref': 'Ref',
  '!Condition': 'Condition',
  '!Sub': 'Fn::Sub',
  '!GetAtt': 'Fn::GetAtt',
  '!Join': 'Fn::Join',
  '!Select': 'Fn::Select',
  '!Split': 'Fn::Split',
  '!If': 'Fn::If',
  '!Equals': 'Fn::Equals',
  '!Not': 'Fn::Not',
  '!And': 'Fn::And',
  '!Or': 'Fn::Or',
  '!FindInMap': 'Fn::FindInMap',
  '!Base64': 'Fn::Base64',
  '!ImportValue': 'Fn::ImportValue',
  '!GetAZs': 'Fn::GetAZs',
  '!Cidr': 'Fn::Cidr',
  '!Transform': 'Fn::Transform',
  '!Length': 'Fn::Length',
  '!ToJsonString': 'Fn::ToJsonString',
  '!ForEach': 'Fn::ForEach',
};

export function childPath(parent: string, key: string | number): string {
  if (typeof key === 'number') return `${parent}[${key}]`;
  return parent ? `${parent}.${key}` : key;
}

/** Parses template text; syntax problems come back as located issues (never thrown). */
export function parseTemplateText(text: string, file: string, issues: Issues): TNode | undefined {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, uniqueKeys: true, prettyErrors: false, strict: true });
  const locAt = (offset: number | undefined): Location => {
    const pos = lineCounter.linePos(offset ?? 0);
    return { file, line: pos.line, column: pos.col };
  };
  // A JSON template is parsed as the YAML it also is; its first error is the one to fix (the
  // rest follow from it), and the user wrote JSON, so that is what the message calls it.
  const json = /\.json$/i.test(file);
  for (const e of json ? doc.errors.slice(0, 1) : doc.errors) {
    issues.error(`malformed ${json ? 'JSON' : 'YAML'}: ${firstLine(e.message)}`, undefined, locAt(e.pos?.[0]));
  }
  for (const w of doc.warnings) {
    if (w.code === 'TAG_RESOLVE_FAILED') continue; // CloudFormation tags are handled below
    issues.warn(`YAML: ${firstLine(w.message)}`, undefined, locAt(w.pos?.[0]));
  }
  if (doc.errors.length) return undefined;
  if (!doc.contents) {
    issues.error('the template is empty', undefined, locAt(0));
    return undefined;
  }

  const convert = (node: unknown, path: string): TNode => {
    if (isAlias(node)) {
      const target = node.resolve(doc);
      if (!target) throw new TemplateError(`YAML alias *${node.source} names no anchor`, path, locAt(node.range?.[0]));
      return convert(target, path);
    }
    const yamlNode = node as YamlNode;
    const loc = locAt(yamlNode.range?.[0]);
    let result: TNode;
    if (isMap(node)) {
      const entries: MapEntry[] = [];
      for (const pair of node.items) {
        if (!isPair(pair)) continue;
        const keyNode = pair.key as YamlNode | null;
        const keyLoc = locAt(keyNode?.range?.[0] ?? yamlNode.range?.[0]);
        if (!isScalar(keyNode) || (typeof keyNode.value !== 'string' && typeof keyNode.value !== 'number' && typeof keyNode.value !== 'boolean')) {
          throw new TemplateError('map keys must be plain strings', path, keyLoc);
        }
        const key = String(keyNode.value);
        const valuePath = childPath(path, key);
        const value = pair.value === null || pair.value === undefined
          ? { kind: 'scalar' as const, value: null, loc: keyLoc, path: valuePath }
          : convert(pair.value, valuePath);
        entries.push({ key, keyLoc, value });
      }
      result = { kind: 'map', entries, loc, path };
    } else if (isSeq(node)) {
      result = { kind: 'seq', items: node.items.map((item, i) => (item === null ? { kind: 'scalar', value: null, loc, path: childPath(path, i) } : convert(item, childPath(path, i)))), loc, path };
    } else if (isScalar(node)) {
      const v = node.value;
      if (v !== null && typeof v !== 'string' && typeof v !== 'number' && typeof v !== 'boolean') {
        throw new TemplateError(`unsupported YAML value of type ${typeof v}`, path, loc);
      }
      result = { kind: 'scalar', value: v, loc, path };
    } else {
      throw new TemplateError('unsupported YAML node', path, loc);
    }
    const tag = yamlNode.tag;
    if (tag && !tag.startsWith('tag:yaml.org,2002:')) {
      const long = SHORT_FORMS[tag];
      if (!long) throw new TemplateError(`unknown YAML tag ${tag}: CloudFormation tags are ${Object.keys(SHORT_FORMS).slice(0, 14).join(', ')}`, path, loc);
      if (tag === '!GetAtt' && result.kind === 'scalar' && typeof result.value === 'string') {
        // !GetAtt Resource.Attribute (the attribute may itself contain dots)
        const dot = result.value.indexOf('.');
        const parts = dot < 0 ? [result.value] : [result.value.slice(0, dot), result.value.slice(dot + 1)];
        result = { kind: 'seq', items: parts.map((p, i) => ({ kind: 'scalar' as const, value: p, loc, path: childPath(childPath(path, long), i) })), loc, path: childPath(path, long) };
      } else {
        result = reroot(result, childPath(path, long));
      }
      return { kind: 'map', entries: [{ key: long, keyLoc: loc, value: result }], loc, path };
    }
    return result;
  };

  try {
    return convert(doc.contents, '');
  } catch (e) {
    issues.add(e);
    return undefined;
  }
}

/** The same subtree with paths under a new parent path (a tag adds one level: X → X.Fn::Sub). */
function reroot(node: TNode, path: string): TNode {
  switch (node.kind) {
    case 'scalar':
      return { ...node, path };
    case 'seq':
      return { ...node, path, items: node.items.map((item, i) => reroot(item, childPath(path, i))) };
    case 'map':
      return { ...node, path, entries: node.entries.map((e) => ({ ...e, value: reroot(e.value, childPath(path, e.key)) })) };
  }
}

function firstLine(message: string): string {
  return message.split('\n')[0].replace(/ at line \d+, column \d+:?$/, '');
}

// Small accessors used by the model builders.

export function get(map: MapNode | undefined, key: string): TNode | undefined {
  return map?.entries.find((e) => e.key === key)?.value;
}

export function entry(map: MapNode | undefined, key: string): MapEntry | undefined {
  return map?.entries.find((e) => e.key === key);
}

export function isIntrinsic(node: TNode): boolean {
  return node.kind === 'map' && node.entries.length === 1 && (node.entries[0].key === 'Ref' || node.entries[0].key.startsWith('Fn::') || node.entries[0].key === 'Condition');
}

/** Plain JSON for a subtree (intrinsics stay in their long form). */
export function toPlain(node: TNode): unknown {
  switch (node.kind) {
    case 'scalar':
      return node.value;
    case 'seq':
      return node.items.map(toPlain);
    case 'map':
      return Object.fromEntries(node.entries.map((e) => [e.key, toPlain(e.value)]));
  }
}

/** Builds a synthetic node (for generated resources such as the implicit API). */
export function synthetic(value: unknown, path: string, loc: Location): TNode {
  if (Array.isArray(value)) return { kind: 'seq', items: value.map((v, i) => synthetic(v, childPath(path, i), loc)), loc, path };
  if (value !== null && typeof value === 'object') {
    return { kind: 'map', entries: Object.entries(value).map(([key, v]) => ({ key, keyLoc: loc, value: synthetic(v, childPath(path, key), loc) })), loc, path };
  }
  return { kind: 'scalar', value: value as ScalarNode['value'], loc, path };
}
