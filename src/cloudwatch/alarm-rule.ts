// A composite alarm's AlarmRule, as CloudWatch documents it: ALARM(name), OK(name) and
// INSUFFICIENT_DATA(name) — true when the named alarm (a name or an alarm ARN, double-quoted or
// not) is in that state — TRUE, FALSE, NOT, AND, OR and parentheses. NOT binds tightest, then
// AND, then OR. Keywords are read in any case (AWS's own docs write `false`).
import type { AlarmState } from './alarm-record.js';

export type RuleNode =
  | { kind: 'state'; state: AlarmState; ref: string }
  | { kind: 'constant'; value: boolean }
  | { kind: 'not'; operand: RuleNode }
  | { kind: 'and' | 'or'; left: RuleNode; right: RuleNode };

/** A rule that does not parse: the message says where (ValidationError's text). */
export class AlarmRuleError extends Error {}

const STATES: readonly AlarmState[] = ['ALARM', 'OK', 'INSUFFICIENT_DATA'];

type Token = { kind: 'word'; text: string; at: number } | { kind: 'open'; at: number } | { kind: 'close'; at: number };

function tokenize(rule: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < rule.length) {
    const c = rule[i];
    if (/\s/.test(c)) i++;
    else if (c === '(' || c === ')') tokens.push(c === '(' ? { kind: 'open', at: i++ } : { kind: 'close', at: i++ });
    else {
      const start = i;
      while (i < rule.length && !/[\s()]/.test(rule[i])) i++;
      tokens.push({ kind: 'word', text: rule.slice(start, i), at: start });
    }
  }
  return tokens;
}

/** The rule's tree; throws AlarmRuleError. */
export function parseAlarmRule(rule: string): RuleNode {
  const tokens = tokenize(rule);
  let pos = 0;
  const fail = (what: string, at?: number): never => {
    throw new AlarmRuleError(`Error in alarm rule: ${what}${at === undefined ? '' : ` at position ${at + 1}`}.`);
  };
  const peekWord = (): string | undefined => {
    const t = tokens[pos];
    return t?.kind === 'word' ? t.text.toUpperCase() : undefined;
  };

  // OR over ANDs over unary terms: each a run of its operands joined by its keyword.
  const joined = (keyword: 'AND' | 'OR', operand: () => RuleNode) => (): RuleNode => {
    let left = operand();
    while (peekWord() === keyword) {
      pos++;
      left = { kind: keyword === 'AND' ? 'and' : 'or', left, right: operand() };
    }
    return left;
  };
  const and = joined('AND', () => unary());
  const or = joined('OR', and);
  const unary = (): RuleNode => {
    const t = tokens[pos];
    if (!t) return fail('unexpected end of the rule');
    if (t.kind === 'open') {
      pos++;
      const inner = or();
      if (tokens[pos]?.kind !== 'close') fail('missing closing parenthesis', tokens[pos]?.at ?? rule.length);
      pos++;
      return inner;
    }
    if (t.kind === 'close') return fail("unexpected ')'", t.at);
    const word = t.text.toUpperCase();
    if (word === 'NOT') {
      pos++;
      return { kind: 'not', operand: unary() };
    }
    if (word === 'TRUE' || word === 'FALSE') {
      pos++;
      return { kind: 'constant', value: word === 'TRUE' };
    }
    if ((STATES as readonly string[]).includes(word)) {
      pos++;
      return { kind: 'state', state: word as AlarmState, ref: reference(t.at + t.text.length) };
    }
    return fail(`unexpected '${t.text}'`, t.at);
  };
  // The name inside a state function, read from the rule's text (a quoted name may hold anything but a quote).
  const reference = (after: number): string => {
    const open = tokens[pos];
    if (open?.kind !== 'open') return fail("expected '(' after a state function", open?.at ?? after);
    let i = open.at + 1;
    while (/\s/.test(rule[i] ?? '')) i++;
    let ref: string;
    let end: number;
    if (rule[i] === '"') {
      const quote = rule.indexOf('"', i + 1);
      if (quote < 0) fail('unterminated quoted alarm name', i);
      ref = rule.slice(i + 1, quote);
      end = rule.indexOf(')', quote);
      if (end > 0 && rule.slice(quote + 1, end).trim()) fail('unexpected text after the quoted alarm name', quote + 1);
    } else {
      end = rule.indexOf(')', i);
      ref = rule.slice(i, end < 0 ? undefined : end).trim();
    }
    if (end < 0) fail('missing closing parenthesis', rule.length);
    if (!ref) fail('missing alarm name', i);
    // Skip the tokens the name and its closing parenthesis were read as.
    while (pos < tokens.length && tokens[pos].at <= end) pos++;
    return ref;
  };

  if (!tokens.length) fail('the rule is empty');
  const tree = or();
  if (pos < tokens.length) fail(`unexpected '${tokenText(rule, tokens[pos])}'`, tokens[pos].at);
  return tree;
}

const tokenText = (rule: string, t: Token): string => (t.kind === 'word' ? t.text : rule[t.at]);

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
