// Input and output processing of a state: InputPath → Parameters → (the state's work) →
// ResultSelector → ResultPath → OutputPath. Payload templates resolve `key.$` fields from a path
// or an intrinsic function; a path that finds nothing is a States.Runtime error, as on AWS.
import { bracketed, place, select, type Json } from './jsonpath.js';
import { callIntrinsic, isIntrinsic } from './intrinsics.js';
import { StatesError } from './errors.js';

const runtime = (cause: string) => new StatesError('States.Runtime', cause);

/** Resolves a Parameters / ResultSelector / ItemSelector template against `input`. */
export function resolveTemplate(template: Json, input: Json, context: Json): Json {
  if (Array.isArray(template)) return template.map((v) => resolveTemplate(v, input, context));
  if (template === null || typeof template !== 'object') return template;
  const out: Record<string, Json> = {};
  for (const [key, value] of Object.entries(template)) {
    if (key.endsWith('.$') && typeof value === 'string') {
      const name = key.slice(0, -2);
      if (isIntrinsic(value)) out[name] = callIntrinsic(value, input, context);
      else {
        const found = select(value, input, context);
        if (found === undefined) {
          throw runtime(`The JsonPath argument for the field '${value}' could not be found in the input '${JSON.stringify(value.startsWith('$$') ? context : input)}'`);
        }
        out[name] = found;
      }
    } else out[key] = resolveTemplate(value, input, context);
  }
  return out;
}

/** InputPath / OutputPath: null gives `{}`; a path that finds nothing is a runtime error. */
export function applyPath(path: string | null | undefined, value: Json, context: Json, state: string): Json {
  if (path === undefined) return value;
  if (path === null) return {};
  const found = select(path, value, context);
  if (found === undefined) {
    throw runtime(`An error occurred while executing the state '${state}'. Invalid path '${path}' : No results for path: ${bracketed(path)}`);
  }
  return found;
}

/** ResultPath: where the result goes in the state's input (null discards it, `$` replaces the input). */
export function applyResultPath(path: string | null | undefined, input: Json, result: Json, state: string): Json {
  if (path === undefined) return result;
  if (path === null) return input;
  const placed = place(path, input, result);
  if (placed === undefined) {
    throw runtime(`An error occurred while executing the state '${state}'. Unable to apply ReferencePath ${path} to input ${JSON.stringify(input)}`);
  }
  return placed;
}

/** A state's fields that process its input and output (InputPath, Parameters, ResultSelector, ResultPath, OutputPath). */
export type Processing = Record<string, Json | undefined>;
type PathField = string | null | undefined;

/** The effective input a state works on: InputPath then Parameters. */
export function effectiveInput(def: Processing, input: Json, context: Json, state: string): Json {
  const selected = applyPath(def.InputPath as PathField, input, context, state);
  return def.Parameters === undefined ? selected : resolveTemplate(def.Parameters, selected, context);
}

/** The state's output from its raw input and its result: ResultSelector, ResultPath, OutputPath. */
export function stateOutput(def: Processing, rawInput: Json, result: Json, context: Json, state: string): Json {
  const selected = def.ResultSelector === undefined ? result : resolveTemplate(def.ResultSelector, result, context);
  return applyPath(def.OutputPath as PathField, applyResultPath(def.ResultPath as PathField, rawInput, selected, state), context, state);
}
