// Java's regular expressions as mapping templates use them (String.matches, replaceAll,
// replaceFirst, split): the Java syntax translated to JavaScript's, compiled by userRegExp so it
// runs on the linear-time engine, and Java's replacement-string and split rules.
//
// Translated: leading inline flags (?i) (ASCII case folding, as Java's default) (?s) (?m), \Q…\E quoting, \A \z \Z, \h \v \R \e \a,
// ASCII-only \s and \S, the POSIX classes \p{Alpha} \p{Digit} \p{Alnum} \p{Upper} \p{Lower}
// \p{Punct} \p{Space} \p{XDigit} \p{Blank} \p{Cntrl} \p{Graph} \p{Print} \p{ASCII} (and \P{…}),
// possessive quantifiers and atomic groups (run as greedy ones, which differ only when
// backtracking into them would change the match). Not translated (documented): class unions and
// intersections ([a-z&&[^e]]), inline flags after the start, \p{…} Unicode categories, and `$`
// matching before a final line terminator.
import { userRegExp } from '../core/linear-regex.js';

const POSIX: Record<string, string> = {
  Lower: 'a-z', Upper: 'A-Z', ASCII: '\\x00-\\x7F', Alpha: 'a-zA-Z', Digit: '0-9', Alnum: 'a-zA-Z0-9',
  Punct: '!-\\/:-@\\[-`{-~', Graph: '!-~', Print: ' -~', Blank: ' \\t', Cntrl: '\\x00-\\x1F\\x7F',
  XDigit: '0-9a-fA-F', Space: ' \\t\\n\\x0B\\f\\r',
};
const SPACE = ' \\t\\n\\x0B\\f\\r';
const HSPACE = ' \\t\\xA0\\u1680\\u180E\\u2000-\\u200A\\u202F\\u205F\\u3000';
const VSPACE = '\\n\\x0B\\f\\r\\x85\\u2028\\u2029';

const escapeLiteral = (s: string): string => s.replace(/[\\^$.*+?()[\]{}|/-]/g, '\\$&');

/** A Java pattern as a JavaScript source and flags; a SyntaxError for what cannot be translated. */
export function translateJavaRegex(java: string): { source: string; flags: string } {
  let flags = '';
  let i = 0;
  const lead = /^\(\?([imsxudU]+)\)/.exec(java);
  if (lead) {
    for (const f of lead[1]) if ('ims'.includes(f) && !flags.includes(f)) flags += f;
    i = lead[0].length;
  }
  // The linear engine has no `i` flag; Java's CASE_INSENSITIVE is ASCII-only, so each ASCII letter
  // becomes a class of both cases, which is the same language.
  const fold = flags.includes('i');
  if (fold) flags = flags.replace('i', '');
  const letter = (ch: string, inClass: boolean): string => {
    if (!fold || !/[a-zA-Z]/.test(ch)) return ch;
    const both = ch + (ch === ch.toLowerCase() ? ch.toUpperCase() : ch.toLowerCase());
    return inClass ? both : `[${both}]`;
  };
  const letters = (text: string, inClass: boolean): string => (fold ? text.replace(/[a-zA-Z]/g, (ch) => letter(ch, inClass)) : text);
  // Under (?m) JavaScript's ^ and $ are per line, so the input's own edges need lookarounds.
  const [start, end] = flags.includes('m') ? ['(?<![\\s\\S])', '(?![\\s\\S])'] : ['^', '$'];
  let out = '';
  let inClass = false;
  while (i < java.length) {
    const c = java[i];
    if (c === '\\') {
      const n = java[i + 1];
      if (n === undefined) throw new SyntaxError('Unexpected internal error near index ' + java.length);
      if (n === 'Q') {
        const end = java.indexOf('\\E', i + 2);
        const quoted = java.slice(i + 2, end < 0 ? java.length : end);
        out += letters(escapeLiteral(quoted), inClass);
        i = end < 0 ? java.length : end + 2;
        continue;
      }
      if ((n === 'p' || n === 'P') && java[i + 2] === '{') {
        const close = java.indexOf('}', i + 3);
        const name = java.slice(i + 3, close < 0 ? java.length : close).replace(/^Is/, '');
        const set = Object.hasOwn(POSIX, name) ? POSIX[name] : undefined;
        if (set === undefined || close < 0) throw new SyntaxError(`Unsupported character property \\${n}{${name}}`);
        if (inClass && n === 'P') throw new SyntaxError(`Unsupported negated property inside a class: \\P{${name}}`);
        out += inClass ? set : `[${n === 'P' ? '^' : ''}${set}]`;
        i = close + 1;
        continue;
      }
      const single = inClass
        ? { s: SPACE, h: HSPACE, v: VSPACE, e: '\\x1B', a: '\\x07' }[n as 's' | 'h' | 'v' | 'e' | 'a']
        : {
          s: `[${SPACE}]`, S: `[^${SPACE}]`, h: `[${HSPACE}]`, H: `[^${HSPACE}]`, v: `[${VSPACE}]`, V: `[^${VSPACE}]`,
          R: `(?:\\r\\n|[${VSPACE}])`, e: '\\x1B', a: '\\x07', A: start, z: end, Z: `(?=[\\n\\r\\x85\\u2028\\u2029]?${end})`,
        }[n as 's'];
      // \xhh, \uhhhh, \cX and \k<name> are copied whole, so their letters are not folded.
      const whole = n === 'x' ? 4 : n === 'u' ? 6 : n === 'c' ? 3 : n === 'k' && java[i + 2] === '<' ? java.indexOf('>', i) + 1 - i : 2;
      out += single ?? java.slice(i, i + Math.max(whole, 2));
      i += Math.max(whole, 2);
      continue;
    }
    if (inClass) {
      if (c === ']') inClass = false;
      const range = fold && /[a-zA-Z]/.test(c) && java[i + 1] === '-' ? java[i + 2] : undefined;
      if (range !== undefined && /[a-zA-Z]/.test(range) && (c === c.toLowerCase()) === (range === range.toLowerCase())) {
        const swap = (x: string) => (x === x.toLowerCase() ? x.toUpperCase() : x.toLowerCase());
        out += `${c}-${range}${swap(c)}-${swap(range)}`;
        i += 3;
        continue;
      }
      out += letter(c, true);
      i++;
      continue;
    }
    if (c === '[') {
      inClass = true;
      out += c;
      i++;
      if (java[i] === '^') { out += '^'; i++; }
      if (java[i] === ']') { out += '\\]'; i++; } // Java: a leading ] is a literal
      continue;
    }
    if (c === '(' && java.startsWith('(?>', i)) {
      out += '(?:';
      i += 3;
      continue;
    }
    if (c === '(' && /^\(\?<[a-zA-Z]/.test(java.slice(i, i + 4))) { // a group name, not folded
      const close = java.indexOf('>', i);
      out += java.slice(i, close + 1);
      i = close + 1;
      continue;
    }
    out += letter(c, false);
    i++;
    // A possessive quantifier (X*+, X++, X?+, X{n}+) runs as the greedy one.
    if ((c === '*' || c === '+' || c === '?' || c === '}') && java[i] === '+' && isQuantifier(out)) i++;
  }
  return { source: out, flags };
}

/** Whether the character just written ends a quantifier (rather than being an escaped literal). */
function isQuantifier(out: string): boolean {
  let backslashes = 0;
  for (let j = out.length - 2; j >= 0 && out[j] === '\\'; j--) backslashes++;
  return backslashes % 2 === 0 && (out.at(-1) !== '}' || /\{\d+(,\d*)?\}$/.test(out));
}

const compiled = new Map<string, RegExp>();
const MAX_CACHED = 512;

/** A Java pattern compiled (once) for the linear engine; `mode` anchors it (matches) or makes it global. */
export function javaRegExp(pattern: string, mode: 'find' | 'global' | 'whole'): RegExp {
  const key = `${mode}/${pattern}`;
  let re = compiled.get(key);
  if (!re) {
    const { source, flags } = translateJavaRegex(pattern);
    const whole = flags.includes('m') ? `(?<![\\s\\S])(?:${source})(?![\\s\\S])` : `^(?:${source})$`;
    re = userRegExp(mode === 'whole' ? whole : source, mode === 'global' ? `${flags}g` : flags);
    if (compiled.size >= MAX_CACHED) compiled.clear();
    compiled.set(key, re);
  }
  re.lastIndex = 0;
  return re;
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
  const re = javaRegExp(pattern, 'global');
  let out = '';
  let last = 0;
  for (let m = re.exec(s); m; m = all ? re.exec(s) : null) {
    out += s.slice(last, m.index) + expandReplacement(replacement, m);
    last = m.index + m[0].length;
    if (m[0].length === 0) re.lastIndex = m.index + 1; // past s's end, exec then finds nothing
  }
  return out + s.slice(last);
}

/** String.split(regex[, limit]): no leading empty piece for a zero-width match; trailing empties dropped when limit is 0. */
export function javaSplit(s: string, pattern: string, limit = 0): string[] {
  const re = javaRegExp(pattern, 'global');
  const pieces: string[] = [];
  let index = 0;
  for (let m = re.exec(s); m; m = re.exec(s)) {
    const end = m.index + m[0].length;
    if (m[0].length === 0) re.lastIndex = m.index + 1;
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
