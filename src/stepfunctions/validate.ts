// Checks a definition before it is stored, with AWS's problem codes (SCHEMA_VALIDATION_FAILED,
// MISSING_TRANSITION_TARGET, UNREACHABLE_STATE, …) and JSON pointers to where each is. Branches of
// Parallel states and Map processors are checked as machines of their own (their own state names).
import { OPERATORS } from './choice.js';
import { parsePath } from './jsonpath.js';

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

const TYPES = ['Task', 'Wait', 'Pass', 'Succeed', 'Fail', 'Choice', 'Parallel', 'Map'];
const PATH_FIELDS = ['InputPath', 'OutputPath', 'ResultPath', 'ItemsPath', 'SecondsPath', 'TimestampPath'];

/** The problems of a definition (empty when it is valid). */
export function validateDefinition(text: string): string[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (e) {
    return [`INVALID_JSON_DESCRIPTION: ${(e as Error).message}`];
  }
  const problems: string[] = [];
  validateMachine(parsed, '', problems);
  return problems;
}

function validateMachine(machine: unknown, at: string, problems: string[]): void {
  if (!isObj(machine)) {
    problems.push(`SCHEMA_VALIDATION_FAILED: Value is not an object at ${at || '/'}`);
    return;
  }
  const missing = ['StartAt', 'States'].filter((f) => machine[f] === undefined);
  if (missing.length) {
    problems.push(`SCHEMA_VALIDATION_FAILED: These fields are required: [${missing.join(', ')}] at ${at || '/'}`);
    return;
  }
  if (!isObj(machine.States)) {
    problems.push(`SCHEMA_VALIDATION_FAILED: Value is not an object at ${at}/States`);
    return;
  }
  const states = machine.States;
  const names = Object.keys(states);
  const edges = new Map<string, string[]>();
  const target = (name: unknown, where: string, from: string) => {
    if (typeof name !== 'string' || !(name in states)) problems.push(`MISSING_TRANSITION_TARGET: Missing 'Next' target: ${String(name)} at ${where}`);
    else edges.get(from)?.push(name);
  };
  for (const name of names) {
    edges.set(name, []);
    validateState(name, states[name], `${at}/States/${name}`, problems, target);
  }
  if (typeof machine.StartAt !== 'string' || !(machine.StartAt in states)) {
    problems.push(`SCHEMA_VALIDATION_FAILED: Value is not a valid state name: ${String(machine.StartAt)} at ${at}/StartAt`);
    return;
  }
  const seen = new Set<string>([machine.StartAt]);
  const queue = [machine.StartAt];
  while (queue.length) for (const n of edges.get(queue.shift()!) ?? []) if (!seen.has(n)) seen.add(n) && queue.push(n);
  for (const name of names) if (!seen.has(name)) problems.push(`UNREACHABLE_STATE: State "${name}" is not reachable. at ${at}/States/${name}`);
}

function validateState(name: string, state: unknown, at: string, problems: string[], target: (n: unknown, where: string, from: string) => void): void {
  if (!isObj(state)) {
    problems.push(`SCHEMA_VALIDATION_FAILED: Value is not an object at ${at}`);
    return;
  }
  const type = state.Type;
  if (type === undefined) {
    problems.push(`SCHEMA_VALIDATION_FAILED: These fields are required: [Type] at ${at}`);
    return;
  }
  if (typeof type !== 'string' || !TYPES.includes(type)) {
    problems.push(`SCHEMA_VALIDATION_FAILED: The field 'Type' should have one of these values: [${TYPES.join(', ')}] at ${at}/Type`);
    return;
  }
  for (const f of PATH_FIELDS) {
    const v = state[f];
    if (typeof v === 'string' && !parsePath(v)) problems.push(`SCHEMA_VALIDATION_FAILED: The value for the field '${f}' must be a valid JSONPath at ${at}/${f}`);
  }
  const required = (fields: string[]) => {
    const absent = fields.filter((f) => state[f] === undefined);
    if (absent.length) problems.push(`SCHEMA_VALIDATION_FAILED: These fields are required: [${absent.join(', ')}] at ${at}`);
  };
  const transitions = !['Choice', 'Succeed', 'Fail'].includes(type);
  if (transitions) {
    if (state.Next === undefined && state.End !== true) problems.push(`SCHEMA_VALIDATION_FAILED: These fields are required: [Next] at ${at}`);
    else if (state.Next !== undefined && state.End !== undefined) problems.push(`SCHEMA_VALIDATION_FAILED: Only one of the fields [End, Next] may be set at ${at}`);
    else if (state.Next !== undefined) target(state.Next, `${at}/Next`, name);
  } else {
    for (const f of ['Next', 'End']) if (state[f] !== undefined) problems.push(`SCHEMA_VALIDATION_FAILED: Field '${f}' is not supported at ${at}`);
  }
  if (type === 'Task') required(['Resource']);
  if (type === 'Wait') {
    const given = ['Seconds', 'Timestamp', 'SecondsPath', 'TimestampPath'].filter((f) => state[f] !== undefined);
    if (given.length !== 1) problems.push(`SCHEMA_VALIDATION_FAILED: Exactly one of the fields [Seconds, Timestamp, SecondsPath, TimestampPath] must be set at ${at}`);
  }
  if (type === 'Choice') {
    if (!Array.isArray(state.Choices) || state.Choices.length === 0) problems.push(`SCHEMA_VALIDATION_FAILED: These fields are required: [Choices] at ${at}`);
    else state.Choices.forEach((rule, i) => {
      if (!isObj(rule) || !OPERATORS.some((op) => op in rule)) problems.push(`SCHEMA_VALIDATION_FAILED: The choice rule has no comparison operator at ${at}/Choices/${i}`);
      else if (rule.Next === undefined) problems.push(`SCHEMA_VALIDATION_FAILED: These fields are required: [Next] at ${at}/Choices/${i}`);
      else target(rule.Next, `${at}/Choices/${i}/Next`, name);
    });
    if (state.Default !== undefined) target(state.Default, `${at}/Default`, name);
  }
  if (type === 'Parallel') {
    if (!Array.isArray(state.Branches) || state.Branches.length === 0) required(['Branches']);
    else state.Branches.forEach((b, i) => validateMachine(b, `${at}/Branches/${i}`, problems));
  }
  if (type === 'Map') {
    const processor = state.ItemProcessor !== undefined ? 'ItemProcessor' : 'Iterator';
    if (state[processor] === undefined) required(['ItemProcessor']);
    else validateMachine(state[processor], `${at}/${processor}`, problems);
  }
  for (const field of ['Retry', 'Catch']) {
    const list = state[field];
    if (list === undefined) continue;
    if (!Array.isArray(list)) {
      problems.push(`SCHEMA_VALIDATION_FAILED: Value is not an array at ${at}/${field}`);
      continue;
    }
    list.forEach((r, i) => {
      if (!isObj(r) || !Array.isArray(r.ErrorEquals) || r.ErrorEquals.length === 0) problems.push(`SCHEMA_VALIDATION_FAILED: These fields are required: [ErrorEquals] at ${at}/${field}/${i}`);
      else if (field === 'Catch') target(r.Next, `${at}/Catch/${i}/Next`, name);
    });
  }
}
