// What differs between two versions of a function, as GetFunctionConfiguration answers them (the
// wire's field names, so the web console can use the same module on its own JSON). Environment
// variables are compared by value but reported by name only: their values are often secrets.
// No I/O, and only canonical-json.js imported: the compiled module is also served to the console.
import { canonicalJson } from './canonical-json.js';

/** A GetFunctionConfiguration answer (SDK output or the wire's JSON). */
export type FunctionConfigurationLike = Record<string, unknown>;

export interface FieldChange {
  field: string;
  before: unknown;
  after: unknown;
}

export interface EnvironmentNameChanges {
  added: string[];
  removed: string[];
  /** Names present in both whose value differs. */
  changed: string[];
}

export interface FunctionConfigurationDiff {
  /** The fields that differ, the ones users look at first (code, runtime, handler, …) in front. */
  changes: FieldChange[];
  environment: EnvironmentNameChanges;
}

/** Shown first, in this order; every other differing field follows alphabetically. */
const MAIN_FIELDS = ['CodeSha256', 'CodeSize', 'Runtime', 'Handler', 'MemorySize', 'Timeout', 'Architectures', 'Layers'];

/** Identity, bookkeeping and state: they differ between any two versions and say nothing about what runs. */
const IGNORED = new Set([
  'FunctionName', 'FunctionArn', 'Version', 'LastModified', 'RevisionId', 'MasterArn', 'State', 'StateReason', 'StateReasonCode',
  'LastUpdateStatus', 'LastUpdateStatusReason', 'LastUpdateStatusReasonCode', 'Environment', '$metadata',
]);

/** Layers compare by ARN (with version); their sizes follow from that. */
function normalise(field: string, value: unknown): unknown {
  if (field === 'Layers' && Array.isArray(value)) return value.map((l) => (l && typeof l === 'object' ? (l as { Arn?: string }).Arn : l));
  return value;
}

function variablesOf(config: FunctionConfigurationLike): Record<string, string> {
  const env = config.Environment as { Variables?: Record<string, string> } | undefined;
  return env?.Variables ?? {};
}

export function diffEnvironmentNames(before: Record<string, string>, after: Record<string, string>): EnvironmentNameChanges {
  const sorted = (names: string[]) => names.sort((a, b) => a.localeCompare(b));
  return {
    added: sorted(Object.keys(after).filter((k) => !(k in before))),
    removed: sorted(Object.keys(before).filter((k) => !(k in after))),
    changed: sorted(Object.keys(after).filter((k) => k in before && before[k] !== after[k])),
  };
}

/** The differences from configuration `before` (what the alias runs now) to `after` (what it would run). */
export function diffFunctionConfigurations(before: FunctionConfigurationLike, after: FunctionConfigurationLike): FunctionConfigurationDiff {
  const others = [...new Set([...Object.keys(before), ...Object.keys(after)])]
    .filter((k) => !IGNORED.has(k) && !MAIN_FIELDS.includes(k))
    .sort((a, b) => a.localeCompare(b));
  const changes: FieldChange[] = [];
  for (const field of [...MAIN_FIELDS, ...others]) {
    const b = normalise(field, before[field]);
    const a = normalise(field, after[field]);
    if (canonicalJson(b) !== canonicalJson(a)) changes.push({ field, before: b ?? null, after: a ?? null });
  }
  return { changes, environment: diffEnvironmentNames(variablesOf(before), variablesOf(after)) };
}

/** True when nothing differs at all. */
export function isEmptyConfigurationDiff(diff: FunctionConfigurationDiff): boolean {
  const e = diff.environment;
  return !diff.changes.length && !e.added.length && !e.removed.length && !e.changed.length;
}
