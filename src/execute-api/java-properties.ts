// Java's character properties, \p{name}, as code-point sets, resolved in Pattern's order: name=value
// (script, block, general_category), In<Block>, Is<binary property | category | POSIX | script>, and
// plain names (categories, the ASCII POSIX classes, java<Method> for java.lang.Character's
// predicates). An unknown name is a SyntaxError, as Java's PatternSyntaxException. The Unicode data
// is Node's (categories, scripts, binary properties) and Unicode 14's blocks.
import {
  type CodePointSet, ALL, complement, fromProperty, fromRanges, intersect, range, union,
} from './code-point-set.js';
import { UNICODE_BLOCKS } from './unicode-blocks.js';

const gc = (...names: string[]): CodePointSet => union(...names.map((n) => fromProperty(`\\p{gc=${n}}`)));
const prop = (name: string): CodePointSet => fromProperty(`\\p{${name}}`);
const chars = (s: string): CodePointSet => fromRanges([...s].flatMap((c) => [c.codePointAt(0)!, c.codePointAt(0)!]));

const CATEGORIES = new Set([
  'Cn', 'Lu', 'Ll', 'Lt', 'Lm', 'Lo', 'Mn', 'Me', 'Mc', 'Nd', 'Nl', 'No', 'Zs', 'Zl', 'Zp', 'Cc', 'Cf', 'Co', 'Cs',
  'Pd', 'Ps', 'Pe', 'Pc', 'Po', 'Sm', 'Sc', 'Sk', 'So', 'Pi', 'Pf', 'L', 'M', 'N', 'Z', 'C', 'P', 'S',
]);

/** The ASCII POSIX classes of \p{Lower}, \p{Alpha}… (Java's default, without UNICODE_CHARACTER_CLASS). */
const POSIX: Record<string, CodePointSet> = {
  ASCII: range(0, 0x7f), Alpha: fromRanges([0x41, 0x5a, 0x61, 0x7a]), Digit: range(0x30, 0x39),
  Alnum: fromRanges([0x30, 0x39, 0x41, 0x5a, 0x61, 0x7a]), Punct: fromRanges([0x21, 0x2f, 0x3a, 0x40, 0x5b, 0x60, 0x7b, 0x7e]),
  Graph: range(0x21, 0x7e), Print: range(0x20, 0x7e), Blank: chars(' \t'), Cntrl: fromRanges([0, 0x1f, 0x7f, 0x7f]),
  XDigit: fromRanges([0x30, 0x39, 0x41, 0x46, 0x61, 0x66]), Space: chars(' \t\n\x0B\f\r'),
  Lower: range(0x61, 0x7a), Upper: range(0x41, 0x5a),
};

const cased = (): CodePointSet => union(prop('Lowercase'), prop('Uppercase'), gc('Lt'));
const ignorable = (): CodePointSet => union(fromRanges([0, 8, 0x0e, 0x1b, 0x7f, 0x9f]), gc('Cf'));

/** java.lang.Character's predicates, by the Unicode properties their documentation names. */
const JAVA: Record<string, () => CodePointSet> = {
  javaLowerCase: () => prop('Lowercase'), javaUpperCase: () => prop('Uppercase'), javaTitleCase: () => gc('Lt'),
  javaAlphabetic: () => prop('Alphabetic'), javaIdeographic: () => prop('Ideographic'), javaDigit: () => gc('Nd'),
  javaDefined: () => complement(gc('Cn')), javaLetter: () => gc('L'), javaLetterOrDigit: () => gc('L', 'Nd'),
  javaJavaIdentifierStart: () => gc('L', 'Nl', 'Sc', 'Pc'),
  javaJavaIdentifierPart: () => union(gc('L', 'Sc', 'Pc', 'Nd', 'Nl', 'Mc', 'Mn'), ignorable()),
  javaUnicodeIdentifierStart: () => prop('ID_Start'), javaUnicodeIdentifierPart: () => union(prop('ID_Continue'), ignorable()),
  javaIdentifierIgnorable: ignorable, javaSpaceChar: () => gc('Zs', 'Zl', 'Zp'),
  javaWhitespace: () => union(intersect(gc('Zs', 'Zl', 'Zp'), complement(chars('\u00a0\u2007\u202f'))), range(9, 0x0d), range(0x1c, 0x1f)),
  javaISOControl: () => fromRanges([0, 0x1f, 0x7f, 0x9f]), javaMirrored: () => prop('Bidi_Mirrored'),
};

/** Java's Unicode binary properties (\p{IsAlphabetic}…), upper-cased as Java looks them up. */
const BINARY: Record<string, () => CodePointSet> = {
  ALPHABETIC: () => prop('Alphabetic'), LETTER: () => gc('L'), IDEOGRAPHIC: () => prop('Ideographic'),
  LOWERCASE: () => prop('Lowercase'), UPPERCASE: () => prop('Uppercase'), TITLECASE: () => gc('Lt'),
  WHITE_SPACE: () => prop('White_Space'), WHITESPACE: () => prop('White_Space'), CONTROL: () => gc('Cc'),
  PUNCTUATION: () => gc('P'), HEX_DIGIT: () => union(gc('Nd'), prop('Hex_Digit')), HEXDIGIT: () => union(gc('Nd'), prop('Hex_Digit')),
  ASSIGNED: () => complement(gc('Cn')), NONCHARACTER_CODE_POINT: () => prop('Noncharacter_Code_Point'),
  NONCHARACTERCODEPOINT: () => prop('Noncharacter_Code_Point'), DIGIT: () => gc('Nd'),
  ALNUM: () => union(prop('Alphabetic'), gc('Nd')), BLANK: () => union(gc('Zs'), chars('\t')),
  GRAPH: () => complement(gc('Zs', 'Zl', 'Zp', 'Cc', 'Cs', 'Cn')),
  PRINT: () => intersect(union(complement(gc('Zs', 'Zl', 'Zp', 'Cc', 'Cs', 'Cn')), gc('Zs'), chars('\t')), complement(gc('Cc'))),
  WORD: () => union(prop('Alphabetic'), gc('Mn', 'Me', 'Mc', 'Nd', 'Pc'), prop('Join_Control')),
  JOIN_CONTROL: () => prop('Join_Control'), JOINCONTROL: () => prop('Join_Control'),
  EMOJI: () => prop('Emoji'), EMOJI_PRESENTATION: () => prop('Emoji_Presentation'), EMOJI_MODIFIER: () => prop('Emoji_Modifier'),
  EMOJI_MODIFIER_BASE: () => prop('Emoji_Modifier_Base'), EMOJI_COMPONENT: () => prop('Emoji_Component'),
  EXTENDED_PICTOGRAPHIC: () => prop('Extended_Pictographic'),
};

/** Lu, Ll, Lt, Upper, Lower and java…Case under CASE_INSENSITIVE match every cased letter, as in Java. */
const FOLDED = new Set(['Lu', 'Ll', 'Lt', 'javaLowerCase', 'javaUpperCase', 'javaTitleCase']);

/** Java's CharPredicates.forProperty: categories, ASCII POSIX classes, java… predicates; undefined when unknown. */
function forProperty(name: string, fold: boolean): CodePointSet | undefined {
  if (fold && FOLDED.has(name)) return name.startsWith('java') ? cased() : gc('Lu', 'Ll', 'Lt');
  if (fold && (name === 'Upper' || name === 'Lower')) return POSIX.Alpha;
  if (CATEGORIES.has(name)) return gc(name);
  if (name === 'LC') return gc('Lu', 'Ll', 'Lt');
  if (name === 'LD') return gc('L', 'Nd');
  if (name === 'L1') return range(0, 0xff);
  if (name === 'all') return ALL;
  if (Object.hasOwn(POSIX, name)) return POSIX[name];
  return Object.hasOwn(JAVA, name) ? JAVA[name]() : undefined;
}

// Java accepts a script's name or alias in any case (LATIN, latin, Latn); JavaScript only its own spelling.
const SCRIPT_SPELLING: Record<string, string> = { SIGNWRITING: 'SignWriting' };

function forScript(name: string): CodePointSet | undefined {
  const upper = name.toUpperCase();
  const spelled = SCRIPT_SPELLING[upper] ?? upper.split('_').map((w) => w.charAt(0) + w.slice(1).toLowerCase()).join('_');
  if (!/^[A-Za-z_]+$/.test(spelled)) return undefined;
  try {
    return fromProperty(`\\p{Script=${spelled}}`);
  } catch {
    return undefined;
  }
}

const blockKey = (name: string): string => name.toUpperCase().replace(/[ _-]/g, '');
let blocks: Map<string, CodePointSet> | undefined;

/** Java's UnicodeBlock.forName: canonical names, without spaces, or as constants, in any case. */
function forBlock(name: string): CodePointSet | undefined {
  if (!blocks) {
    blocks = new Map();
    for (const line of UNICODE_BLOCKS.trim().split('\n')) {
      const [start, end, ...words] = line.split(' ');
      blocks.set(blockKey(words.join(' ')), range(parseInt(start, 16), parseInt(end, 16)));
    }
    // Java's own names for three blocks Unicode renamed.
    blocks.set('GREEK', blocks.get('GREEKANDCOPTIC')!);
    blocks.set('CYRILLICSUPPLEMENTARY', blocks.get('CYRILLICSUPPLEMENT')!);
    blocks.set('COMBININGMARKSFORSYMBOLS', blocks.get('COMBININGDIACRITICALMARKSFORSYMBOLS')!);
  }
  return blocks.get(blockKey(name));
}

/** The set of \p{name} (the caller negates \P); a SyntaxError as Java's for an unknown name. */
export function javaProperty(name: string, fold: boolean): CodePointSet {
  let set: CodePointSet | undefined;
  const eq = name.indexOf('=');
  if (eq >= 0) {
    const value = name.slice(eq + 1);
    const key = name.slice(0, eq).toLowerCase();
    if (key === 'sc' || key === 'script') set = forScript(value);
    else if (key === 'blk' || key === 'block') set = forBlock(value);
    else if (key === 'gc' || key === 'general_category') set = forProperty(value, fold);
    if (!set) throw new SyntaxError(`Unknown Unicode property {name=<${key}>, value=<${value}>}`);
    return set;
  }
  if (name.startsWith('In')) set = forBlock(name.slice(2));
  else if (name.startsWith('Is')) {
    const short = name.slice(2);
    const binary = short.toUpperCase();
    set = Object.hasOwn(BINARY, binary) ? (fold && /^(LOWER|UPPER|TITLE)CASE$/.test(binary) ? cased() : BINARY[binary]())
      : forProperty(short, fold) ?? forScript(short);
  } else set = forProperty(name, fold);
  if (!set) throw new SyntaxError(`Unknown character property name {${name}}`);
  return set;
}
