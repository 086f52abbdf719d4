// Regular expressions from user configuration, run by V8's linear-time engine (the `l` flag)
// rather than its backtracking one. Every request shares the server's one thread, so a pattern
// such as (a+)+$ or a*a*a*a*b evaluated against a long header or message would otherwise stall
// every API and function for minutes or hours.
//
// The linear engine refuses counts above 16 (X{17}); those are split into runs with the same
// language (X{40} is X{16}X{16}X{8}), a group counting as one atom. It cannot run backreferences,
// lookarounds, very large nested counts or the `u` flag: userRegExp then decides (see there).
import v8 from 'node:v8';

v8.setFlagsFromString('--enable-experimental-regexp-engine');

const MAX_COUNT = 16;

/** `source` compiled for the linear engine; a SyntaxError when it is not a regex that engine runs. */
export function linearRegExp(source: string, flags = ''): RegExp {
  return new RegExp(splitCounts(source), `${flags}l`);
}

/** Whether a compiled regex runs on the linear engine. */
export const isLinear = (re: RegExp): boolean => re.flags.includes('l');

/**
 * A regex from user configuration: on the linear engine whenever it can run it, else (backreferences,
 * lookarounds, huge nested counts: what AWS's Java regexes accept) on the backtracking engine so the
 * configuration keeps working. A SyntaxError when `source` is no regex at all under `flags`.
 *
 * With the `u` flag (JSON-schema patterns) the linear engine runs the pattern without it when the
 * source uses nothing `u` gives a meaning (\p{…}, \u{…}, characters beyond the BMP); the one
 * difference left is that `.` and negated classes then match half of a surrogate pair.
 */
export function userRegExp(source: string, flags = ''): RegExp {
  const checked = new RegExp(source, flags); // the syntax check; never run
  const unicode = flags.includes('u');
  if (unicode && UNICODE_ONLY.test(source)) return checked;
  try {
    return linearRegExp(source, unicode ? flags.replace('u', '') : flags);
  } catch {
    return checked;
  }
}

const UNICODE_ONLY = /\\[pP]\{|\\u\{|[\uD800-\uDFFF]/;

/** Rewrites X{m,n} with m or n above 16 into runs the linear engine accepts (same language). */
function splitCounts(source: string): string {
  let out = '';
  let atom = ''; // the last atom written, which a following quantifier repeats
  const groups: number[] = []; // where each open group starts in `out`
  for (let i = 0; i < source.length;) {
    const count = /^\{(\d+)(,(\d*))?\}(\??)/.exec(source.slice(i));
    if (count && atom) {
      const min = Number(count[1]);
      const max = count[2] === undefined ? min : count[3] === '' ? Infinity : Number(count[3]);
      const big = min > MAX_COUNT || (max > MAX_COUNT && max !== Infinity);
      out = big ? out.slice(0, out.length - atom.length) + runs(atom, min, max, count[4]) : out + count[0];
      atom = '';
      i += count[0].length;
      continue;
    }
    const c = source[i];
    let end = i + 1;
    if (c === '\\') end = i + (source[i + 1] === 'u' ? 6 : source[i + 1] === 'x' ? 4 : source[i + 1] === 'c' ? 3 : 2);
    else if (c === '[') {
      end = i + 1;
      while (end < source.length && source[end] !== ']') end += source[end] === '\\' ? 2 : 1;
      end++;
    }
    const token = source.slice(i, end);
    if (c === '(') {
      groups.push(out.length);
      atom = '';
    } else if (c === ')') {
      const start = groups.pop();
      atom = start === undefined ? '' : out.slice(start) + token;
    } else {
      atom = '^$|?*+'.includes(c) ? '' : token;
    }
    out += token;
    i = end;
  }
  return out;
}

function runs(atom: string, min: number, max: number, lazy: string): string {
  let out = '';
  for (let left = min; left > 0; left -= MAX_COUNT) out += `${atom}{${Math.min(left, MAX_COUNT)}}`;
  if (max === Infinity) return `${out}${atom}*${lazy}`;
  for (let left = max - min; left > 0; left -= MAX_COUNT) out += `${atom}{0,${Math.min(left, MAX_COUNT)}}${lazy}`;
  return out;
}
