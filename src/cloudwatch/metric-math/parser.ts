// Metric math expressions (GetMetricData `Expression`) read into a syntax tree. The grammar is
// CloudWatch's: query ids (lower-case first letter), numbers, strings, upper-case functions and
// keywords (REPEAT, LINEAR, ASC, …), arrays `[a, b]`, unary minus, `^`, `* /`, `+ -`,
// comparisons and AND/&&, OR/||, lowest last.
import { MathError } from './values.js';

export type Node =
  | { kind: 'number'; value: number }
  | { kind: 'string'; value: string }
  | { kind: 'id'; name: string }
  | { kind: 'keyword'; name: string }
  | { kind: 'call'; name: string; args: Node[] }
  | { kind: 'array'; items: Node[] }
  | { kind: 'negate'; operand: Node }
  | { kind: 'binary'; op: BinaryOp; left: Node; right: Node };

export type BinaryOp = '+' | '-' | '*' | '/' | '^' | '==' | '!=' | '<' | '<=' | '>' | '>=' | 'AND' | 'OR';

interface Token {
  type: 'number' | 'string' | 'name' | 'op' | 'end';
  text: string;
  at: number;
}

const OPERATORS = ['==', '!=', '<=', '>=', '&&', '||', '+', '-', '*', '/', '^', '<', '>', '(', ')', '[', ']', ','];

function tokenize(source: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < source.length) {
    const c = source[i];
    if (/\s/.test(c)) {
      i++;
      continue;
    }
    const number = /^(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?/.exec(source.slice(i));
    if (number) {
      tokens.push({ type: 'number', text: number[0], at: i });
      i += number[0].length;
      continue;
    }
    const name = /^[A-Za-z_][A-Za-z0-9_]*/.exec(source.slice(i));
    if (name) {
      tokens.push({ type: 'name', text: name[0], at: i });
      i += name[0].length;
      continue;
    }
    if (c === '"' || c === "'") {
      const end = source.indexOf(c, i + 1);
      if (end < 0) throw new MathError(`Unterminated string at position ${i + 1}.`);
      tokens.push({ type: 'string', text: source.slice(i + 1, end), at: i });
      i = end + 1;
      continue;
    }
    const op = OPERATORS.find((o) => source.startsWith(o, i));
    if (!op) throw new MathError(`Unexpected character '${c}' at position ${i + 1}.`);
    tokens.push({ type: 'op', text: op, at: i });
    i += op.length;
  }
  tokens.push({ type: 'end', text: '', at: source.length });
  return tokens;
}

const COMPARISONS: BinaryOp[] = ['==', '!=', '<', '<=', '>', '>='];

/** The syntax tree of `source`; a MathError names what is wrong and where (1-based position). */
export function parse(source: string): Node {
  const tokens = tokenize(source);
  let pos = 0;
  const peek = () => tokens[pos];
  const isOp = (...ops: string[]) => peek().type === 'op' && ops.includes(peek().text);
  const unexpected = (): MathError => {
    const t = peek();
    return new MathError(t.type === 'end' ? 'Unexpected end of expression.' : `Unexpected '${t.text}' at position ${t.at + 1}.`);
  };
  const expect = (op: string) => {
    if (!isOp(op)) throw unexpected();
    pos++;
  };
  const binary = (op: BinaryOp, left: Node, right: Node): Node => ({ kind: 'binary', op, left, right });

  /** A left-associative level: operands from `next` joined by the operators of `ops` (token → operator). */
  const level = (next: () => Node, ops: Map<string, BinaryOp>) => (): Node => {
    let left = next();
    for (let op = ops.get(peek().text); op !== undefined && peek().type !== 'string'; op = ops.get(peek().text)) {
      pos++;
      left = binary(op, left, next());
    }
    return left;
  };
  const unary = (): Node => {
    if (isOp('-')) {
      pos++;
      return { kind: 'negate', operand: unary() };
    }
    return power();
  };
  const multiplicative = level(unary, new Map<string, BinaryOp>([['*', '*'], ['/', '/']]));
  const additive = level(multiplicative, new Map<string, BinaryOp>([['+', '+'], ['-', '-']]));
  const comparison = level(additive, new Map(COMPARISONS.map((op) => [op, op])));
  const and = level(comparison, new Map<string, BinaryOp>([['&&', 'AND'], ['AND', 'AND']]));
  const or = level(and, new Map<string, BinaryOp>([['||', 'OR'], ['OR', 'OR']]));
  // Right-associative, above unary minus: -2^2 is -(2^2), 2^-1 is allowed.
  const power = (): Node => {
    const base = primary();
    if (!isOp('^')) return base;
    pos++;
    return binary('^', base, unary());
  };
  const list = (close: string): Node[] => {
    const items: Node[] = [];
    if (isOp(close)) {
      pos++;
      return items;
    }
    for (;;) {
      items.push(or());
      if (isOp(',')) {
        pos++;
        continue;
      }
      expect(close);
      return items;
    }
  };
  const primary = (): Node => {
    const t = peek();
    if (t.type === 'number') {
      pos++;
      return { kind: 'number', value: Number(t.text) };
    }
    if (t.type === 'string') {
      pos++;
      return { kind: 'string', value: t.text };
    }
    if (isOp('(')) {
      pos++;
      const inner = or();
      expect(')');
      return inner;
    }
    if (isOp('[')) {
      pos++;
      return { kind: 'array', items: list(']') };
    }
    if (t.type === 'name') {
      pos++;
      const call = isOp('(');
      if (/^[a-z]/.test(t.text)) {
        if (call) throw new MathError(`Unknown function '${t.text}' at position ${t.at + 1}: functions are written in upper case.`);
        return { kind: 'id', name: t.text };
      }
      if (!call) return { kind: 'keyword', name: t.text };
      pos++;
      return { kind: 'call', name: t.text, args: list(')') };
    }
    throw unexpected();
  };

  const tree = or();
  if (peek().type !== 'end') throw unexpected();
  return tree;
}

/** The query ids an expression names. */
export function references(node: Node, into = new Set<string>()): Set<string> {
  switch (node.kind) {
    case 'id': into.add(node.name); break;
    case 'call': node.args.forEach((a) => references(a, into)); break;
    case 'array': node.items.forEach((a) => references(a, into)); break;
    case 'negate': references(node.operand, into); break;
    case 'binary': references(node.left, into); references(node.right, into); break;
    default: break;
  }
  return into;
}

/** The functions an expression calls, nested calls included. */
export function functionsCalled(node: Node, into = new Set<string>()): Set<string> {
  switch (node.kind) {
    case 'call': into.add(node.name); node.args.forEach((a) => functionsCalled(a, into)); break;
    case 'array': node.items.forEach((a) => functionsCalled(a, into)); break;
    case 'negate': functionsCalled(node.operand, into); break;
    case 'binary': functionsCalled(node.left, into); functionsCalled(node.right, into); break;
    default: break;
  }
  return into;
}

/** Whether an expression calls METRICS() (it then depends on every metric of the request). */
export const usesMetrics = (node: Node): boolean => functionsCalled(node).has('METRICS');
