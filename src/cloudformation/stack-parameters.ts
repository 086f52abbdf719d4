// The parameter values of a stack operation, as CloudFormation settles them: values given, the
// previous value where UsePreviousValue is true, the template's Default otherwise; a parameter the
// template doesn't declare, or one left without a value, is refused before anything runs.
import { awsError } from '../core/errors.js';
import type { KeyValue } from '../store/cloudformation-stacks-store.js';
import type { TemplateDocument } from './template-document.js';

export interface GivenParameter {
  ParameterKey?: string;
  ParameterValue?: string;
  UsePreviousValue?: boolean;
}

export interface SettledParameters {
  /** Every declared parameter's value (what DescribeStacks shows). */
  all: KeyValue[];
  /** The values not from a Default: what the deploy engine is told (it applies the defaults itself). */
  overrides: Record<string, string>;
}

export function settleParameters(doc: TemplateDocument, given: readonly GivenParameter[] | undefined, previous: readonly KeyValue[] | undefined): SettledParameters {
  const unknown = (given ?? []).map((p) => p.ParameterKey ?? '').filter((k) => !doc.parameters.has(k));
  if (unknown.length) throw awsError('ValidationError', `Parameters: [${unknown.join(', ')}] do not exist in the template`);
  const all: KeyValue[] = [];
  const overrides: Record<string, string> = {};
  const missing: string[] = [];
  for (const [key, declaration] of doc.parameters) {
    const p = given?.find((g) => g.ParameterKey === key);
    let value: string | undefined;
    if (p?.UsePreviousValue) {
      value = previous?.find((v) => v.key === key)?.value;
      if (value === undefined) throw awsError('ValidationError', `Invalid input for parameter key ${key}. Cannot specify usePreviousValue as true for a parameter key not in the previous template`);
    } else if (p?.ParameterValue !== undefined) {
      value = p.ParameterValue;
    }
    if (value !== undefined) {
      overrides[key] = value;
      all.push({ key, value });
    } else if (declaration.Default !== undefined) {
      const d = declaration.Default;
      all.push({ key, value: Array.isArray(d) ? d.join(',') : String(d) });
    } else {
      missing.push(key);
    }
  }
  if (missing.length) throw awsError('ValidationError', `Parameters: [${missing.join(', ')}] must have values`);
  return { all, overrides };
}

/** DescribeStacks' Parameters: NoEcho values masked. */
export function shownParameters(doc: TemplateDocument | undefined, values: readonly KeyValue[]): { ParameterKey: string; ParameterValue: string }[] {
  return values.map((v) => ({ ParameterKey: v.key, ParameterValue: String(doc?.parameters.get(v.key)?.NoEcho) === 'true' ? '****' : v.value }));
}
