// CloudFormation intrinsic functions over located nodes: Ref, Fn::Sub, Fn::GetAtt, Fn::Join,
// Fn::Select, Fn::Split, Fn::If, Fn::Equals, Fn::Not, Fn::And, Fn::Or, Fn::FindInMap, Fn::Base64,
// Fn::ImportValue (from the Scope: other stacks' exports).
// Resource attributes come from a Scope, so the same template evaluates against placeholders
// while validating and against real IDs and ARNs while deploying.
import { TemplateError, didYouMean } from './issues.js';
import { childPath, type MapNode, type TNode } from './source.js';

export type Value = string | number | boolean | null | Value[] | { [key: string]: Value };

/** AWS::NoValue: the property or list item disappears. */
export const NO_VALUE: unique symbol = Symbol('AWS::NoValue');
export type Evaluated = Value | typeof NO_VALUE;

export interface Scope {
  /** A template parameter's value, or a pseudo parameter's; undefined if the name is neither. */
  parameter(name: string): string | string[] | undefined;
  /** Whether `name` is a resource (or a SAM-generated reference such as `Fn.Alias`). */
  hasResource(name: string): boolean;
  /** Ref of a resource (function name, REST API ID, alias ARN…). */
  resourceRef(name: string, node: TNode): string;
  /** Fn::GetAtt of a resource. */
  resourceAttribute(name: string, attribute: string, node: TNode): Value;
  condition(name: string, node: TNode): boolean;
  /** Fn::ImportValue: the value another stack exports under `name`; absent where cross-stack references can't be resolved. */
  importValue?(name: string, node: TNode): string;
  mappings?: MapNode;
  /** A string with its `{{resolve:…}}` dynamic references replaced (values fetched before the deploy: dynamic-references.ts). */
  dynamic?(text: string, node: TNode): string;
  /** Every name a Ref may use (for suggestions). */
  knownNames(): string[];
}

const SUPPORTED = ['Ref', 'Fn::Sub', 'Fn::GetAtt', 'Fn::Join', 'Fn::Select', 'Fn::Split', 'Fn::If', 'Fn::Equals', 'Fn::Not', 'Fn::And', 'Fn::Or', 'Fn::FindInMap', 'Fn::Base64', 'Fn::ImportValue', 'Condition'];

export function intrinsicName(node: TNode): string | undefined {
  if (node.kind !== 'map' || node.entries.length !== 1) return undefined;
  const key = node.entries[0].key;
  return key === 'Ref' || key === 'Condition' || key.startsWith('Fn::') ? key : undefined;
}

export function evaluate(node: TNode, scope: Scope): Evaluated {
  switch (node.kind) {
    case 'scalar':
      return typeof node.value === 'string' && scope.dynamic ? scope.dynamic(node.value, node) : node.value;
    case 'seq': {
      const out: Value[] = [];
      for (const item of node.items) {
        const v = evaluate(item, scope);
        if (v !== NO_VALUE) out.push(v);
      }
      return out;
    }
    case 'map': {
      const fn = intrinsicName(node);
      if (fn && fn !== 'Condition') return evaluateFunction(fn, node.entries[0].value, node, scope);
      const out: { [key: string]: Value } = {};
      for (const e of node.entries) {
        const v = evaluate(e.value, scope);
        if (v !== NO_VALUE) out[e.key] = v;
      }
      return out;
    }
  }
}

/** Evaluates where a plain value is required (NoValue is an error). */
export function evaluateValue(node: TNode, scope: Scope): Value {
  const v = evaluate(node, scope);
  if (v === NO_VALUE) throw new TemplateError('AWS::NoValue is not allowed here', node.path, node.loc);
  return v;
}

function fail(message: string, node: TNode): never {
  throw new TemplateError(message, node.path, node.loc);
}

function args(arg: TNode, fn: string, count: number | [number, number], at: TNode): TNode[] {
  const [min, max] = typeof count === 'number' ? [count, count] : count;
  if (arg.kind !== 'seq' || arg.items.length < min || arg.items.length > max) {
    fail(`${fn} takes a list of ${min === max ? min : `${min} to ${max}`} arguments`, at);
  }
  return arg.items;
}

function asString(v: Evaluated, node: TNode, what: string): string {
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  return fail(`${what} must be a string, got ${describe(v)}`, node);
}

function describe(v: Evaluated): string {
  if (v === NO_VALUE) return 'AWS::NoValue';
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'a list';
  return typeof v === 'object' ? 'a map' : `${typeof v} ${JSON.stringify(v)}`;
}

function evaluateFunction(fn: string, arg: TNode, at: TNode, scope: Scope): Evaluated {
  const path = childPath(at.path, fn);
  switch (fn) {
    case 'Ref': {
      if (arg.kind !== 'scalar' || typeof arg.value !== 'string') fail('Ref takes the name of a parameter or resource', at);
      return ref(arg.value as string, at, scope);
    }
    case 'Fn::GetAtt': {
      let resource: string;
      let attribute: string;
      if (arg.kind === 'scalar' && typeof arg.value === 'string' && arg.value.includes('.')) {
        [resource, attribute] = [arg.value.slice(0, arg.value.indexOf('.')), arg.value.slice(arg.value.indexOf('.') + 1)];
      } else {
        const [r, a] = args(arg, 'Fn::GetAtt', 2, at);
        resource = asString(evaluate(r, scope), r, 'the Fn::GetAtt resource');
        attribute = asString(evaluate(a, scope), a, 'the Fn::GetAtt attribute');
      }
      if (!scope.hasResource(resource)) fail(`Fn::GetAtt names '${resource}', which is not a resource in this template${didYouMean(resource, scope.knownNames())}`, at);
      return scope.resourceAttribute(resource, attribute, at);
    }
    case 'Fn::Sub': {
      const text = sub(arg, at, scope);
      return typeof text === 'string' && scope.dynamic ? scope.dynamic(text, at) : text;
    }
    case 'Fn::Join': {
      const [delimiter, list] = args(arg, 'Fn::Join', 2, at);
      const d = asString(evaluate(delimiter, scope), delimiter, 'the Fn::Join delimiter');
      const items = evaluate(list, scope);
      if (!Array.isArray(items)) fail('Fn::Join joins a list', list);
      const joined = (items as Value[]).map((v) => asString(v, list, 'every Fn::Join item')).join(d);
      return scope.dynamic ? scope.dynamic(joined, at) : joined;
    }
    case 'Fn::Select': {
      const [index, list] = args(arg, 'Fn::Select', 2, at);
      const i = Number(evaluate(index, scope));
      const items = evaluate(list, scope);
      if (!Array.isArray(items)) fail('Fn::Select picks from a list', list);
      const arr = items as Value[];
      if (!Number.isInteger(i) || i < 0 || i >= arr.length) fail(`Fn::Select index ${String(i)} is outside the list (length ${arr.length})`, index);
      return arr[i];
    }
    case 'Fn::Split': {
      const [delimiter, source] = args(arg, 'Fn::Split', 2, at);
      const d = asString(evaluate(delimiter, scope), delimiter, 'the Fn::Split delimiter');
      return asString(evaluate(source, scope), source, 'the Fn::Split source').split(d);
    }
    case 'Fn::Base64': {
      return Buffer.from(asString(evaluate(arg, scope), arg, 'the Fn::Base64 argument')).toString('base64');
    }
    case 'Fn::FindInMap': {
      const [m, k1, k2] = args(arg, 'Fn::FindInMap', 3, at);
      const mapName = asString(evaluate(m, scope), m, 'the map name');
      const top = asString(evaluate(k1, scope), k1, 'the top-level key');
      const second = asString(evaluate(k2, scope), k2, 'the second-level key');
      const map = scope.mappings?.entries.find((e) => e.key === mapName)?.value;
      if (!map || map.kind !== 'map') fail(`mapping '${mapName}' is not defined in Mappings${didYouMean(mapName, scope.mappings?.entries.map((e) => e.key) ?? [])}`, m);
      const level1 = (map as MapNode).entries.find((e) => e.key === top)?.value;
      if (!level1 || level1.kind !== 'map') fail(`mapping ${mapName} has no key '${top}'`, k1);
      const value = (level1 as MapNode).entries.find((e) => e.key === second)?.value;
      if (!value) fail(`mapping ${mapName}.${top} has no key '${second}'`, k2);
      return evaluate(value as TNode, scope);
    }
    case 'Fn::ImportValue': {
      // CloudFormation: the name may be built (Fn::Sub, Fn::Join, parameters), not from a resource's Ref or GetAtt.
      const name = asString(evaluate(arg, scope), arg, 'the Fn::ImportValue export name');
      if (!scope.importValue) return fail('Fn::ImportValue is not supported here', at);
      return scope.importValue(name, at);
    }
    case 'Fn::If': {
      const [cond, whenTrue, whenFalse] = args(arg, 'Fn::If', 3, at);
      if (cond.kind !== 'scalar' || typeof cond.value !== 'string') fail('Fn::If starts with the name of a condition', cond);
      return scope.condition(cond.value as string, cond) ? evaluate(whenTrue, scope) : evaluate(whenFalse, scope);
    }
    case 'Fn::Equals': {
      const [a, b] = args(arg, 'Fn::Equals', 2, at);
      return JSON.stringify(normalise(evaluate(a, scope))) === JSON.stringify(normalise(evaluate(b, scope)));
    }
    case 'Fn::Not': {
      const [c] = args(arg, 'Fn::Not', 1, at);
      return !conditionValue(c, scope);
    }
    case 'Fn::And':
    case 'Fn::Or': {
      const items = args(arg, fn, [2, 10], at);
      const values = items.map((c) => conditionValue(c, scope));
      return fn === 'Fn::And' ? values.every(Boolean) : values.some(Boolean);
    }
    default:
      return fail(`${fn} is not supported by stagecraft deploy${didYouMean(fn, SUPPORTED)}; supported functions: ${SUPPORTED.join(', ')}`, { ...at, path });
  }
}

function normalise(v: Evaluated): Evaluated {
  return typeof v === 'number' || typeof v === 'boolean' ? String(v) : v;
}

/** A condition operand: {Condition: Name}, or a condition function. */
export function conditionValue(node: TNode, scope: Scope): boolean {
  if (intrinsicName(node) === 'Condition') {
    const name = (node as MapNode).entries[0].value;
    if (name.kind !== 'scalar' || typeof name.value !== 'string') fail('Condition takes the name of a condition', node);
    return scope.condition(name.value as string, node);
  }
  const v = evaluate(node, scope);
  if (typeof v !== 'boolean') fail(`expected a condition (Fn::Equals, Fn::Not, Fn::And, Fn::Or or Condition), got ${describe(v)}`, node);
  return v as boolean;
}

function ref(name: string, at: TNode, scope: Scope): Evaluated {
  if (name === 'AWS::NoValue') return NO_VALUE;
  const p = scope.parameter(name);
  if (p !== undefined) return p;
  if (scope.hasResource(name)) return scope.resourceRef(name, at);
  return fail(`Ref names '${name}', which is neither a parameter nor a resource${didYouMean(name, scope.knownNames())}`, at);
}

/** Fn::Sub, string form or [string, {variables}]. `${!Literal}` stays `${Literal}`. */
function sub(arg: TNode, at: TNode, scope: Scope): string {
  let template: TNode;
  const locals = new Map<string, TNode>();
  if (arg.kind === 'seq') {
    const [t, vars] = args(arg, 'Fn::Sub', 2, at);
    template = t;
    if (vars.kind !== 'map') fail('the second Fn::Sub argument is a map of variables', vars);
    for (const e of (vars as MapNode).entries) locals.set(e.key, e.value);
  } else {
    template = arg;
  }
  if (template.kind !== 'scalar' || typeof template.value !== 'string') fail('Fn::Sub takes a string', template);
  const text = template.value as string;
  return text.replace(/\$\{([^}]*)\}/g, (whole, inner: string) => {
    if (inner.startsWith('!')) return `\${${inner.slice(1)}}`;
    const name = inner.trim();
    const local = locals.get(name);
    if (local) return asString(evaluate(local, scope), local, `Fn::Sub variable ${name}`);
    if (name === 'AWS::NoValue') fail('AWS::NoValue cannot be used inside Fn::Sub', template);
    const p = scope.parameter(name);
    if (p !== undefined) {
      if (Array.isArray(p)) fail(`\${${name}} is a list parameter; use Fn::Join to make it a string`, template);
      return p as string;
    }
    if (scope.hasResource(name)) return scope.resourceRef(name, template);
    const dot = name.indexOf('.');
    if (dot > 0 && scope.hasResource(name.slice(0, dot))) {
      return asString(scope.resourceAttribute(name.slice(0, dot), name.slice(dot + 1), template), template, `\${${name}}`);
    }
    return fail(`${whole} in Fn::Sub names nothing: no parameter, resource or variable called '${name}'${didYouMean(name, [...scope.knownNames(), ...locals.keys()])}`, template);
  });
}

/** Resources a subtree refers to (Ref, Fn::GetAtt, ${…} in Fn::Sub), for ordering the deploy. */
export function referencedNames(node: TNode, out = new Set<string>()): Set<string> {
  if (node.kind === 'seq') for (const i of node.items) referencedNames(i, out);
  if (node.kind !== 'map') return out;
  const fn = intrinsicName(node);
  const arg = node.entries[0]?.value;
  if (fn === 'Ref' && arg?.kind === 'scalar' && typeof arg.value === 'string') {
    out.add(arg.value.split('.')[0]);
    return out;
  }
  if (fn === 'Fn::GetAtt') {
    if (arg.kind === 'seq' && arg.items[0]?.kind === 'scalar') out.add(String(arg.items[0].value));
    else if (arg.kind === 'scalar') out.add(String(arg.value).split('.')[0]);
    return out;
  }
  if (fn === 'Fn::Sub') {
    const t = arg.kind === 'seq' ? arg.items[0] : arg;
    const locals = arg.kind === 'seq' && arg.items[1]?.kind === 'map' ? new Set(arg.items[1].entries.map((e) => e.key)) : new Set<string>();
    if (t?.kind === 'scalar' && typeof t.value === 'string') {
      for (const m of t.value.matchAll(/\$\{([^}!][^}]*)\}/g)) {
        const name = m[1].trim();
        if (!locals.has(name)) out.add(name.split('.')[0]);
      }
    }
    if (arg.kind === 'seq' && arg.items[1]) referencedNames(arg.items[1], out);
    return out;
  }
  for (const e of node.entries) referencedNames(e.value, out);
  return out;
}
