// Parses condition, filter and key condition expressions. Precedence, loosest first: OR, AND, NOT,
// then comparisons, BETWEEN, IN and functions; parentheses group (AWS refuses redundant ones).
import type { AttributeType } from '../attribute-values.js';
import { compareValues, typeOf } from '../attribute-values.js';
import { BOOLEAN_FUNCTIONS, COMPARATORS, type BooleanFunction, type Comparator, type Condition, type Operand } from './condition-ast.js';
import { atPath, parsePath, renderPath } from './paths.js';
import type { Scope } from './scope.js';
import { fail, Rank, TokenStream, type ExpressionKind } from './tokens.js';

/** The largest list IN accepts (AWS documents 100). */
const MAX_IN_OPERANDS = 100;
const FUNCTION_ARITY: Record<string, number> = {
  attribute_exists: 1, attribute_not_exists: 1, attribute_type: 2, begins_with: 2, contains: 2, size: 1,
};
const UPDATE_FUNCTIONS = ['if_not_exists', 'list_append'];
const TYPE_NAMES: readonly AttributeType[] = ['S', 'N', 'B', 'SS', 'NS', 'BS', 'M', 'L', 'NULL', 'BOOL'];

export function parseCondition(kind: ExpressionKind, source: string, scope: Scope): Condition {
  const tokens = TokenStream.of(kind, source);
  const condition = new ConditionParser(tokens, scope).or();
  tokens.finish();
  return condition;
}

class ConditionParser {
  constructor(
    private readonly tokens: TokenStream,
    private readonly scope: Scope,
  ) {}

  private report(message: string, rank = Rank.Operand): void {
    this.tokens.report(rank, message);
  }

  or(): Condition {
    let left = this.and();
    while (this.tokens.accept('OR')) left = { type: 'or', left, right: this.and() };
    return left;
  }

  private and(): Condition {
    let left = this.not();
    while (this.tokens.accept('AND')) left = { type: 'and', left, right: this.not() };
    return left;
  }

  /** NOT applies to one comparison, function or parenthesised condition (`NOT NOT` is refused). */
  private not(): Condition {
    if (this.tokens.accept('NOT')) return { type: 'not', operand: this.primary() };
    return this.primary();
  }

  private primary(): Condition {
    if (this.tokens.isAt('(') && !this.operandInParentheses()) {
      this.tokens.next();
      const inner = this.or();
      this.tokens.expect(')');
      if (inner.type === 'group') this.report('The expression has redundant parentheses;', Rank.Parentheses);
      return { type: 'group', inner };
    }
    const name = this.tokens.peek();
    // Any call but size() stands as a condition; call() refuses names that are not functions.
    if (name.type === 'name' && this.tokens.isAt('(', 1) && name.text !== 'size') {
      return this.booleanFunction(name.text as BooleanFunction);
    }
    return this.comparison(this.operand());
  }

  private comparison(left: Operand): Condition {
    const token = this.tokens.peek();
    if (token.type === 'punct' && COMPARATORS.includes(token.text)) {
      this.tokens.next();
      const right = this.operand();
      if (token.text !== '=' && token.text !== '<>') this.orderable(token.text, [left, right]);
      this.distinct(token.text, left, [right]);
      return { type: 'compare', op: token.text as Comparator, left, right };
    }
    if (this.tokens.accept('BETWEEN')) {
      const low = this.operand();
      this.tokens.expect('AND');
      const high = this.operand();
      this.distinct('BETWEEN', left, [low, high]);
      if (this.orderable('BETWEEN', [left, low, high]) && low.type === 'value' && high.type === 'value') {
        const bounds = `lower bound operand: AttributeValue: {${describe(low)}}, upper bound operand: AttributeValue: {${describe(high)}}`;
        const order = compareValues(low.value, high.value);
        if (typeOf(low.value) !== typeOf(high.value)) {
          this.report(`The BETWEEN operator requires same data type for lower and upper bounds; ${bounds}`);
        } else if (order !== undefined && order > 0) {
          this.report(`The BETWEEN operator requires upper bound to be greater than or equal to lower bound; ${bounds}`);
        }
      }
      return { type: 'between', operand: left, low, high };
    }
    if (this.tokens.accept('IN')) {
      this.tokens.expect('(');
      const list = [this.operand()];
      while (this.tokens.accept(',')) list.push(this.operand());
      this.tokens.expect(')');
      if (list.length > MAX_IN_OPERANDS) {
        this.report(`The IN operator is provided with too many operands; number of operands: ${list.length}`);
      }
      this.distinct('IN', left, list);
      return { type: 'in', operand: left, list };
    }
    if (left.type === 'size') fail(this.tokens.kind, 'The function is not allowed to be used this way in an expression; function: size'); // nothing to parse after it
    return this.tokens.fail();
  }

  /** Ordering needs S, N or B: a literal of another type is refused up front. False when one was. */
  private orderable(operator: string, operands: Operand[]): boolean {
    for (const operand of operands) {
      const type = operand.type === 'value' ? typeOf(operand.value) : undefined;
      if (type && type !== 'S' && type !== 'N' && type !== 'B') {
        this.badOperandType(operator, type);
        return false;
      }
    }
    return true;
  }

  /** AWS refuses an operator whose first operand, a path, appears again among the others. */
  private distinct(operator: string, first: Operand, rest: Operand[]): void {
    if (first.type !== 'path') return;
    const shown = renderPath(first.path);
    if (rest.some((operand) => operand.type === 'path' && renderPath(operand.path) === shown)) {
      this.report(`The first operand must be distinct from the remaining operands for this operator or function; operator: ${operator}, first operand: ${shown}`);
    }
  }

  /** Whether the `(` here wraps an operand, as in `(a) = :v`: its `)` is followed by an operator. */
  private operandInParentheses(): boolean {
    let depth = 0;
    for (let offset = 0; ; offset++) {
      const token = this.tokens.peek(offset);
      if (token.type === 'eof') return false;
      if (this.tokens.isAt('(', offset)) depth++;
      else if (this.tokens.isAt(')', offset) && --depth === 0) {
        const after = this.tokens.peek(offset + 1);
        return (after.type === 'punct' && COMPARATORS.includes(after.text)) || ['BETWEEN', 'IN'].some((word) => this.tokens.isAt(word, offset + 1));
      }
    }
  }

  private operand(): Operand {
    if (this.tokens.accept('(')) {
      if (this.tokens.isAt('(')) this.report('The expression has redundant parentheses;', Rank.Parentheses);
      const inner = this.operand();
      this.tokens.expect(')');
      return inner;
    }
    const token = this.tokens.peek();
    if (token.type === 'attrValue') {
      this.tokens.next();
      return { type: 'value', placeholder: token.text, value: this.scope.value(this.tokens, token.text) };
    }
    if (atPath(this.tokens)) return { type: 'path', path: parsePath(this.tokens, this.scope) };
    if (token.type === 'name' && this.tokens.isAt('(', 1)) {
      const args = this.call(token.text);
      if (BOOLEAN_FUNCTIONS.includes(token.text)) {
        this.report(`The function is not allowed to be used this way in an expression; function: ${token.text}`, Rank.Misused);
      }
      const [arg] = args;
      const type = arg.type === 'value' ? typeOf(arg.value) : undefined;
      if (type === 'N' || type === 'BOOL' || type === 'NULL') this.badOperandType('size', type);
      return { type: 'size', operand: arg };
    }
    return this.tokens.fail();
  }

  /** Parses `name(args…)`, checking the name and the number of operands. */
  private call(name: string): Operand[] {
    this.tokens.next();
    this.tokens.expect('(');
    const args = [this.operand()];
    while (this.tokens.accept(',')) args.push(this.operand());
    this.tokens.expect(')');
    if (!(name in FUNCTION_ARITY)) {
      if (UPDATE_FUNCTIONS.includes(name)) this.report(`The function is not allowed in a condition expression; function: ${name}`, Rank.Misused);
      else this.report(`Invalid function name; function: ${name}`, Rank.Function);
      return args;
    }
    if (args.length !== FUNCTION_ARITY[name]) {
      this.report(`Incorrect number of operands for operator or function; operator or function: ${name}, number of operands: ${args.length}`);
    }
    return args;
  }

  private booleanFunction(name: BooleanFunction): Condition {
    const args = this.call(name);
    // begins_with and contains may compare two values; the attribute_* functions need a path.
    if (name.startsWith('attribute_') && args[0].type !== 'path') {
      this.report(`Operator or function requires a document path; operator or function: ${name}`);
    }
    if (name === 'begins_with') {
      for (const arg of args) {
        if (arg.type === 'value' && !['S', 'B'].includes(typeOf(arg.value))) this.badOperandType(name, typeOf(arg.value));
      }
    }
    if (args.length === 2) this.distinct(name, args[0], [args[1]]);
    const second = args[1];
    // A path's type is unknown until evaluation, which AWS does not wait for.
    if (name === 'attribute_type' && second && second.type !== 'value') this.badOperandType(name, '{NS,SS,L,BS,N,M,B,BOOL,NULL,S}');
    if (name === 'attribute_type' && second?.type === 'value') {
      const type = typeOf(second.value);
      if (type !== 'S') this.badOperandType(name, type);
      else if (!(TYPE_NAMES as readonly string[]).includes((second.value as { S: string }).S)) {
        const wanted = (second.value as { S: string }).S;
        this.report(`Invalid attribute type name found; type: ${wanted}, valid types: {B,NULL,SS,BOOL,L,BS,N,NS,S,M}`);
      }
    }
    return { type: 'function', name, args };
  }

  private badOperandType(name: string, type: string): void {
    this.report(`Incorrect operand type for operator or function; operator or function: ${name}, operand type: ${type}`);
  }
}

/** A value as AWS prints it in BETWEEN's message, e.g. `N:5`. */
function describe(operand: Operand): string {
  if (operand.type !== 'value') return '';
  const type = typeOf(operand.value);
  return `${type}:${String((operand.value as Record<string, unknown>)[type])}`;
}
