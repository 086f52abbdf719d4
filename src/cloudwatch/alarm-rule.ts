// A composite alarm's AlarmRule, as CloudWatch documents it: ALARM(name), OK(name) and
// INSUFFICIENT_DATA(name) — true when the named alarm (a name or an alarm ARN, double-quoted or
// not; unquoted it is one word) is in that state — TRUE, FALSE, NOT, AND, OR and parentheses. NOT
// binds tightest, then AND, then OR. Keywords are read in any case (AWS's own docs write `false`).
// Errors are worded as AWS words them: "Error in AlarmRule [Unsupported token 'x' at char 12,
// must be: ')']", positions from 0.
import type { AlarmState } from './alarm-record.js';

export type RuleNode =
  | { kind: 'state'; state: AlarmState; ref: string }
  | { kind: 'constant'; value: boolean }
  | { kind: 'not'; operand: RuleNode }
  | { kind: 'and' | 'or'; left: RuleNode; right: RuleNode };

/** A rule that does not parse: the message is ValidationError's text. */
export class AlarmRuleError extends Error {}

const STATES: readonly AlarmState[] = ['ALARM', 'OK', 'INSUFFICIENT_DATA'];
/** What may start a term, as AWS lists it (AT_LEAST is not supported here). */
const TERM_START = "'(', 'NOT', TRUE or FALSE, ALARM, OK, or INSUFFICIENT_DATA";

type Token =
  | { kind: 'word'; text: string; at: number }
  | { kind: 'quoted'; text: string; at: number }
  | { kind: 'open'; at: number }
  | { kind: 'close'; at: number };

const tokenText = (t: Token): string => (t.kind === 'open' ? '(' : t.kind === 'close' ? ')' : t.kind === 'quoted' ? `"${t.text}"` : t.text);

const unsupported = (what: string, at: number, expected?: string): AlarmRuleError =>
  new AlarmRuleError(`Error in AlarmRule [Unsupported token '${what}' at char ${at}${expected ? `, must be: ${expected}` : ''}]`);

function tokenize(rule: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < rule.length) {
    const c = rule[i];
    if (/\s/.test(c)) i++;
    else if (c === '(' || c === ')') tokens.push(c === '(' ? { kind: 'open', at: i++ } : { kind: 'close', at: i++ });
    else if (c === '"') {
      const end = rule.indexOf('"', i + 1);
      if (end < 0) throw unsupported(rule.slice(i), i);
      tokens.push({ kind: 'quoted', text: rule.slice(i + 1, end), at: i });
      i = end + 1;
    } else {
      const start = i;
      while (i < rule.length && !/[\s()"]/.test(rule[i])) i++;
      tokens.push({ kind: 'word', text: rule.slice(start, i), at: start });
    }
  }
  return tokens;
}

/** The rule's tree; throws AlarmRuleError. */
export function parseAlarmRule(rule: string): RuleNode {
  if (rule.trim() !== rule || !rule) throw new AlarmRuleError('AlarmRule must not contain leading or trailing whitespace or be null');
  const tokens = tokenize(rule);
  let pos = 0;
  // The token at `pos` is not what may come there: AWS names it and what may.
  const fail = (expected?: string): never => {
    const t = tokens[pos];
    throw t ? unsupported(tokenText(t), t.at, expected) : unsupported('', rule.length, expected);
  };
  const word = (): string | undefined => {
    const t = tokens[pos];
    return t?.kind === 'word' ? t.text.toUpperCase() : undefined;
  };
  const expect = (kind: 'open' | 'close', shown: string): void => {
    if (tokens[pos]?.kind !== kind) fail(shown);
    pos++;
  };

  // OR over ANDs over unary terms: each a run of its operands joined by its keyword.
  const joined = (keyword: 'AND' | 'OR', operand: () => RuleNode) => (): RuleNode => {
    let left = operand();
    while (word() === keyword) {
      pos++;
      left = { kind: keyword === 'AND' ? 'and' : 'or', left, right: operand() };
    }
    return left;
  };
  const unary = (): RuleNode => {
    const t = tokens[pos];
    if (t?.kind === 'open') {
      pos++;
      const inner = or();
      expect('close', "')', AND or OR");
      return inner;
    }
    const keyword = word();
    if (keyword === 'NOT') {
      pos++;
      return { kind: 'not', operand: unary() };
    }
    if (keyword === 'TRUE' || keyword === 'FALSE') {
      pos++;
      return { kind: 'constant', value: keyword === 'TRUE' };
    }
    if (keyword !== undefined && (STATES as readonly string[]).includes(keyword)) {
      pos++;
      expect('open', "'('");
      const name = tokens[pos];
      if (name?.kind !== 'word' && name?.kind !== 'quoted') return fail('an alarm name or ARN');
      pos++;
      expect('close', "')'");
      return { kind: 'state', state: keyword as AlarmState, ref: name.text };
    }
    return fail(TERM_START);
  };
  const and = joined('AND', unary);
  const or = joined('OR', and);

  const tree = or();
  if (pos < tokens.length) fail('AND or OR');
  return tree;
}

/** The alarms the rule names, as written, each once. */
export function ruleReferences(node: RuleNode): string[] {
  const out = new Set<string>();
  const walk = (n: RuleNode): void => {
    if (n.kind === 'state') out.add(n.ref);
    else if (n.kind === 'not') walk(n.operand);
    else if (n.kind === 'and' || n.kind === 'or') {
      walk(n.left);
      walk(n.right);
    }
  };
  walk(node);
  return [...out];
}

/** The rule's value with each named alarm in the state `stateOf` gives. */
export function evaluateRule(node: RuleNode, stateOf: (ref: string) => AlarmState | undefined): boolean {
  switch (node.kind) {
    case 'state': return stateOf(node.ref) === node.state;
    case 'constant': return node.value;
    case 'not': return !evaluateRule(node.operand, stateOf);
    case 'and': return evaluateRule(node.left, stateOf) && evaluateRule(node.right, stateOf);
    case 'or': return evaluateRule(node.left, stateOf) || evaluateRule(node.right, stateOf);
  }
}

/**
 * The alarm name a reference means in an account and region: an alarm ARN of that account and
 * region gives its name; any other ARN names no alarm here (undefined).
 */
export function referencedName(ref: string, scope: { accountId: string; region: string }): string | undefined {
  if (!ref.startsWith('arn:')) return ref;
  const prefix = `arn:aws:cloudwatch:${scope.region}:${scope.accountId}:alarm:`;
  return ref.startsWith(prefix) ? ref.slice(prefix.length) : undefined;
}
