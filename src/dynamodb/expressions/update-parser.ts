// Parses an UpdateExpression: SET, REMOVE, ADD and DELETE sections, each at most once, in any order.
import type { AttributeValue } from '../attribute-value.js';
import { typeOf, type AttributeType } from '../attribute-values.js';
import { atPath, parsePath, pathsClash, type DocumentPath } from './paths.js';
import type { Scope } from './scope.js';
import { Rank, TokenStream } from './tokens.js';
import type { SetValue, UpdateAction } from './update-ast.js';

const SECTIONS = ['SET', 'REMOVE', 'ADD', 'DELETE'] as const;
type Section = (typeof SECTIONS)[number];
const CONDITION_FUNCTIONS = ['attribute_exists', 'attribute_not_exists', 'attribute_type', 'begins_with', 'contains', 'size'];
const ARITY: Record<string, number> = { if_not_exists: 2, list_append: 2 };

/** AWS's long type names, used in ADD's and DELETE's operand messages. */
const LONG_TYPE_NAMES: Record<AttributeType, string> = {
  S: 'STRING', N: 'NUMBER', B: 'BINARY', SS: 'STRING_SET', NS: 'NUMBER_SET', BS: 'BINARY_SET',
  M: 'MAP', L: 'LIST', NULL: 'NULL', BOOL: 'BOOLEAN',
};

export function parseUpdate(source: string, scope: Scope): UpdateAction[] {
  const tokens = TokenStream.of('UpdateExpression', source);
  const parser = new UpdateParser(tokens, scope);
  const actions = parser.sections();
  const clash = pathsClash(actions.map((action) => action.path));
  if (clash) tokens.report(Rank.Paths, clash);
  tokens.finish();
  return actions;
}

class UpdateParser {
  private readonly seen = new Set<Section>();

  constructor(
    private readonly tokens: TokenStream,
    private readonly scope: Scope,
  ) {}

  sections(): UpdateAction[] {
    const actions: UpdateAction[] = [];
    do {
      const token = this.tokens.peek();
      const section = SECTIONS.find((name) => token.type === 'name' && token.text.toUpperCase() === name);
      if (!section) this.tokens.fail();
      this.tokens.next();
      if (this.seen.has(section)) {
        this.tokens.report(Rank.Section, `The "${section}" section can only be used once in an update expression;`);
      }
      this.seen.add(section);
      do actions.push(this.action(section));
      while (this.tokens.accept(','));
    } while (!this.tokens.atEnd());
    return actions;
  }

  private path(): DocumentPath {
    if (!atPath(this.tokens)) this.tokens.fail();
    return parsePath(this.tokens, this.scope);
  }

  private action(section: Section): UpdateAction {
    const path = this.path();
    switch (section) {
      case 'SET': {
        this.tokens.expect('=');
        return { action: 'SET', path, value: this.setValue() };
      }
      case 'REMOVE':
        return { action: 'REMOVE', path };
      default: {
        const value = this.literal();
        const type = typeOf(value);
        const allowed = section === 'ADD' ? ['N', 'SS', 'NS', 'BS'] : ['SS', 'NS', 'BS'];
        if (!allowed.includes(type)) {
          this.tokens.report(Rank.Operand, `Incorrect operand type for operator or function; operator: ${section}, operand type: ${LONG_TYPE_NAMES[type]}`);
        }
        return { action: section, path, value };
      }
    }
  }

  private literal(): AttributeValue {
    const token = this.tokens.peek();
    if (token.type !== 'attrValue') this.tokens.fail();
    this.tokens.next();
    return this.scope.value(this.tokens, token.text);
  }

  /** `operand`, or `operand + operand` / `operand - operand` (one arithmetic operator at most). */
  private setValue(): SetValue {
    const left = this.tokens.accept('(') ? this.parenthesised() : this.operand();
    const op = this.tokens.accept('+') ? '+' : this.tokens.accept('-') ? '-' : undefined;
    if (!op) return left;
    const right = this.operand();
    for (const side of [left, right]) this.checkType(side, op, ['N']);
    return { type: op, left, right };
  }

  /** `(b + c)` or `(b)`; what follows `(b + c)` may not be more arithmetic. */
  private parenthesised(): SetValue {
    const inner = this.setValue();
    this.tokens.expect(')');
    if ((inner.type === '+' || inner.type === '-') && (this.tokens.isAt('+') || this.tokens.isAt('-'))) this.tokens.fail();
    return inner;
  }

  private operand(): SetValue {
    if (this.tokens.accept('(')) {
      const inner = this.operand();
      this.tokens.expect(')');
      return inner;
    }
    const token = this.tokens.peek();
    if (token.type === 'attrValue') return { type: 'value', value: this.literal() };
    if (atPath(this.tokens)) return { type: 'path', path: this.path() };
    if (token.type !== 'name' || !this.tokens.isAt('(', 1)) return this.tokens.fail();
    this.tokens.next();
    this.tokens.expect('(');
    const args = [this.operand()];
    while (this.tokens.accept(',')) args.push(this.operand());
    this.tokens.expect(')');
    return this.call(token.text, args);
  }

  private call(name: string, args: SetValue[]): SetValue {
    if (!(name in ARITY)) {
      const message = CONDITION_FUNCTIONS.includes(name)
        ? `The function is not allowed in an update expression; function: ${name}`
        : `Invalid function name; function: ${name}`;
      this.tokens.report(CONDITION_FUNCTIONS.includes(name) ? Rank.Misused : Rank.Function, message);
      return args[0];
    }
    if (args.length !== ARITY[name]) {
      this.tokens.report(Rank.FunctionOperand, `Incorrect number of operands for operator or function; operator or function: ${name}, number of operands: ${args.length}`);
      return args[0];
    }
    const [first, second] = args;
    if (name === 'if_not_exists') {
      if (first.type !== 'path') {
        this.tokens.report(Rank.FunctionOperand, 'Operator or function requires a document path; operator or function: if_not_exists');
        return second;
      }
      return { type: 'if_not_exists', path: first.path, fallback: second };
    }
    for (const side of args) this.checkType(side, 'list_append', ['L']);
    return { type: 'list_append', left: first, right: second };
  }

  /** A literal operand of the wrong type is refused before anything is read. */
  private checkType(operand: SetValue, operator: string, allowed: AttributeType[]): void {
    if (operand.type !== 'value') return;
    const type = typeOf(operand.value);
    if (!allowed.includes(type)) {
      this.tokens.report(Rank.FunctionOperand, `Incorrect operand type for operator or function; operator or function: ${operator}, operand type: ${type}`);
    }
  }
}
