// The linear engine tries a class range by range, so a Unicode class (\p{L}: some 700 ranges)
// costs microseconds per input character. A pattern only tells its characters apart by the classes
// they fall in, so the input is rewritten first: every non-ASCII character becomes one private-use
// code unit standing for all the characters the pattern's classes treat alike (a character beyond
// the BMP becomes that unit and a filler, keeping every index), and the classes become a few of
// those units. ASCII and the line terminators the translation writes out stay themselves.
import { type CodePointSet, MAX_CODE_POINT } from './code-point-set.js';

const BASE = 0xe000; // the first stand-in
const FILLER = 0xf8ff; // the second unit of a character beyond the BMP
const LONE = 0xf8fe; // a lone surrogate: in no class, as before
const KEPT = [0x85, 0x2028, 0x2029]; // written literally by the translation (line terminators)

/** Whether a pattern's classes are large enough for the rewriting to pay. */
export const worthRemapping = (sets: CodePointSet[]): boolean => sets.some((s) => s.length > 32);

function has(set: CodePointSet, cp: number): boolean {
  let lo = 0;
  let hi = set.length / 2 - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (cp < set[2 * mid]) hi = mid - 1;
    else if (cp > set[2 * mid + 1]) lo = mid + 1;
    else return true;
  }
  return false;
}

const unit = (u: number): string => `\\u${u.toString(16).padStart(4, '0')}`;

export interface Remap {
  /** The input as the remapped pattern reads it (same length). */
  map: (s: string) => string;
  /** The JavaScript atom for one of the pattern's sets over the rewritten input. */
  source: (set: CodePointSet) => string;
}

/** The rewriting for a pattern's sets; undefined when they split the characters into too many kinds. */
export function remap(sets: CodePointSet[]): Remap | undefined {
  const cuts = new Set<number>([0x80, 0xd800, 0xe000, 0x10000, MAX_CODE_POINT + 1]);
  for (const k of KEPT) cuts.add(k).add(k + 1);
  for (const set of sets) for (let i = 0; i < set.length; i += 2) cuts.add(Math.max(set[i], 0x80)).add(set[i + 1] + 1);
  const starts = [...cuts].filter((c) => c >= 0x80 && c <= MAX_CODE_POINT).sort((a, b) => a - b);
  const units = new Uint16Array(starts.length);
  const kinds = new Map<string, number>();
  const members: { unit: number; astral: boolean; sets: boolean[] }[] = [];
  for (let j = 0; j < starts.length; j++) {
    const cp = starts[j];
    if (KEPT.includes(cp)) {
      units[j] = cp;
      continue;
    }
    if (cp >= 0xd800 && cp <= 0xdfff) {
      units[j] = LONE;
      continue;
    }
    const inSets = sets.map((s) => has(s, cp));
    const key = `${cp > 0xffff ? 'a' : 'b'}${inSets.map(Number).join('')}`;
    let u = kinds.get(key);
    if (u === undefined) {
      u = BASE + kinds.size;
      if (u >= LONE) return undefined;
      kinds.set(key, u);
      members.push({ unit: u, astral: cp > 0xffff, sets: inSets });
    }
    units[j] = u;
  }
  const find = (cp: number): number => {
    let lo = 0;
    let hi = starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (starts[mid] <= cp) lo = mid;
      else hi = mid - 1;
    }
    return units[lo];
  };
  const map = (s: string): string => {
    const out = new Uint16Array(s.length);
    for (let i = 0; i < s.length; i++) {
      const c = s.charCodeAt(i);
      if (c < 0x80) out[i] = c;
      else if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length && (s.charCodeAt(i + 1) & 0xfc00) === 0xdc00) {
        out[i] = find(0x10000 + ((c - 0xd800) << 10) + (s.charCodeAt(i + 1) - 0xdc00));
        out[++i] = FILLER;
      } else out[i] = find(c);
    }
    let text = '';
    for (let i = 0; i < out.length; i += 0x2000) text += String.fromCharCode(...out.subarray(i, i + 0x2000));
    return text;
  };
  const source = (set: CodePointSet): string => {
    const index = sets.indexOf(set);
    let bmp = '';
    for (let i = 0; i < set.length && set[i] < 0x80; i += 2) bmp += `${unit(set[i])}-${unit(Math.min(set[i + 1], 0x7f))}`;
    for (const k of KEPT) if (has(set, k)) bmp += unit(k);
    let astral = '';
    for (const m of members) if (m.sets[index]) (m.astral ? (astral += unit(m.unit)) : (bmp += unit(m.unit)));
    if (!astral) return `[${bmp}]`;
    return `(?:[${astral}]${unit(FILLER)}${bmp ? `|[${bmp}]` : ''})`;
  };
  return { map, source };
}
