// Java's regular expressions as mapping templates use them (String.matches, replaceAll,
// replaceFirst, split): the Java syntax translated to a JavaScript source the linear-time engine
// runs (userRegExp), and Java's replacement-string and split rules.
//
// Flags — (?i) (ASCII case folding, Unicode with u), (?s), (?m), (?d), (?x), also mid-pattern,
// turned off with (?-i), and scoped as Java scopes them ((?i:…), or to the end of the enclosing
// group) — are applied while translating, since the linear engine has no `i` flag and JavaScript's
// flags hold for the whole pattern. Classes, with Java's unions, intersections and \p{…}
// properties, become one flat class (java-char-class.ts). `.` stops at every Java line terminator.
// A `$` that ends the pattern matches before a final line terminator, as Java's: it captures that
// terminator in a group of its own, which the match then gives back. Patterns with large classes
// run over a rewritten input (java-remap.ts), as the linear engine pays per range. Possessive
// quantifiers and atomic groups run as greedy ones (they differ only when backtracking into them
// would change the match).
import { isLinear, userRegExp } from '../core/linear-regex.js';
import { remap as remapFor, worthRemapping } from './java-remap.js';
import { type CodePointSet, ALL, complement, fromRanges, single, toSource } from './code-point-set.js';
import { type CharFlags, fold, parseClass, parseEscape, skipComments } from './java-char-class.js';

/** Java's inline flags, by their letters. */
interface Flags {
  i: boolean; d: boolean; m: boolean; s: boolean; u: boolean; x: boolean; U: boolean;
}

const TERMINATORS = fromRanges([0x0a, 0x0a, 0x0d, 0x0d, 0x85, 0x85, 0x2028, 0x2029]);
const DOT = complement(TERMINATORS);
const DOT_UNIX = complement(single(0x0a));
const LINE_BREAK = '(?:\\r\\n|[\\n\\x0b\\f\\r\\x85\\u2028\\u2029])';
const FINAL = '(?:\\r\\n|[\\n\\r\\x85\\u2028\\u2029])';

const charFlags = (f: Flags): CharFlags => ({ fold: !f.i ? 'none' : f.u || f.U ? 'unicode' : 'ascii', comments: f.x });

/** A Java pattern translated: the JavaScript source and flags, and the groups that hold a final `$`'s line terminator. */
export interface Translation {
  source: string;
  flags: string;
  /** JavaScript group numbers that are not Java's: each a line terminator a final `$` stood before. */
  tails: number[];
}

/**
 * A Java pattern as JavaScript; a SyntaxError where Java throws PatternSyntaxException or the
 * construct is not modelled. `whole` (String.matches) needs no give-back of a final terminator.
 */
export function translateJavaRegex(java: string, mode: 'find' | 'whole' = 'find'): Translation {
  const { source, flags, tails, sets } = translateWithSets(java, mode);
  return { source: writeSets(source, sets, toSource), flags, tails };
}

/** The translation with each class as a placeholder for the set at its index, to be written by writeSets. */
function translateWithSets(java: string, mode: 'find' | 'whole'): Translation & { sets: CodePointSet[]; captures: number } {
  const plain = translate(java, mode, false);
  return plain.multiline ? translate(java, mode, true) : plain;
}

const PLACEHOLDER = /\u0001(\d+)\u0002/g;
const writeSets = (source: string, sets: CodePointSet[], write: (set: CodePointSet) => string): string =>
  source.replace(PLACEHOLDER, (_, k: string) => write(sets[Number(k)]));

function translate(java: string, mode: 'find' | 'whole', jsMultiline: boolean): Translation & { multiline: boolean; sets: CodePointSet[]; captures: number } {
  let flags: Flags = { i: false, d: false, m: false, s: false, u: false, x: false, U: false };
  const open: Flags[] = []; // the flags in force where each open group began
  const groups: number[] = [0]; // Java group n is JavaScript group groups[n]
  const tails: number[] = [];
  let jsGroups = 0;
  let multiline = false;
  let out = '';
  const sets: CodePointSet[] = [];
  const emit = (set: CodePointSet): string => `\u0001${sets.push(set) - 1}\u0002`;
  const literal = (cp: number): string => emit(fold(single(cp), charFlags(flags)));
  const terminators = (): string => (flags.d ? '\\n' : FINAL);
  const inputEnd = (): string => (jsMultiline ? '(?![\\s\\S])' : '$');
  const finalEnd = (at: number): string => {
    if (jsMultiline) return `(?=${terminators()}?(?![\\s\\S]))`;
    if (mode === 'whole' || !nothingFollows(java, at)) return '$';
    tails.push(++jsGroups);
    return `(?:$|(${terminators()})$)`;
  };
  let i = 0;
  while (i < java.length) {
    const skipped = skipComments(java, i, charFlags(flags));
    if (skipped !== i) {
      i = skipped;
      continue;
    }
    const c = java[i];
    if (c === '\\') {
      const n = java[i + 1];
      if (n === 'Q') {
        const end = java.indexOf('\\E', i + 2);
        for (const ch of java.slice(i + 2, end < 0 ? java.length : end)) out += literal(ch.codePointAt(0)!);
        i = end < 0 ? java.length : end + 2;
        continue;
      }
      const escape = parseEscape(java, i, charFlags(flags));
      if (escape) {
        out += 'set' in escape ? emit(escape.set) : literal(escape.cp);
        i = escape.end;
        continue;
      }
      if (/[1-9]/.test(n)) {
        // Java reads further digits while they still name a group opened so far.
        let ref = Number(n);
        i += 2;
        while (i < java.length && /[0-9]/.test(java[i]) && ref * 10 + Number(java[i]) < groups.length) ref = ref * 10 + Number(java[i++]);
        out += ref < groups.length ? `\\${groups[ref]}` : '[]'; // a group that does not exist matches nothing
        continue;
      }
      if (n === 'k' && java[i + 2] === '<') {
        const close = java.indexOf('>', i);
        out += java.slice(i, close + 1);
        i = close + 1;
        continue;
      }
      const anchor = { A: jsMultiline ? '(?<![\\s\\S])' : '^', z: inputEnd(), b: '\\b', B: '\\B', R: LINE_BREAK }[n as 'A'];
      if (n === 'Z') out += finalEnd(i + 2);
      else if (anchor !== undefined && !(n === 'b' && java[i + 2] === '{')) out += anchor;
      else throw new SyntaxError(`Illegal/unsupported escape sequence near index ${i + 1}`);
      i += 2;
      continue;
    }
    if (c === '[') {
      const cls = parseClass(java, i, charFlags(flags));
      out += emit(cls.set);
      i = cls.end;
      continue;
    }
    if (c === '(') {
      const inline = /^\(\?([idmsuxU]*)(?:-([idmsuxU]*))?([:)])/.exec(java.slice(i));
      if (inline && (inline[1] || inline[2] !== undefined || inline[3] === ':')) {
        const next = { ...flags };
        for (const f of inline[1]) next[f as keyof Flags] = true;
        for (const f of inline[2] ?? '') next[f as keyof Flags] = false;
        if (inline[3] === ':') {
          open.push(flags);
          out += '(?:';
        }
        flags = next;
        i += inline[0].length;
        continue;
      }
      open.push(flags);
      const group = /^\((\?(?:<[a-zA-Z][a-zA-Z0-9]*>|[=!>]|<[=!]))?/.exec(java.slice(i))![0];
      if (group === '(?' || (group === '(' && java[i + 1] === '?')) throw new SyntaxError(`Unknown inline modifier near index ${i + 2}`);
      if (group === '(' || group.startsWith('(?<') && /[a-zA-Z]/.test(group[3])) groups.push(++jsGroups);
      out += group === '(?>' ? '(?:' : group;
      i += group.length;
      continue;
    }
    if (c === ')') {
      const restored = open.pop();
      if (!restored) throw new SyntaxError(`Unmatched closing ')' near index ${i - 1}`);
      flags = restored;
      out += ')';
      i++;
      continue;
    }
    if (c === '*' || c === '+' || c === '?' || c === '{') {
      const quantifier = /^(?:[*+?]|\{\d+(?:,\d*)?\})/.exec(java.slice(i));
      if (!quantifier) throw new SyntaxError(`Illegal repetition near index ${i}`);
      out += quantifier[0];
      i += quantifier[0].length;
      if (java[i] === '?') out += java[i++]; // lazy
      else if (java[i] === '+') i++; // possessive, run as greedy
      continue;
    }
    if (c === '^' || c === '$') {
      if (flags.m) multiline = true;
      out += flags.m ? c : c === '^' ? (jsMultiline ? '(?<![\\s\\S])' : '^') : finalEnd(i + 1);
      i++;
      continue;
    }
    if (c === '.') out += emit(flags.s ? ALL : flags.d ? DOT_UNIX : DOT);
    else if (c === '|') out += c;
    else {
      const cp = java.codePointAt(i)!;
      out += literal(cp);
      i += cp > 0xffff ? 2 : 1;
      continue;
    }
    i++;
  }
  if (open.length > 0) throw new SyntaxError(`Unclosed group near index ${java.length}`);
  return { source: out, flags: jsMultiline ? 'm' : '', tails, multiline, sets, captures: jsGroups - tails.length };
}

/** Whether nothing that consumes input can follow java[at] (the rest is closing groups and other alternatives). */
function nothingFollows(java: string, at: number): boolean {
  let i = at;
  while (i < java.length) {
    const c = java[i];
    if (c === ')' || c === '$') i++;
    else if (/^\\[zZ]/.test(java.slice(i, i + 2))) i += 2;
    else if (/[*+?]/.test(c) && java[i - 1] === ')') i++;
    else if (c === '|') {
      i = closeOfGroup(java, i);
      if (i >= java.length) return true;
    } else return false;
  }
  return true;
}

/** The index of the ')' closing the group java[at] is in (java.length at the top level). */
function closeOfGroup(java: string, at: number): number {
  let depth = 0;
  let inClass = 0;
  for (let i = at; i < java.length; i++) {
    const c = java[i];
    if (c === '\\') i++;
    else if (c === '[') inClass++;
    else if (c === ']' && inClass > 0) inClass--;
    else if (inClass > 0) continue;
    else if (c === '(') depth++;
    else if (c === ')' && depth-- === 0) return i;
  }
  return java.length;
}

interface Compiled {
  re: RegExp;
  tails: number[];
  /** Large classes: the regex over the rewritten input (java-remap.ts) that finds the matches. */
  remapped?: { re: RegExp; map: (s: string) => string; groups: boolean };
}

const compiled = new Map<string, Compiled>();
const MAX_CACHED = 512;

function compile(pattern: string, mode: 'find' | 'global' | 'whole'): Compiled {
  const key = `${mode}/${pattern}`;
  let c = compiled.get(key);
  if (!c) {
    const { source, flags, tails, sets, captures } = translateWithSets(pattern, mode === 'whole' ? 'whole' : 'find');
    const anchored = (src: string): string => {
      if (mode !== 'whole') return src;
      return flags.includes('m') ? `(?<![\\s\\S])(?:${src})(?![\\s\\S])` : `^(?:${src})$`;
    };
    const jsFlags = mode === 'global' ? `${flags}g` : flags;
    c = { re: userRegExp(anchored(writeSets(source, sets, toSource)), jsFlags), tails };
    // Backreferences and lookarounds run on the backtracking engine, whose classes cost nothing per range.
    const remap = mode !== 'find' && isLinear(c.re) && worthRemapping(sets) ? remapFor(sets) : undefined;
    if (remap) {
      const re = userRegExp(anchored(writeSets(source, sets, remap.source)), jsFlags);
      if (isLinear(re)) c.remapped = { re, map: remap.map, groups: captures > 0 };
    }
    if (compiled.size >= MAX_CACHED) compiled.clear();
    compiled.set(key, c);
  }
  c.re.lastIndex = 0;
  if (c.remapped) c.remapped.re.lastIndex = 0;
  return c;
}

/** A Java pattern compiled (once) for the linear engine; `mode` anchors it (matches) or makes it global. */
export function javaRegExp(pattern: string, mode: 'find' | 'global' | 'whole'): RegExp {
  return compile(pattern, mode).re;
}

/** String.matches: the whole string. */
export function javaMatches(s: string, pattern: string): boolean {
  const { re, remapped } = compile(pattern, 'whole');
  return remapped ? remapped.re.test(remapped.map(s)) : re.test(s);
}

/** The subject as the compiled pattern reads it. */
const subject = (p: Compiled, s: string): string => (p.remapped ? p.remapped.map(s) : s);

/**
 * The next match in `s` (read as `read`, from subject()) with Java's groups only, a final `$`'s line
 * terminator given back. Over a rewritten input a match with groups is run again on `s` from where it
 * starts, the one way to learn where its groups are; the same regex gives the same match there.
 */
function execJava(p: Compiled, s: string, read: string): RegExpExecArray | null {
  const driver = p.remapped?.re ?? p.re;
  let m = driver.exec(read);
  if (m && p.remapped) {
    if (p.remapped.groups) {
      p.re.lastIndex = m.index;
      const again = p.re.exec(s);
      if (again?.index !== m.index) throw new Error('Internal error: the rewritten pattern disagrees with the pattern');
      m = again;
    } else m[0] = s.slice(m.index, m.index + m[0].length);
  }
  if (!m || p.tails.length === 0) return m;
  const { tails } = p;
  const out = Object.assign(m.filter((_, k) => !tails.includes(k)), { index: m.index, input: s, groups: m.groups });
  const tail = tails.find((k) => m[k] !== undefined);
  if (tail !== undefined) {
    out[0] = m[0].slice(0, m[0].length - m[tail].length);
    if (driver.global) driver.lastIndex = m.index + out[0].length;
  }
  return out as RegExpExecArray;
}

/** Java's Matcher.appendReplacement rules: $n and ${name} are groups, \x is x; anything else is an error. */
function expandReplacement(replacement: string, match: RegExpExecArray): string {
  let out = '';
  const groupCount = match.length - 1;
  for (let i = 0; i < replacement.length; i++) {
    const c = replacement[i];
    if (c === '\\') {
      if (++i >= replacement.length) throw new Error('character to be escaped is missing');
      out += replacement[i];
    } else if (c === '$') {
      if (++i >= replacement.length) throw new Error('Illegal group reference: group index is missing');
      if (replacement[i] === '{') {
        const close = replacement.indexOf('}', i);
        const name = replacement.slice(i + 1, close);
        if (close < 0 || !match.groups || !Object.hasOwn(match.groups, name)) throw new Error(`No group with name {${name}}`);
        out += match.groups[name] ?? '';
        i = close;
        continue;
      }
      let ref = replacement.charCodeAt(i) - 48;
      if (ref < 0 || ref > 9) throw new Error('Illegal group reference');
      // Further digits join the number while it still names a group, as in Java.
      while (i + 1 < replacement.length) {
        const d = replacement.charCodeAt(i + 1) - 48;
        if (d < 0 || d > 9 || ref * 10 + d > groupCount) break;
        ref = ref * 10 + d;
        i++;
      }
      if (ref > groupCount) throw new Error(`No group ${ref}`);
      out += match[ref] ?? '';
    } else out += c;
  }
  return out;
}

/** String.replaceAll / replaceFirst. */
export function javaReplace(s: string, pattern: string, replacement: string, all: boolean): string {
  const p = compile(pattern, 'global');
  const read = subject(p, s);
  let out = '';
  let last = 0;
  for (let m = execJava(p, s, read); m; m = all ? execJava(p, s, read) : null) {
    out += s.slice(last, m.index) + expandReplacement(replacement, m);
    last = m.index + m[0].length;
    if (m[0].length === 0) (p.remapped?.re ?? p.re).lastIndex = m.index + 1; // past s's end, exec then finds nothing
  }
  return out + s.slice(last);
}

/** String.split(regex[, limit]): no leading empty piece for a zero-width match; trailing empties dropped when limit is 0. */
export function javaSplit(s: string, pattern: string, limit = 0): string[] {
  const p = compile(pattern, 'global');
  const read = subject(p, s);
  const pieces: string[] = [];
  let index = 0;
  for (let m = execJava(p, s, read); m; m = execJava(p, s, read)) {
    const end = m.index + m[0].length;
    if (m[0].length === 0) (p.remapped?.re ?? p.re).lastIndex = m.index + 1;
    if (m[0].length === 0 && m.index === 0) continue;
    if (limit > 0 && pieces.length >= limit - 1) break;
    pieces.push(s.slice(index, m.index));
    index = end;
  }
  if (index === 0 && pieces.length === 0) return [s];
  pieces.push(s.slice(index));
  if (limit === 0) while (pieces.length > 0 && pieces[pieces.length - 1] === '') pieces.pop();
  return pieces;
}
