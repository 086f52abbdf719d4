// What a target receives: the event itself, or the target's Input (constant JSON), InputPath (a
// part of the event) or InputTransformer (InputPathsMap's values put into InputTemplate's
// <placeholders>, as AWS does: inside a JSON string a value goes in as text, elsewhere as JSON).
import type { StoredTarget } from '../store/events-store.js';
import type { EventEnvelope } from './envelope.js';
import { validation } from './errors.js';

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

export interface InputTransformer {
  InputPathsMap?: Record<string, string>;
  InputTemplate: string;
}

const PATH_SEGMENT = /^(?:\.([A-Za-z0-9_$@-]+)|\[(\d+)\]|\['([^']*)'\]|\["([^"]*)"\])/;

/** The segments of a JSON path (`$`, `$.detail.x`, `$.items[0]`, `$['a-b']`), or undefined when it is not one. */
export function parseJsonPath(path: string): (string | number)[] | undefined {
  if (!path.startsWith('$')) return undefined;
  const segments: (string | number)[] = [];
  let rest = path.slice(1);
  while (rest.length) {
    const m = PATH_SEGMENT.exec(rest);
    if (!m) return undefined;
    segments.push(m[2] !== undefined ? Number(m[2]) : (m[1] ?? m[3] ?? m[4]));
    rest = rest.slice(m[0].length);
  }
  return segments;
}

function select(value: Json, segments: (string | number)[]): Json | undefined {
  let current: Json | undefined = value;
  for (const s of segments) {
    if (current === null || typeof current !== 'object') return undefined;
    current = Array.isArray(current) ? (typeof s === 'number' ? current[s] : undefined) : Object.hasOwn(current, String(s)) ? current[String(s)] : undefined;
  }
  return current;
}

/** Checks a target's InputPath and InputTransformer as PutTargets does. */
export function validateTargetInput(target: StoredTarget): void {
  if (typeof target.InputPath === 'string' && !parseJsonPath(target.InputPath)) throw validation(`Target ${target.Id} has an invalid InputPath.`);
  const transformer = target.InputTransformer as InputTransformer | undefined;
  for (const [name, path] of Object.entries(transformer?.InputPathsMap ?? {})) {
    if (name.startsWith('aws.events.')) throw validation(`InputTransformer for target ${target.Id} contains the reserved name ${name} in its InputPathsMap.`);
    if (!parseJsonPath(path)) throw validation(`Target ${target.Id} has an invalid InputPathsMap value: ${path}.`);
  }
}

/** The payload (JSON text) a target receives for an event. */
export function targetInput(target: StoredTarget, event: EventEnvelope, ruleArn: string, ruleName: string): string {
  if (typeof target.Input === 'string') return target.Input;
  const eventJson = event as unknown as Json;
  if (typeof target.InputPath === 'string') {
    const value = select(eventJson, parseJsonPath(target.InputPath) ?? []);
    return value === undefined ? 'null' : JSON.stringify(value);
  }
  const transformer = target.InputTransformer as InputTransformer | undefined;
  if (transformer) return transform(transformer, eventJson, ruleArn, ruleName);
  return JSON.stringify(event);
}

function transform(transformer: InputTransformer, event: Json, ruleArn: string, ruleName: string): string {
  const values = new Map<string, Json | undefined>();
  for (const [name, path] of Object.entries(transformer.InputPathsMap ?? {})) values.set(name, select(event, parseJsonPath(path) ?? []));
  values.set('aws.events.rule-arn', ruleArn);
  values.set('aws.events.rule-name', ruleName);
  values.set('aws.events.event', event);
  values.set('aws.events.event.json', event);
  values.set('aws.events.event.ingestion-time', (event as { time?: string }).time ?? null);
  const template = transformer.InputTemplate;
  let out = '';
  let inString = false;
  for (let i = 0; i < template.length; i++) {
    const c = template[i];
    if (c === '\\' && inString) {
      out += c + (template[i + 1] ?? '');
      i++;
      continue;
    }
    if (c === '"') inString = !inString;
    if (c === '<') {
      const close = template.indexOf('>', i);
      const name = close > i ? template.slice(i + 1, close) : '';
      if (values.has(name)) {
        out += render(values.get(name), inString);
        i = close;
        continue;
      }
    }
    out += c;
  }
  return out;
}

/** A value inside a JSON string: its text (escaped); elsewhere: its JSON. A missing value is null, or nothing inside a string. */
function render(value: Json | undefined, inString: boolean): string {
  if (!inString) return value === undefined ? 'null' : JSON.stringify(value);
  if (value === undefined || value === null) return '';
  const text = typeof value === 'string' ? value : JSON.stringify(value);
  return JSON.stringify(text).slice(1, -1);
}
