// IAM's Condition element, decided against a request context, shared by every policy Stagecraft
// evaluates (Lambda resource policies, API Gateway resource policies, authorizer policies).
//
// Semantics as IAM documents them: operators are ANDed, keys within an operator are ANDed, the
// values of one key are ORed (NORed for negated operators). A key absent from the request
// context makes the condition false, except for negated operators (StringNotEquals, NotIpAddress,
// ArnNotLike, …: true), `…IfExists` (true) and `Null` (which tests presence). Key names are
// case-insensitive. An operator IAM does not define never holds (AWS refuses such policies when
// they are saved; a statement carrying one never applies here).
import { BlockList, isIP } from 'node:net';

/** A policy's Condition element: operator → context key → value or values. */
export type ConditionBlock = Record<string, Record<string, unknown>>;

/** The request context: lower-cased key → its value, undefined when the request has none. */
export type ConditionContext = (lowerCaseKey: string) => string | undefined;

/**
 * IAM ArnLike/StringLike: `*` any run of characters, `?` one character, otherwise literal. Matched
 * by the classic two-pointer walk (back to the last `*` on a mismatch), at most pattern × value
 * steps: a regex of `.*`s backtracks polynomially (a*a*a*a*a*b against a long request value), and
 * V8's linear-time engine costs some thirty times more than this on the ordinary ARN.
 */
export function globMatch(pattern: string, value: string): boolean {
  let p = 0;
  let v = 0;
  let star = -1; // the last `*` seen, and where in the value it began to match
  let from = 0;
  while (v < value.length) {
    const c = pattern[p];
    if (p < pattern.length && c !== '*' && (c === '?' || c === value[v])) {
      p++;
      v++;
    } else if (c === '*') {
      star = p++;
      from = v;
    } else if (star >= 0) {
      p = star + 1;
      v = ++from;
    } else {
      return false;
    }
  }
  while (pattern[p] === '*') p++;
  return p === pattern.length;
}

type Match = (expected: string, actual: string) => boolean;

const toDate = (v: string): number => (/^\d+$/.test(v) ? Number(v) * 1000 : Date.parse(v));
const compareDates = (test: (d: number) => boolean) => (e: string, a: string): boolean => {
  const d = toDate(a) - toDate(e);
  return !Number.isNaN(d) && test(d);
};
const compareNumbers = (test: (d: number) => boolean) => (e: string, a: string): boolean => {
  if (e.trim() === '' || a.trim() === '') return false;
  const d = Number(a) - Number(e);
  return !Number.isNaN(d) && test(d);
};

/** Positive operators by name; each negated one is "no value matches" of its positive twin. */
const POSITIVE: Record<string, Match> = {
  StringEquals: (e, a) => e === a,
  StringEqualsIgnoreCase: (e, a) => e.toLowerCase() === a.toLowerCase(),
  StringLike: globMatch,
  ArnEquals: globMatch,
  ArnLike: globMatch,
  Bool: (e, a) => e.toLowerCase() === a.toLowerCase(),
  IpAddress: (e, a) => inCidr(e, a),
  NumericEquals: compareNumbers((d) => d === 0),
  NumericLessThan: compareNumbers((d) => d < 0),
  NumericLessThanEquals: compareNumbers((d) => d <= 0),
  NumericGreaterThan: compareNumbers((d) => d > 0),
  NumericGreaterThanEquals: compareNumbers((d) => d >= 0),
  DateEquals: compareDates((d) => d === 0),
  DateLessThan: compareDates((d) => d < 0),
  DateLessThanEquals: compareDates((d) => d <= 0),
  DateGreaterThan: compareDates((d) => d > 0),
  DateGreaterThanEquals: compareDates((d) => d >= 0),
};
const NEGATED: Record<string, string> = {
  StringNotEquals: 'StringEquals', StringNotEqualsIgnoreCase: 'StringEqualsIgnoreCase', StringNotLike: 'StringLike',
  ArnNotEquals: 'ArnEquals', ArnNotLike: 'ArnLike', NotIpAddress: 'IpAddress', NumericNotEquals: 'NumericEquals', DateNotEquals: 'DateEquals',
};

const valuesOf = (v: unknown): string[] => (Array.isArray(v) ? v : [v]).filter((x) => x !== null && x !== undefined).map(String);

/** One operator over one key: whether it holds for the context's value (undefined: absent). */
export function operatorHolds(operator: string, expected: unknown, actual: string | undefined): boolean {
  // Set qualifiers: every key here has at most one value, so both reduce to the plain operator,
  // except on an absent key: ForAllValues holds for the empty set, ForAnyValue does not.
  let op = operator;
  let emptySetHolds: boolean | undefined;
  const colon = op.indexOf(':');
  if (colon >= 0) {
    const qualifier = op.slice(0, colon);
    if (qualifier !== 'ForAllValues' && qualifier !== 'ForAnyValue') return false;
    emptySetHolds = qualifier === 'ForAllValues';
    op = op.slice(colon + 1);
  }
  if (op === 'Null') {
    const wantsAbsent = valuesOf(expected).some((v) => v.toLowerCase() === 'true');
    return (actual === undefined) === wantsAbsent;
  }
  const ifExists = op.endsWith('IfExists');
  if (ifExists) op = op.slice(0, -'IfExists'.length);
  const positive = POSITIVE[op];
  const negatedOf = NEGATED[op];
  if (!positive && !negatedOf) return false;
  if (actual === undefined) return ifExists || (emptySetHolds ?? negatedOf !== undefined);
  const values = valuesOf(expected);
  if (positive) return values.some((e) => positive(e, actual));
  const twin = POSITIVE[negatedOf];
  return !values.some((e) => twin(e, actual));
}

/** Whether a whole Condition element holds; no element at all always does. */
export function conditionsHold(block: ConditionBlock | undefined, context: ConditionContext): boolean {
  if (!block) return true;
  for (const operator in block) {
    const entries = block[operator];
    if (!entries || typeof entries !== 'object') return false;
    for (const key in entries) {
      if (!operatorHolds(operator, entries[key], context(key.toLowerCase()))) return false;
    }
  }
  return true;
}

/** Subnets by CIDR text (a bare address is its own /32 or /128); null for text that is none. */
interface Subnet { list: BlockList; family: 4 | 6 }
const subnets = new Map<string, Subnet | null>();

function subnetOf(cidr: string): Subnet | null {
  const known = subnets.get(cidr);
  if (known !== undefined) return known;
  let subnet: Subnet | null = null;
  const [address, bits, extra] = cidr.trim().split('/');
  const family = isIP(address);
  const max = family === 4 ? 32 : 128;
  const prefix = bits === undefined ? max : /^\d{1,3}$/.test(bits) ? Number(bits) : NaN;
  if (family && extra === undefined && prefix >= 0 && prefix <= max) {
    const list = new BlockList();
    list.addSubnet(address, prefix, family === 4 ? 'ipv4' : 'ipv6');
    subnet = { list, family: family === 4 ? 4 : 6 };
  }
  if (subnets.size > 10_000) subnets.clear();
  subnets.set(cidr, subnet);
  return subnet;
}

/**
 * IpAddress: whether an IPv4 or IPv6 address lies in a CIDR block of its family (an IPv4-mapped
 * IPv6 address counts as IPv4; `::/0` does not take IPv4 callers).
 */
export function inCidr(cidr: string, ip: string): boolean {
  const subnet = subnetOf(cidr);
  if (!subnet) return false;
  const address = ip.startsWith('::ffff:') && isIP(ip.slice(7)) === 4 ? ip.slice(7) : ip;
  const family = isIP(address);
  return family === subnet.family && subnet.list.check(address, family === 4 ? 'ipv4' : 'ipv6');
}
