// Sets of code points as sorted, disjoint inclusive ranges, so that Java's character classes
// (unions, intersections, negations, Unicode properties) become one flat set, and that set one
// JavaScript class the linear-time engine runs without the `u` flag it refuses: characters beyond
// the BMP are written as their surrogate pairs, matched before single code units so that a pair
// counts as one character, as Java reads it.

/** [lo0, hi0, lo1, hi1, …]: sorted, disjoint, not adjacent. */
export type CodePointSet = readonly number[];

export const MAX_CODE_POINT = 0x10ffff;
export const EMPTY: CodePointSet = [];
export const ALL: CodePointSet = [0, MAX_CODE_POINT];

export const range = (lo: number, hi: number): CodePointSet => (lo <= hi ? [lo, hi] : EMPTY);
export const single = (cp: number): CodePointSet => [cp, cp];

/** The set of a list of possibly overlapping, unsorted ranges. */
export function fromRanges(pairs: number[]): CodePointSet {
  const sorted: [number, number][] = [];
  for (let i = 0; i < pairs.length; i += 2) sorted.push([pairs[i], pairs[i + 1]]);
  sorted.sort((a, b) => a[0] - b[0]);
  const out: number[] = [];
  for (const [lo, hi] of sorted) {
    if (out.length > 0 && lo <= out[out.length - 1] + 1) out[out.length - 1] = Math.max(out[out.length - 1], hi);
    else out.push(lo, hi);
  }
  return out;
}

export const union = (...sets: CodePointSet[]): CodePointSet => fromRanges(sets.flat());

export function complement(set: CodePointSet): CodePointSet {
  const out: number[] = [];
  let next = 0;
  for (let i = 0; i < set.length; i += 2) {
    if (set[i] > next) out.push(next, set[i] - 1);
    next = set[i + 1] + 1;
  }
  if (next <= MAX_CODE_POINT) out.push(next, MAX_CODE_POINT);
  return out;
}

export function intersect(a: CodePointSet, b: CodePointSet): CodePointSet {
  const out: number[] = [];
  for (let i = 0, j = 0; i < a.length && j < b.length;) {
    const lo = Math.max(a[i], b[j]);
    const hi = Math.min(a[i + 1], b[j + 1]);
    if (lo <= hi) out.push(lo, hi);
    if (a[i + 1] < b[j + 1]) i += 2;
    else j += 2;
  }
  return out;
}

export const contains = (set: CodePointSet, cp: number): boolean => {
  for (let i = 0; i < set.length; i += 2) if (cp >= set[i] && cp <= set[i + 1]) return true;
  return false;
};

/** Java's default CASE_INSENSITIVE: ASCII letters match both cases. */
export function foldAscii(set: CodePointSet): CodePointSet {
  const upper = intersect(set, [0x41, 0x5a]).map((cp) => cp + 32);
  const lower = intersect(set, [0x61, 0x7a]).map((cp) => cp - 32);
  return union(set, upper, lower);
}

let caseGroups: Map<number, number[]> | undefined;

/** Each code point whose case changes, with all those of the same UNICODE_CASE key, toLowerCase(toUpperCase(c)). */
function caseGroupsOf(): Map<number, number[]> {
  if (!caseGroups) {
    caseGroups = new Map();
    const byKey = new Map<number, number[]>();
    for (const [c] of scan(/\p{Changes_When_Casemapped}/gu)) {
      const cp = c.codePointAt(0)!;
      const upper = c.toUpperCase();
      const key = [...upper].length === 1 && [...upper.toLowerCase()].length === 1 ? upper.toLowerCase().codePointAt(0)! : cp;
      let group = byKey.get(key);
      if (!group) byKey.set(key, (group = [key]));
      if (cp !== key) group.push(cp);
      caseGroups.set(cp, group).set(key, group);
    }
  }
  return caseGroups;
}

/** Java's CASE_INSENSITIVE with UNICODE_CASE: a code point matches every one of the same case key. */
export function foldUnicode(set: CodePointSet): CodePointSet {
  const extra: number[] = [];
  for (const [cp, group] of caseGroupsOf()) if (contains(set, cp)) for (const other of group) extra.push(other, other);
  return union(set, extra);
}

let everything: string | undefined;

/** Every code point but the surrogates, in order (once, lazily), for a `u` regex to sort out. */
function allCodePoints(): string {
  if (!everything) {
    const chunks: string[] = [];
    for (let lo = 0; lo <= MAX_CODE_POINT; lo += 0x1000) {
      const cps: number[] = [];
      for (let cp = lo; cp < lo + 0x1000; cp++) if (cp < 0xd800 || cp > 0xdfff) cps.push(cp);
      chunks.push(String.fromCodePoint(...cps));
    }
    everything = chunks.join('');
  }
  return everything;
}

const scan = (re: RegExp): IterableIterator<RegExpMatchArray> => allCodePoints().matchAll(re);

const properties = new Map<string, CodePointSet>();

/** The code points a JavaScript property escape (`\p{…}`, `u` flag) matches; a SyntaxError for an unknown one. */
export function fromProperty(escape: string): CodePointSet {
  let set = properties.get(escape);
  if (!set) {
    const re = new RegExp(`${escape}+`, 'gu');
    const pairs: number[] = [];
    for (const [run] of scan(re)) {
      const end = run.charCodeAt(run.length - 1);
      const last = end >= 0xdc00 && end <= 0xdfff ? run.codePointAt(run.length - 2)! : end;
      pairs.push(run.codePointAt(0)!, last);
    }
    // The surrogates are their own category (Cs), absent from the scanned text: a run may span them.
    set = intersect(fromRanges(pairs), complement([0xd800, 0xdfff]));
    if (new RegExp(escape, 'u').test('\ud800')) set = union(set, [0xd800, 0xdfff]);
    properties.set(escape, set);
  }
  return set;
}

const hex = (cp: number): string => (cp < 0x100 ? `\\x${cp.toString(16).padStart(2, '0')}` : `\\u${cp.toString(16).padStart(4, '0')}`);
const unit = (cp: number): string => (/[0-9A-Za-z_]/.test(String.fromCharCode(cp)) ? String.fromCharCode(cp) : hex(cp));

function bmpClass(set: CodePointSet, negated = false): string {
  let out = '';
  for (let i = 0; i < set.length; i += 2) {
    out += unit(set[i]);
    if (set[i + 1] > set[i]) out += `${set[i + 1] > set[i] + 1 ? '-' : ''}${unit(set[i + 1])}`;
  }
  return `[${negated ? '^' : ''}${out}]`;
}

/** Surrogate pairs for the astral code points of a set: the low halves of each high one in one class. */
function astralAlternatives(set: CodePointSet): string[] {
  const lows = new Map<number, number[]>(); // high surrogate → ranges of low ones
  for (let i = 0; i < set.length; i += 2) {
    for (let cp = set[i]; cp <= set[i + 1];) {
      const high = 0xd800 + ((cp - 0x10000) >> 10);
      const last = Math.min(set[i + 1], 0x10000 + ((high - 0xd800 + 1) << 10) - 1);
      const ranges = lows.get(high) ?? [];
      ranges.push(0xdc00 + ((cp - 0x10000) & 0x3ff), 0xdc00 + ((last - 0x10000) & 0x3ff));
      lows.set(high, ranges);
      cp = last + 1;
    }
  }
  // Consecutive high surrogates whose low halves are all of them share one alternative.
  const out: string[] = [];
  let fullFrom = -1;
  let fullTo = -1;
  const flush = (): void => {
    if (fullFrom >= 0) out.push(`${bmpClass([fullFrom, fullTo])}[\\udc00-\\udfff]`);
    fullFrom = -1;
  };
  for (const [high, ranges] of lows) {
    if (ranges.length === 2 && ranges[0] === 0xdc00 && ranges[1] === 0xdfff) {
      if (fullFrom >= 0 && high === fullTo + 1) fullTo = high;
      else {
        flush();
        fullFrom = fullTo = high;
      }
      continue;
    }
    flush();
    out.push(`${hex(high)}${bmpClass(ranges)}`);
  }
  flush();
  return out;
}

/** The set as a JavaScript regex atom without the `u` flag (one class, or a group of alternatives, pairs first). */
export function toSource(set: CodePointSet): string {
  // Surrogates match only as pairs: a class never takes half of one (lone surrogates match nothing).
  const bmp = intersect(set, [0, 0xd7ff, 0xe000, 0xffff]);
  const astral = intersect(set, [0x10000, MAX_CODE_POINT]);
  if (astral.length === 0) return bmp.length === 2 && bmp[0] === bmp[1] ? unit(bmp[0]) : bmpClass(bmp);
  // A class of everything but a few code units is shorter negated.
  const missing = intersect(complement(bmp), [0, 0xffff]);
  const units = missing.length < bmp.length ? bmpClass(missing, true) : bmpClass(bmp);
  const alternatives = astralAlternatives(astral);
  if (bmp.length > 0) alternatives.push(units);
  return `(?:${alternatives.join('|')})`;
}
