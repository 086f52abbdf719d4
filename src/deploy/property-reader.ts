// Reading one resource's properties for a spec (function-spec.ts, layer-spec.ts): each value
// evaluated in the deploy's scope, and errors located at the property (or the resource, if unset).
import { TemplateError, type Location } from './issues.js';
import { evaluate, NO_VALUE, type Scope, type Value } from './intrinsics.js';
import { childPath, entry, get } from './source.js';
import type { ActiveResource } from './stack-model.js';

export interface PropertyReader {
  /** Where a property is: its value's path and location, or the resource's when it is not set. */
  where(key: string): { path: string; loc: Location };
  /** Throws a TemplateError located at the property. */
  fail(key: string, message: string): never;
  /** The property's value; undefined when unset, null or AWS::NoValue. */
  value(key: string): Value | undefined;
  /** A string (numbers are taken as their text) or undefined; anything else is an error. */
  str(key: string): string | undefined;
}

export function propertyReader(r: ActiveResource, scope: Scope): PropertyReader {
  const p = r.properties;
  const where = (key: string): { path: string; loc: Location } => {
    const e = entry(p, key);
    return e ? { path: e.value.path, loc: e.value.loc } : { path: childPath(`${r.def.path}.Properties`, key), loc: r.def.loc };
  };
  const fail = (key: string, message: string): never => {
    const w = where(key);
    throw new TemplateError(message, w.path, w.loc);
  };
  const value = (key: string): Value | undefined => {
    const node = get(p, key);
    if (!node) return undefined;
    const v = evaluate(node, scope);
    return v === NO_VALUE || v === null ? undefined : v;
  };
  const str = (key: string): string | undefined => {
    const v = value(key);
    if (v === undefined) return undefined;
    if (typeof v === 'string' || typeof v === 'number') return String(v);
    return fail(key, `${key} must be a string`);
  };
  return { where, fail, value, str };
}
