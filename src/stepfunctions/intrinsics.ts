// The States Language's intrinsic functions (`States.Format('{} x', $.a)` in a `.$` field): a small
// parser for their argument lists (strings in single quotes, numbers, booleans, null, paths and
// nested calls) and the functions Step Functions offers, with its States.IntrinsicFailure errors.
import { createHash, randomUUID } from 'node:crypto';
import { select, type Json } from './jsonpath.js';
import { StatesError } from './errors.js';

type Arg = { kind: 'value'; value: Json } | { kind: 'path'; path: string } | { kind: 'call'; name: string; args: Arg[] };

const failure = (message: string) => new StatesError('States.IntrinsicFailure', message);

export const isIntrinsic = (text: string): boolean => /^States\.[A-Za-z0-9]+\(/.test(text.trim());

class Parser {
  i = 0;
  constructor(readonly text: string) {}

  ws(): void {
    while (/\s/.test(this.text[this.i] ?? '')) this.i++;
  }

  call(): Arg {
    this.ws();
    const m = /^States\.[A-Za-z0-9]+/.exec(this.text.slice(this.i));
    if (!m || this.text[this.i + m[0].length] !== '(') throw failure(`Invalid intrinsic function call: ${this.text}`);
    this.i += m[0].length + 1;
    const args: Arg[] = [];
    this.ws();
    if (this.text[this.i] === ')') this.i++;
    else {
      for (;;) {
        args.push(this.arg());
        this.ws();
        const c = this.text[this.i++];
        if (c === ')') break;
        if (c !== ',') throw failure(`Invalid intrinsic function call: ${this.text}`);
      }
    }
    return { kind: 'call', name: m[0], args };
  }

  arg(): Arg {
    this.ws();
    const rest = this.text.slice(this.i);
    if (rest.startsWith("'")) {
      let out = '';
      let j = this.i + 1;
      for (; j < this.text.length && this.text[j] !== "'"; j++) {
        if (this.text[j] === '\\' && j + 1 < this.text.length) j++;
        out += this.text[j];
      }
      if (j >= this.text.length) throw failure(`Invalid intrinsic function call: ${this.text}`);
      this.i = j + 1;
      return { kind: 'value', value: out };
    }
    if (rest.startsWith('States.')) return this.call();
    if (rest.startsWith('$')) {
      let depth = 0;
      let j = this.i;
      for (; j < this.text.length; j++) {
        const c = this.text[j];
        if (c === '[') depth++;
        else if (c === ']') depth--;
        else if ((c === ',' || c === ')') && depth === 0) break;
      }
      const path = this.text.slice(this.i, j).trim();
      this.i = j;
      return { kind: 'path', path };
    }
    const m = /^(-?\d+(?:\.\d+)?(?:[eE][-+]?\d+)?|true|false|null)/.exec(rest);
    if (!m) throw failure(`Invalid intrinsic function call: ${this.text}`);
    this.i += m[0].length;
    return { kind: 'value', value: JSON.parse(m[0]) as Json };
  }
}

const expect = <T>(ok: boolean, v: T, fn: string, what: string): T => {
  if (!ok) throw failure(`Invalid arguments in ${fn}: ${what}`);
  return v;
};
const num = (v: Json, fn: string): number => expect(typeof v === 'number', v as number, fn, 'expected a number');
const str = (v: Json, fn: string): string => expect(typeof v === 'string', v as string, fn, 'expected a string');
const arr = (v: Json, fn: string): Json[] => expect(Array.isArray(v), v as Json[], fn, 'expected an array');
const int = (v: Json, fn: string): number => expect(Number.isInteger(v), v as number, fn, 'expected an integer');

function apply(name: string, a: Json[]): Json {
  switch (name) {
    case 'States.Format': {
      const template = str(a[0], name);
      let n = 1;
      const out = template.replace(/\\([{}\\'])|\{\}/g, (m, esc: string | undefined) => {
        if (esc !== undefined) return esc;
        if (n >= a.length) throw failure('Number of arguments in States.Format do not match the number of placeholders');
        const v = a[n++];
        return typeof v === 'string' ? v : JSON.stringify(v);
      });
      if (n !== a.length) throw failure('Number of arguments in States.Format do not match the number of placeholders');
      return out;
    }
    case 'States.StringToJson':
      try {
        return JSON.parse(str(a[0], name)) as Json;
      } catch {
        throw failure(`Invalid arguments in States.StringToJson: not JSON: ${String(a[0])}`);
      }
    case 'States.JsonToString': return JSON.stringify(a[0]);
    case 'States.Array': return a;
    case 'States.ArrayPartition': {
      const list = arr(a[0], name);
      const size = int(a[1], name);
      const out: Json[] = [];
      for (let i = 0; i < list.length; i += size) out.push(list.slice(i, i + size));
      return out;
    }
    case 'States.ArrayContains': return arr(a[0], name).some((v) => JSON.stringify(v) === JSON.stringify(a[1]));
    case 'States.ArrayRange': {
      const [from, to, by] = [int(a[0], name), int(a[1], name), int(a[2], name)];
      if (by === 0) throw failure('Invalid arguments in States.ArrayRange: the step cannot be 0');
      const out: number[] = [];
      for (let v = from; by > 0 ? v <= to : v >= to; v += by) out.push(v);
      return out;
    }
    case 'States.ArrayGetItem': {
      const list = arr(a[0], name);
      const i = int(a[1], name);
      if (i < 0 || i >= list.length) throw failure(`Invalid arguments in States.ArrayGetItem: index ${i} out of bounds`);
      return list[i];
    }
    case 'States.ArrayLength': return arr(a[0], name).length;
    case 'States.ArrayUnique': {
      const seen = new Set<string>();
      return arr(a[0], name).filter((v) => !seen.has(JSON.stringify(v)) && !!seen.add(JSON.stringify(v)));
    }
    case 'States.Base64Encode': return Buffer.from(str(a[0], name), 'utf8').toString('base64');
    case 'States.Base64Decode': return Buffer.from(str(a[0], name), 'base64').toString('utf8');
    case 'States.Hash': {
      const algorithms: Record<string, string> = { MD5: 'md5', 'SHA-1': 'sha1', 'SHA-256': 'sha256', 'SHA-384': 'sha384', 'SHA-512': 'sha512' };
      const algorithm = algorithms[str(a[1], name)];
      if (!algorithm) throw failure(`Invalid arguments in States.Hash: unknown algorithm ${String(a[1])}`);
      return createHash(algorithm).update(typeof a[0] === 'string' ? a[0] : JSON.stringify(a[0])).digest('hex');
    }
    case 'States.JsonMerge': {
      const [x, y] = [a[0], a[1]];
      const ok = typeof x === 'object' && x !== null && !Array.isArray(x) && typeof y === 'object' && y !== null && !Array.isArray(y);
      if (!ok) throw failure('Invalid arguments in States.JsonMerge: expected two objects');
      if (a[2] !== false) throw failure('Invalid arguments in States.JsonMerge: deep merging is not supported');
      return { ...(x as Record<string, Json>), ...(y as Record<string, Json>) };
    }
    case 'States.MathRandom': {
      const [lo, hi] = [int(a[0], name), int(a[1], name)];
      return lo + Math.floor(Math.random() * (hi - lo));
    }
    case 'States.MathAdd': return num(a[0], name) + num(a[1], name);
    case 'States.StringSplit': {
      const chars = str(a[1], name);
      return str(a[0], name).split(new RegExp(`[${chars.replace(/[\\\]^-]/g, '\\$&')}]`)).filter((s) => s !== '');
    }
    case 'States.UUID': return randomUUID();
    default: throw failure(`Unknown intrinsic function: ${name}`);
  }
}

function evaluate(arg: Arg, input: Json, context: Json): Json {
  if (arg.kind === 'value') return arg.value;
  if (arg.kind === 'path') {
    const v = select(arg.path, input, context);
    if (v === undefined) throw new StatesError('States.Runtime', `The JsonPath argument for the field '${arg.path}' could not be found in the input '${JSON.stringify(input)}'`);
    return v;
  }
  return apply(arg.name, arg.args.map((x) => evaluate(x, input, context)));
}

/** Evaluates an intrinsic function call against the state's input and the context object. */
export function callIntrinsic(text: string, input: Json, context: Json): Json {
  const parser = new Parser(text.trim());
  const call = parser.call();
  parser.ws();
  if (parser.i !== parser.text.length) throw failure(`Invalid intrinsic function call: ${text}`);
  return evaluate(call, input, context);
}
