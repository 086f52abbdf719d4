// Regular expressions from filter patterns, run by V8's linear-time engine (the `l` flag) rather
// than its backtracking one: a pattern such as %a*a*a*b% against a long message would otherwise
// keep the server's one thread busy for hours. AWS's regex subset has no groups or backreferences,
// so the linear engine runs all of it once counted repetitions are split into runs of at most 16,
// the largest count it takes (X{40} is X{16}X{16}X{8}; every quantifier applies to one atom).
import v8 from 'node:v8';

v8.setFlagsFromString('--enable-experimental-regexp-engine');

const MAX_COUNT = 16;

/** `source` compiled for the linear engine; a SyntaxError when it is not a regex that engine runs. */
export function linearRegExp(source: string, flags = ''): RegExp {
  return new RegExp(splitCounts(source), `${flags}l`);
}

/** Rewrites X{m,n} with m or n above 16 into runs the linear engine accepts (same language). */
function splitCounts(source: string): string {
  let out = '';
  let atom = ''; // the last atom written, which a following quantifier repeats
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
    out += token;
    atom = '^$|?*+'.includes(c) ? '' : token;
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
