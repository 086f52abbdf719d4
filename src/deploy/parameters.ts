// Template parameters: values from --parameter-overrides (or stagecraft.yml), else Default,
// checked against Type, AllowedValues, AllowedPattern and the length/value bounds.
import { Issues, didYouMean } from './issues.js';
import { get, type TNode } from './source.js';
import type { Template } from './template.js';
import { SSM_PARAMETER_TYPES } from './spec.js';

export type ParameterValue = string | string[];

/**
 * Parses `Key=Value` words, as `sam deploy --parameter-overrides` accepts them, including
 * AWS CLI style `ParameterKey=Key,ParameterValue=Value`.
 */
export function parseParameterOverrides(args: string[]): Record<string, string> {
  const out: Record<string, string> = {};
  // "A=1 B=2" in one argument is two values; "Greeting=Hi there" is one (split only before Key=).
  const words = args.flatMap((a) => a.trim().split(/\s+(?=[A-Za-z0-9]+=)/)).filter(Boolean);
  for (const raw of words) {
    const word = raw.replace(/^([A-Za-z0-9]+)=(["'])(.*)\2$/s, '$1=$3');
    const cli = /^ParameterKey=([^,]+),ParameterValue=(.*)$/.exec(word);
    if (cli) {
      out[cli[1]] = cli[2];
      continue;
    }
    const eq = word.indexOf('=');
    if (eq <= 0) throw new Error(`parameter override '${word}' is not Key=Value`);
    out[word.slice(0, eq)] = word.slice(eq + 1);
  }
  return out;
}

function scalarText(node: TNode | undefined): string | undefined {
  if (!node) return undefined;
  if (node.kind === 'scalar' && node.value !== null) return String(node.value);
  if (node.kind === 'seq') return node.items.map((i) => (i.kind === 'scalar' ? String(i.value) : '')).join(',');
  return undefined;
}

function numberAttr(node: TNode | undefined): number | undefined {
  const text = scalarText(node);
  return text === undefined ? undefined : Number(text);
}

export interface ResolvedParameters {
  values: Map<string, ParameterValue>;
  /** Names whose values must not be printed (NoEcho). */
  secret: Set<string>;
}

/** `ssmValues`: the values Parameter Store gave the SSM-typed parameters (dynamic-references.ts); without them such a parameter stands for its name. */
export function resolveParameters(template: Template, overrides: Record<string, string>, issues: Issues, overrideSource = '--parameter-overrides',
  ssmValues?: ReadonlyMap<string, string>): ResolvedParameters {
  const values = new Map<string, ParameterValue>();
  const secret = new Set<string>();
  const names = template.parameters.map((p) => p.name);
  for (const key of Object.keys(overrides)) {
    if (!names.includes(key)) issues.error(`${overrideSource} sets '${key}', which is not a parameter of ${template.file}${didYouMean(key, names)}`);
  }
  for (const p of template.parameters) {
    const given = overrides[p.name];
    const fallback = scalarText(get(p.node, 'Default'));
    const named = given ?? fallback;
    // An SSM-typed parameter names a Parameter Store parameter: its checks and value are the stored value's.
    const ssm = SSM_PARAMETER_TYPES.includes(p.type);
    const raw = ssm && named !== undefined ? ssmValues?.get(p.name) ?? named : named;
    const where = given !== undefined ? `the value ${overrideSource} gives` : 'the Default';
    if (raw === undefined) {
      issues.error(`parameter ${p.name} has no Default and no value: pass --parameter-overrides ${p.name}=VALUE`, p.path, p.loc);
      continue;
    }
    if (scalarText(get(p.node, 'NoEcho')) === 'true') secret.add(p.name);
    const constraint = scalarText(get(p.node, 'ConstraintDescription'));
    const bad = (why: string) => issues.error(`parameter ${p.name}: ${where} ${secret.has(p.name) ? '' : `'${raw}' `}${why}${constraint ? ` (${constraint})` : ''}`, p.path, p.loc);

    const single = p.type === 'String' || p.type === 'Number' || p.type === SSM_PARAMETER_TYPES[0];
    const items = single ? [raw] : raw.split(',').map((s) => s.trim());
    if (p.type === 'Number' || p.type === 'List<Number>') {
      if (items.some((i) => i === '' || !Number.isFinite(Number(i)))) {
        bad('is not a number');
        continue;
      }
      const min = numberAttr(get(p.node, 'MinValue'));
      const max = numberAttr(get(p.node, 'MaxValue'));
      if (min !== undefined && items.some((i) => Number(i) < min)) bad(`is below MinValue ${min}`);
      if (max !== undefined && items.some((i) => Number(i) > max)) bad(`is above MaxValue ${max}`);
    } else {
      const minLength = numberAttr(get(p.node, 'MinLength'));
      const maxLength = numberAttr(get(p.node, 'MaxLength'));
      const pattern = scalarText(get(p.node, 'AllowedPattern'));
      if (minLength !== undefined && raw.length < minLength) bad(`is shorter than MinLength ${minLength}`);
      if (maxLength !== undefined && raw.length > maxLength) bad(`is longer than MaxLength ${maxLength}`);
      if (pattern !== undefined) {
        let re: RegExp | undefined;
        try {
          re = new RegExp(`^(?:${pattern})$`);
        } catch {
          issues.error(`parameter ${p.name}: AllowedPattern is not a valid regular expression`, `${p.path}.AllowedPattern`, p.loc);
        }
        if (re && items.some((i) => !re!.test(i))) bad(`does not match AllowedPattern ${pattern}`);
      }
    }
    const allowed = get(p.node, 'AllowedValues');
    if (allowed) {
      const list = allowed.kind === 'seq' ? allowed.items.map((i) => scalarText(i) ?? '') : [];
      if (items.some((i) => !list.includes(i))) bad(`is not one of the AllowedValues: ${list.join(', ')}`);
    }
    values.set(p.name, single ? raw : items);
  }
  return { values, secret };
}
