// The Java a mapping template sees on AWS, where Velocity runs on Java: String, Map and List
// methods with Java's semantics (velocityjs would otherwise call JavaScript's methods of the same
// name, or none), and Java's toString when a map or list is rendered.
//
// Lists come in two kinds. The JSON parser behind $input.path (json-smart) gives JSONArrays, whose
// toString is compact JSON — AWS renders {list=[{"foo":"bar"}]} — while lists the template makes
// ([1, 2], keySet(), values(), split()) are Java lists rendered [1, 2]. The template's lists are
// the ones recorded here; every other array came from JSON.
import { javaMatches, javaReplace, javaSplit } from './java-regex.js';

const javaLists = new WeakSet<unknown[]>();

/** An array the template made, which renders as a Java list. */
export function javaList<T>(items: T[]): T[] {
  javaLists.add(items);
  return items;
}

/** A Map.Entry of entrySet(): `$e.key`, `$e.value`, `$e.getKey()`; renders key=value. */
class Entry {
  constructor(readonly key: string, readonly value: unknown) {}
}

type JavaMap = Record<string, unknown>;

export const isMap = (v: unknown): v is JavaMap => {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return false;
  const proto = Object.getPrototypeOf(v);
  return proto === Object.prototype || proto === null;
};

/** What Java's toString (and so Velocity's rendering) gives for a value. */
export function javaString(v: unknown, seen?: unknown): string {
  if (v === null || v === undefined) return 'null';
  if (typeof v !== 'object') return String(v);
  if (v === seen) return Array.isArray(v) ? '(this Collection)' : '(this Map)';
  if (Array.isArray(v)) {
    if (!javaLists.has(v)) return JSON.stringify(v);
    return `[${v.map((x) => javaString(x, v)).join(', ')}]`;
  }
  if (v instanceof Entry) return `${v.key}=${javaString(v.value)}`;
  if (isMap(v)) {
    let out = '';
    for (const k in v) if (typeof v[k] !== 'function') out += `${out ? ', ' : ''}${k}=${javaString(v[k], v)}`;
    return `{${out}}`;
  }
  return typeof v === 'function' ? '' : String(v);
}

/** Object.equals as Java's String, Number, Boolean, Map and List define it. */
export function javaEquals(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a)) return Array.isArray(b) && a.length === b.length && a.every((x, i) => javaEquals(x, b[i]));
  if (!isMap(a) || !isMap(b)) return false;
  const keys = Object.keys(a);
  return keys.length === Object.keys(b).length && keys.every((k) => Object.hasOwn(b, k) && javaEquals(a[k], b[k]));
}

function fail(what: string): never {
  throw new Error(what);
}
const str = (v: unknown, method: string): string => (typeof v === 'string' ? v : fail(`${method}: a String argument is required`));
const int = (v: unknown, method: string): number => (Number.isInteger(v) ? (v as number) : fail(`${method}: an int argument is required`));
const inRange = (s: string, begin: number, end: number): void => {
  if (begin < 0 || end > s.length || begin > end) fail(`StringIndexOutOfBoundsException: begin ${begin}, end ${end}, length ${s.length}`);
};
const foldChar = (c: string): string => c.toUpperCase().toLowerCase();

function compareStrings(a: string, b: string, fold: boolean): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    let x = a.charCodeAt(i);
    let y = b.charCodeAt(i);
    if (x !== y && fold) {
      x = foldChar(a[i]).charCodeAt(0);
      y = foldChar(b[i]).charCodeAt(0);
    }
    if (x !== y) return x - y;
  }
  return a.length - b.length;
}

/** Java's `s.trim()`: every code unit up to U+0020, not JavaScript's Unicode whitespace. */
function trim(s: string): string {
  let start = 0;
  let end = s.length;
  while (start < end && s.charCodeAt(start) <= 32) start++;
  while (end > start && s.charCodeAt(end - 1) <= 32) end--;
  return s.slice(start, end);
}

type Method<T> = (self: T, args: unknown[]) => unknown;

const STRING_METHODS: Record<string, Method<string>> = {
  length: (s) => s.length,
  isEmpty: (s) => s.length === 0,
  isBlank: (s) => trim(s) === '',
  equals: (s, [x]) => s === x,
  equalsIgnoreCase: (s, [x]) => typeof x === 'string' && x.length === s.length && compareStrings(s, x, true) === 0,
  compareTo: (s, [x]) => compareStrings(s, str(x, 'compareTo'), false),
  compareToIgnoreCase: (s, [x]) => compareStrings(s, str(x, 'compareToIgnoreCase'), true),
  contains: (s, [x]) => s.includes(str(x, 'contains')),
  matches: (s, [re]) => javaMatches(s, str(re, 'matches')),
  replaceAll: (s, [re, to]) => javaReplace(s, str(re, 'replaceAll'), str(to, 'replaceAll'), true),
  replaceFirst: (s, [re, to]) => javaReplace(s, str(re, 'replaceFirst'), str(to, 'replaceFirst'), false),
  replace: (s, [from, to]) => s.split(String(from)).join(String(to)),
  split: (s, [re, limit]) => javaList(javaSplit(s, str(re, 'split'), limit === undefined ? 0 : int(limit, 'split'))),
  substring: (s, [b, e]) => {
    const begin = int(b, 'substring');
    const end = e === undefined ? s.length : int(e, 'substring');
    inRange(s, begin, end);
    return s.slice(begin, end);
  },
  charAt: (s, [i]) => {
    const at = int(i, 'charAt');
    inRange(s, at, at + 1);
    return s[at];
  },
  // indexOf(int ch) takes a character code, as Velocity passes an Integer.
  indexOf: (s, [x, from]) => s.indexOf(typeof x === 'number' ? String.fromCharCode(x) : str(x, 'indexOf'), from === undefined ? 0 : int(from, 'indexOf')),
  lastIndexOf: (s, [x, from]) => {
    const needle = typeof x === 'number' ? String.fromCharCode(x) : str(x, 'lastIndexOf');
    if (from === undefined) return s.lastIndexOf(needle);
    const at = int(from, 'lastIndexOf');
    return at < 0 ? -1 : s.lastIndexOf(needle, at);
  },
  toUpperCase: (s) => s.toUpperCase(),
  toLowerCase: (s) => s.toLowerCase(),
  trim: (s) => trim(s),
  strip: (s) => s.trim(),
  concat: (s, [x]) => s + str(x, 'concat'),
  hashCode: (s) => {
    let h = 0;
    for (let i = 0; i < s.length; i++) h = (Math.imul(31, h) + s.charCodeAt(i)) | 0;
    return h;
  },
  toString: (s: string) => s,
};

// Methods whose Java result is void render as nothing, as in Velocity.
const MAP_METHODS: Record<string, Method<JavaMap>> = {
  size: (m) => Object.keys(m).length,
  isEmpty: (m) => Object.keys(m).length === 0,
  get: (m, [k]) => (Object.hasOwn(m, String(k)) ? m[String(k)] : undefined),
  getOrDefault: (m, [k, d]) => (Object.hasOwn(m, String(k)) ? m[String(k)] : d),
  containsKey: (m, [k]) => Object.hasOwn(m, String(k)),
  containsValue: (m, [v]) => Object.values(m).some((x) => javaEquals(x, v)),
  keySet: (m) => javaList(Object.keys(m)),
  values: (m) => javaList(Object.values(m)),
  entrySet: (m) => javaList(Object.keys(m).map((k) => new Entry(k, m[k]))),
  put: (m, [k, v]) => {
    const key = String(k);
    const previous = Object.hasOwn(m, key) ? m[key] : undefined;
    if (key !== '__proto__') m[key] = v;
    return previous;
  },
  putAll: (m, [other]) => {
    if (isMap(other)) for (const k in other) if (k !== '__proto__') m[k] = other[k];
    return '';
  },
  remove: (m, [k]) => {
    const key = String(k);
    if (!Object.hasOwn(m, key)) return undefined;
    const previous = m[key];
    delete m[key];
    return previous;
  },
  clear: (m) => {
    for (const k of Object.keys(m)) delete m[k];
    return '';
  },
  equals: (m, [x]) => javaEquals(m, x),
  toString: (m: JavaMap) => javaString(m),
};

const index = (l: unknown[], i: unknown, max: number): number => {
  const at = int(i, 'index');
  return at >= 0 && at < max ? at : fail(`IndexOutOfBoundsException: Index ${at} out of bounds for length ${l.length}`);
};

const LIST_METHODS: Record<string, Method<unknown[]>> = {
  size: (l) => l.length,
  isEmpty: (l) => l.length === 0,
  get: (l, [i]) => l[index(l, i, l.length)],
  contains: (l, [x]) => l.some((y) => javaEquals(y, x)),
  indexOf: (l, [x]) => l.findIndex((y) => javaEquals(y, x)),
  add: (l, args) => {
    if (args.length < 2) {
      l.push(args[0]);
      return true;
    }
    l.splice(index(l, args[0], l.length + 1), 0, args[1]);
    return '';
  },
  addAll: (l, [other]) => {
    if (Array.isArray(other)) l.push(...other);
    return Array.isArray(other) && other.length > 0;
  },
  set: (l, [i, x]) => {
    const at = index(l, i, l.length);
    const previous = l[at];
    l[at] = x;
    return previous;
  },
  // remove(int index) removes at a position; remove(Object) the first equal element.
  remove: (l, [x]) => {
    if (typeof x === 'number') return l.splice(index(l, x, l.length), 1)[0];
    const at = l.findIndex((y) => javaEquals(y, x));
    if (at >= 0) l.splice(at, 1);
    return at >= 0;
  },
  clear: (l) => {
    l.length = 0;
    return '';
  },
  equals: (l, [x]) => javaEquals(l, x),
  toString: (l: unknown[]) => javaString(l),
};

// Integer, Double and Boolean (what JSON numbers and booleans are in Java).
const VALUE_METHODS: Record<string, Method<number | boolean>> = {
  equals: (v, [x]) => v === x,
  compareTo: (v, [x]) => (typeof x === typeof v ? Math.sign(Number(v) - Number(x)) : fail('compareTo: an argument of the same type is required')),
  toString: (v: number | boolean) => String(v),
};

function methodFor(context: unknown, property: string): Method<never> | undefined {
  const table = typeof context === 'string' ? STRING_METHODS : Array.isArray(context) ? LIST_METHODS : isMap(context) ? MAP_METHODS
    : typeof context === 'number' || typeof context === 'boolean' ? VALUE_METHODS : undefined;
  return table && Object.hasOwn(table, property) ? (table[property] as Method<never>) : undefined;
}

interface MethodCall {
  property: string;
  context: unknown;
  params: unknown[];
}

/** The velocityjs method hook that runs Java's methods on strings, maps and lists. */
export const javaMethodHandler = {
  uid: 'java-methods',
  match: ({ property, context }: MethodCall) => methodFor(context, property) !== undefined,
  resolve: ({ property, context, params }: MethodCall) => methodFor(context, property)!(context as never, params),
};
