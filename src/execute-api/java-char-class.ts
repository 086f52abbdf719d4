// Java's character classes and escapes as code-point sets: [a-z[0-9]] (union), [a-z&&[^aeiou]]
// (intersection, weaker than union), [^…] negating the whole class with its nested parts (Java 9
// and later), \d \w \s \h \v and their negations, \p{…} / \P{…}, and the escapes that name one
// character (\t, \x{1F600}, \u00e9, \0101, \cA…), folded under CASE_INSENSITIVE as Java folds.
import {
  type CodePointSet, complement, foldAscii, foldUnicode, fromRanges, intersect, range, union,
} from './code-point-set.js';
import { javaProperty } from './java-properties.js';

export interface CharFlags {
  /** CASE_INSENSITIVE: 'ascii' by default, 'unicode' with UNICODE_CASE. */
  fold: 'none' | 'ascii' | 'unicode';
  /** COMMENTS: whitespace and #… comments are ignored. */
  comments: boolean;
}

/** A parsed escape: one code point, or a set (\d, \p{L}…); `end` is the index after it. */
export type Escape = { cp: number; end: number } | { set: CodePointSet; end: number };

const SPACE = fromRanges([0x20, 0x20, 0x09, 0x0d]);
const HSPACE = fromRanges([0x20, 0x20, 0x09, 0x09, 0xa0, 0xa0, 0x1680, 0x1680, 0x180e, 0x180e, 0x2000, 0x200a, 0x202f, 0x202f, 0x205f, 0x205f, 0x3000, 0x3000]);
const VSPACE = fromRanges([0x0a, 0x0d, 0x85, 0x85, 0x2028, 0x2029]);
const DIGIT = range(0x30, 0x39);
const WORD = fromRanges([0x30, 0x39, 0x41, 0x5a, 0x5f, 0x5f, 0x61, 0x7a]);
const SETS: Record<string, CodePointSet> = { d: DIGIT, w: WORD, s: SPACE, h: HSPACE, v: VSPACE };
const CONTROL: Record<string, number> = { t: 9, n: 10, r: 13, f: 12, a: 7, e: 27 };

export function fold(set: CodePointSet, flags: CharFlags): CodePointSet {
  return flags.fold === 'none' ? set : flags.fold === 'ascii' ? foldAscii(set) : foldUnicode(foldAscii(set));
}

const hexAt = (java: string, start: number, end: number): number => {
  const digits = java.slice(start, end);
  if (!/^[0-9a-fA-F]+$/.test(digits)) throw new SyntaxError(`Illegal hexadecimal escape sequence near index ${start}`);
  return parseInt(digits, 16);
};

/**
 * The escape at java[i] === '\\' when it names a character or a set; undefined for the others
 * (anchors, backreferences, \Q, \R…), which only the caller knows. Letters Java does not know are an error.
 */
export function parseEscape(java: string, i: number, flags: CharFlags): Escape | undefined {
  const n = java[i + 1];
  if (n === undefined) throw new SyntaxError(`Unexpected internal error near index ${java.length}`);
  const lower = n.toLowerCase();
  if (Object.hasOwn(SETS, lower)) return { set: n === lower ? SETS[lower] : complement(SETS[lower]), end: i + 2 };
  if (n === 'p' || n === 'P') {
    const braced = java[i + 2] === '{';
    const close = braced ? java.indexOf('}', i + 3) : i + 3;
    if (close < 0 || i + 3 > java.length) throw new SyntaxError(`Unclosed character family near index ${java.length}`);
    const set = javaProperty(braced ? java.slice(i + 3, close) : java[i + 2], flags.fold !== 'none');
    return { set: n === 'P' ? complement(set) : set, end: braced ? close + 1 : i + 3 };
  }
  if (Object.hasOwn(CONTROL, n)) return { cp: CONTROL[n], end: i + 2 };
  if (n === 'x') {
    if (java[i + 2] !== '{') return { cp: hexAt(java, i + 2, i + 4), end: i + 4 };
    const close = java.indexOf('}', i + 3);
    const cp = hexAt(java, i + 3, close < 0 ? java.length : close);
    if (close < 0 || cp > 0x10ffff) throw new SyntaxError(`Hexadecimal codepoint is too big near index ${i}`);
    return { cp, end: close + 1 };
  }
  if (n === 'u') {
    const cp = hexAt(java, i + 2, i + 6);
    // Java joins an escaped surrogate pair into one code point.
    if (cp >= 0xd800 && cp <= 0xdbff && java.startsWith('\\u', i + 6)) {
      const low = hexAt(java, i + 8, i + 12);
      if (low >= 0xdc00 && low <= 0xdfff) return { cp: 0x10000 + ((cp - 0xd800) << 10) + (low - 0xdc00), end: i + 12 };
    }
    return { cp, end: i + 6 };
  }
  if (n === '0') {
    const octal = /^[0-7]{1,3}/.exec(java.slice(i + 2))?.[0] ?? '';
    const digits = octal.length === 3 && octal[0] > '3' ? octal.slice(0, 2) : octal;
    if (digits === '') throw new SyntaxError(`Illegal octal escape sequence near index ${i + 2}`);
    return { cp: parseInt(digits, 8), end: i + 2 + digits.length };
  }
  if (n === 'c') {
    if (i + 2 >= java.length) throw new SyntaxError(`Illegal control escape sequence near index ${i + 2}`);
    return { cp: java.charCodeAt(i + 2) ^ 64, end: i + 3 };
  }
  if (/[a-zA-Z0-9]/.test(n)) return undefined;
  const cp = java.codePointAt(i + 1)!;
  return { cp, end: i + 1 + (cp > 0xffff ? 2 : 1) };
}

/** Past whitespace and #… comments (to the end of the line) under COMMENTS. */
export function skipComments(java: string, i: number, flags: CharFlags): number {
  if (!flags.comments) return i;
  while (i < java.length) {
    if (/\s/.test(java[i])) i++;
    else if (java[i] === '#') while (i < java.length && java[i] !== '\n') i++;
    else break;
  }
  return i;
}

/** One character of a class: an escape or a literal, at java[i]. */
function classAtom(java: string, i: number, flags: CharFlags): Escape {
  if (java[i] !== '\\') {
    const cp = java.codePointAt(i)!;
    return { cp, end: i + (cp > 0xffff ? 2 : 1) };
  }
  if (java[i + 1] === 'Q') throw new SyntaxError(`\\Q inside a class is not supported near index ${i}`);
  const escape = parseEscape(java, i, flags);
  if (!escape) throw new SyntaxError(`Illegal/unsupported escape sequence near index ${i + 1}`);
  return escape;
}

/** The class opening at java[i] === '[' as a set; `end` is the index after its ']'. */
export function parseClass(java: string, i: number, flags: CharFlags): { set: CodePointSet; end: number } {
  let at = i + 1;
  const negated = java[at] === '^';
  if (negated) at++;
  const operands: CodePointSet[] = [];
  let parts: CodePointSet[] = [];
  let started = false; // a ] before anything else is a literal
  for (;;) {
    at = skipComments(java, at, flags);
    if (at >= java.length) throw new SyntaxError(`Unclosed character class near index ${java.length - 1}`);
    const c = java[at];
    if (c === ']' && started) break;
    started = true;
    if (c === '[') {
      const nested = parseClass(java, at, flags);
      parts.push(nested.set);
      at = nested.end;
      continue;
    }
    if (c === '&' && java[at + 1] === '&') {
      if (parts.length > 0) operands.push(union(...parts));
      parts = [];
      at += 2;
      continue;
    }
    const atom = classAtom(java, at, flags);
    at = atom.end;
    if ('set' in atom) {
      parts.push(atom.set);
      continue;
    }
    let last = atom.cp;
    const dash = skipComments(java, at, flags);
    if (java[dash] === '-' && java[dash + 1] !== ']' && java[dash + 1] !== '[' && dash + 1 < java.length) {
      const to = classAtom(java, skipComments(java, dash + 1, flags), flags);
      if ('set' in to || to.cp < atom.cp) throw new SyntaxError(`Illegal character range near index ${to.end - 1}`);
      last = to.cp;
      at = to.end;
    }
    parts.push(fold(range(atom.cp, last), flags));
  }
  if (parts.length > 0) operands.push(union(...parts));
  if (operands.length === 0) throw new SyntaxError(`Bad class syntax near index ${at}`);
  const set = operands.reduce((a, b) => intersect(a, b));
  return { set: negated ? complement(set) : set, end: at + 1 };
}
