// Test support: the ways a fuzzed request goes wrong. Member mutations change one member of a
// valid-looking input (missing, mistyped, empty, too long, out of range, unknown enum, hostile
// characters, deep nesting); request mutations change the serialised request (malformed JSON,
// wrong Content-Type, duplicate query parameters, a deeply nested body).
import type { Operation, ServiceModel, ShapeRef } from '../../aws/model.js';
import type { Random } from './random.js';
import { Raw, type WireRequest } from './wire.js';

export const MEGABYTE_STRING = 'x'.repeat(1024 * 1024);

const nestedArrays = (depth: number) => new Raw('['.repeat(depth) + ']'.repeat(depth));
const nestedObjects = (depth: number) => new Raw('{"a":'.repeat(depth) + '1' + '}'.repeat(depth));

// Path labels as a hostile client writes them, sent without further encoding.
const HOSTILE_LABELS = ['%00', '..', '%2e%2e', '%2F..%2F..%2Fetc%2Fpasswd', '%ZZ', '%C0%AF', '%FF%FE', '%E2%82', 'a%0Ab', '%20', '%01%02', 'x%3Fy%3Dz', '%25', '%F0%9F%98%80'];
// String values no sane client sends (JSON-encoded, so they reach the handler as these characters).
const HOSTILE_STRINGS = ['../../etc/passwd', '\u0000', 'a\u0001b\u001f', '\ud800', '\uffff', '<script>alert(1)</script>', "' OR 1=1 --", '${jndi:ldap://x}', '😀'.repeat(20), 'a\nb\r\nc', ' ', '%00', '\\', 'a/b', '*', '$LATEST'];
const BAD_NUMBERS_JSON = [-1, -2147483649, 2147483648, 2 ** 53 + 2, 1e308, -1e308, 1.5, 0, 'NaN', '12', 'Infinity'];
const BAD_NUMBERS_TEXT = ['-1', '99999999999999999999', 'NaN', '1.5', '1e5', 'Infinity', '0x10', ' 1', '', '-0', '2147483648'];
const WRONG_TYPES_JSON: unknown[] = [123, true, {}, [], 'text', [1, 'a'], { nested: { deeper: [] } }];
const BAD_TIMESTAMPS: unknown[] = ['not-a-date', -1, 1e20, '', '2024-13-45T99:99:99Z', true, 'NaN', 8.64e15];

export interface Draft {
  input: Record<string, unknown>;
  /** What was done, for the report of a failing request. */
  mutation: string;
}

type Path = (string | number)[];

/** Paths of members that a mutation may change: every top-level member, and values nested in those present. */
function memberPaths(model: ServiceModel, op: Operation, input: Record<string, unknown>): { path: Path; ref: ShapeRef; top: ShapeRef }[] {
  if (!op.input) return [];
  const out: { path: Path; ref: ShapeRef; top: ShapeRef }[] = [];
  const walk = (ref: ShapeRef, value: unknown, path: Path, top: ShapeRef, depth: number) => {
    out.push({ path, ref, top });
    if (depth > 3 || value === undefined || value === null || value instanceof Raw) return;
    const shape = model.shapes[ref.shape];
    if (shape.type === 'structure' && typeof value === 'object') {
      for (const [name, member] of Object.entries(shape.members ?? {})) {
        if ((value as Record<string, unknown>)[name] !== undefined || (shape.required ?? []).includes(name)) {
          walk(member, (value as Record<string, unknown>)[name], [...path, name], top, depth + 1);
        }
      }
    } else if (shape.type === 'list' && Array.isArray(value)) value.forEach((v, i) => walk(shape.member!, v, [...path, i], top, depth + 1));
    else if (shape.type === 'map' && typeof value === 'object') for (const [k, v] of Object.entries(value)) walk(shape.value!, v, [...path, k], top, depth + 1);
  };
  for (const [name, ref] of Object.entries(model.shapes[op.input.shape].members ?? {})) {
    if (ref.location !== 'statusCode') walk(ref, input[name], [name], ref, 0);
  }
  return out;
}

function setAt(target: Record<string, unknown>, path: Path, value: unknown): void {
  let node: any = target;
  for (const key of path.slice(0, -1)) {
    if (node[key] === undefined || node[key] === null || typeof node[key] !== 'object') node[key] = typeof key === 'number' ? [] : {};
    node = node[key];
  }
  const last = path[path.length - 1];
  if (value === undefined) {
    if (Array.isArray(node) && typeof last === 'number') node.splice(last, 1);
    else delete node[last];
  } else node[last] = value;
}

/** Replaces one member of `input` with a hostile value fitting where it travels (URI, query, header or body). */
export function mutateMember(model: ServiceModel, op: Operation, input: Record<string, unknown>, rng: Random): Draft {
  const paths = memberPaths(model, op, input);
  if (!paths.length) return { input, mutation: 'none (no members)' };
  const { path, ref, top } = rng.pick(paths);
  const shape = model.shapes[ref.shape];
  const onWire = top.location && top.location !== 'headers' ? top.location : 'body';
  const inUri = onWire === 'uri' || onWire === 'querystring' || onWire === 'header';
  const maxText = onWire === 'header' ? 4000 : 6000; // stays under Node's 16 KB header limit
  const choices: [string, () => unknown][] = [
    ['missing', () => undefined],
    ['empty string', () => ''],
    ['long string (max + 1)', () => 'a'.repeat(Math.min((shape.max ?? 256) + 1, maxText))],
    ['long string', () => 'b'.repeat(inUri ? maxText : 70_000)],
  ];
  if (!inUri) choices.push(['1 MB string', () => MEGABYTE_STRING], ['null', () => null]);
  if (onWire === 'uri') choices.push(['hostile path label', () => new Raw(rng.pick(HOSTILE_LABELS))]);
  if (onWire === 'querystring') choices.push(['hostile query value', () => new Raw(rng.pick(HOSTILE_LABELS))]);
  choices.push(['hostile string', () => rng.pick(HOSTILE_STRINGS)]);
  if (shape.type === 'integer' || shape.type === 'long' || shape.type === 'double' || shape.type === 'float') {
    choices.push(['out-of-range number', () => (inUri ? rng.pick(BAD_NUMBERS_TEXT) : rng.pick(BAD_NUMBERS_JSON))]);
    choices.push(['out-of-range number', () => (inUri ? rng.pick(BAD_NUMBERS_TEXT) : rng.pick(BAD_NUMBERS_JSON))]);
  }
  if (shape.type === 'boolean') choices.push(['not a boolean', () => (inUri ? rng.pick(['yes', 'TRUE', '1', '']) : rng.pick(['true', 1, 0, 'yes']))]);
  if (shape.type === 'timestamp') choices.push(['bad timestamp', () => (inUri ? rng.pick(['yesterday', '-1', '1e30', '']) : rng.pick(BAD_TIMESTAMPS))]);
  if (shape.enum) choices.push(['unknown enum value', () => rng.pick(['NOT_A_VALUE', shape.enum![0].toLowerCase() + 'x', `${shape.enum![0]} `])]);
  if (!inUri) {
    choices.push(['wrong JSON type', () => rng.pick(WRONG_TYPES_JSON)]);
    choices.push(['wrong JSON type', () => rng.pick(WRONG_TYPES_JSON)]);
    if (shape.type === 'structure' || shape.type === 'list' || shape.type === 'map' || ref.jsonvalue || shape.type === 'string') {
      choices.push(['deeply nested JSON', () => (rng.chance(0.5) ? nestedArrays(100_000) : nestedObjects(20_000))]);
      choices.push(['deeply nested JSON text', () => '['.repeat(50_000) + ']'.repeat(50_000)]);
    }
    if (shape.type === 'list') choices.push(['huge list', () => Array.from({ length: 20_000 }, (_, i) => `item${i}`)]);
    if (shape.type === 'map') choices.push(['huge map', () => Object.fromEntries(Array.from({ length: 5_000 }, (_, i) => [`k${i}`, `v${i}`]))]);
  }
  const [name, make] = rng.pick(choices);
  const next = structuredClone(input);
  // structuredClone drops Raw's class and turns Buffers into Uint8Arrays: put them back.
  restore(next, input);
  setAt(next, path, make());
  return { input: next, mutation: `${name} at ${path.join('.')}` };
}

function restore(copy: any, original: any): void {
  for (const [k, v] of Object.entries(original ?? {})) {
    if (v instanceof Raw || Buffer.isBuffer(v)) copy[k] = v;
    else if (v && typeof v === 'object') restore(copy[k], v);
  }
}

const MALFORMED_BODIES: (string | Buffer)[] = [
  '{', '{"a":', '[1,2', 'null', '"text"', '[]', '123', '{"a":1,}', '\ufeff{}', '{"a":"\\ud800"}', "{'single':'quotes'}", 'NaN',
  Buffer.from([0xff, 0xfe, 0x7b, 0x7d]), Buffer.from([0x7b, 0x22, 0x61, 0x22, 0x3a, 0x22, 0xc0, 0xaf, 0x22, 0x7d]), '{"__proto__":{"polluted":1}}',
  '{"constructor":{"prototype":{"polluted":1}}}',
];
const CONTENT_TYPES = ['text/plain', 'application/xml', 'multipart/form-data; boundary=x', '', 'application/json; charset=latin1', 'application/x-amz-json-1.0', '*/*', 'application/x-www-form-urlencoded'];

/** Changes the serialised request as a broken or hostile client would. */
export function mutateRequest(wire: WireRequest, rng: Random): { wire: WireRequest; mutation: string } {
  const next: WireRequest = { ...wire, query: [...wire.query], headers: { ...wire.headers } };
  const kind = rng.pick(['malformed body', 'wrong content type', 'duplicate query parameter', 'deeply nested body', 'truncated body', 'no body']);
  switch (kind) {
    case 'malformed body': {
      const body = rng.pick(MALFORMED_BODIES);
      next.body = Buffer.isBuffer(body) ? body : Buffer.from(body);
      return { wire: next, mutation: `malformed body ${JSON.stringify(next.body.toString('latin1'))}` };
    }
    case 'wrong content type': {
      const type = rng.pick(CONTENT_TYPES);
      if (type) next.headers['content-type'] = type;
      else delete next.headers['content-type'];
      return { wire: next, mutation: `content-type '${type}'` };
    }
    case 'duplicate query parameter': {
      const existing = next.query.filter(([k]) => k !== 'Action' && k !== 'Version');
      const [k, v] = existing.length ? rng.pick(existing) : ['dup', '1'];
      next.query.push([k, `${v}2`], [k, '']);
      if (!existing.length) next.query.push([k, '3']);
      return { wire: next, mutation: `duplicate query parameter ${k}` };
    }
    case 'deeply nested body':
      next.body = Buffer.from(rng.chance(0.5) ? '['.repeat(200_000) + ']'.repeat(200_000) : '{"a":'.repeat(50_000) + '1' + '}'.repeat(50_000));
      return { wire: next, mutation: 'deeply nested body' };
    case 'truncated body':
      next.body = next.body.subarray(0, Math.floor(next.body.length / 2));
      return { wire: next, mutation: 'truncated body' };
    default:
      next.body = Buffer.alloc(0);
      return { wire: next, mutation: 'no body' };
  }
}
