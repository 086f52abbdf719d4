// The lexer shared by every expression kind, and AWS's syntax-error message built from its tokens.
import { DynamoDbValidationError } from '../validation-error.js';

export type ExpressionKind =
  | 'ConditionExpression'
  | 'FilterExpression'
  | 'KeyConditionExpression'
  | 'UpdateExpression'
  | 'ProjectionExpression';

export type TokenType = 'name' | 'attrName' | 'attrValue' | 'number' | 'punct' | 'eof';

export interface Token {
  readonly type: TokenType;
  readonly text: string;
  readonly start: number;
  readonly end: number;
}

const WORDS: [TokenType, RegExp][] = [
  ['name', /^[A-Za-z_][A-Za-z0-9_]*/],
  ['attrName', /^#[A-Za-z0-9_]+/],
  ['attrValue', /^:[A-Za-z0-9_]+/],
  ['number', /^\d+/],
];
/** AWS's limit on the length of any one expression string. */
const MAX_EXPRESSION_BYTES = 4096;
const PUNCTUATION = ['<>', '<=', '>=', '(', ')', ',', '.', '[', ']', '=', '<', '>', '+', '-'];

/** Throws `Invalid <kind>: <message>`, the form AWS gives every expression error. */
export function fail(kind: ExpressionKind, message: string): never {
  throw new DynamoDbValidationError(`Invalid ${kind}: ${message}`);
}

export function tokenize(kind: ExpressionKind, source: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < source.length) {
    const ch = source[i];
    if (/\s/.test(ch)) {
      i++;
      continue;
    }
    const rest = source.slice(i);
    const word = WORDS.map(([type, re]) => ({ type, found: re.exec(rest) })).find((w) => w.found);
    if (word?.found) {
      const text = word.found[0];
      tokens.push({ type: word.type, text, start: i, end: i + text.length });
      i += text.length;
      continue;
    }
    const punct = PUNCTUATION.find((p) => rest.startsWith(p));
    if (!punct) {
      // An unknown character is itself the offending token.
      const bad: Token = { type: 'punct', text: ch, start: i, end: i + 1 };
      syntaxError(kind, source, [...tokens, bad], tokens.length, nextStart(source, i + 1));
    }
    tokens.push({ type: 'punct', text: punct, start: i, end: i + punct.length });
    i += punct.length;
  }
  tokens.push({ type: 'eof', text: '<EOF>', start: source.length, end: source.length });
  return tokens;
}

/** The end of the token that follows position `from` (for the `near` of an unknown character). */
function nextStart(source: string, from: number): number {
  let i = from;
  while (i < source.length && /\s/.test(source[i])) i++;
  const word = /^([A-Za-z0-9_#:]+|<>|<=|>=|.)/.exec(source.slice(i));
  return word ? i + word[0].length : source.length;
}

/**
 * AWS's syntax error: the offending token and the text around it, from the start of the token
 * before it to the end of the token after it (AWS's `near`, as seen in its messages).
 */
export function syntaxError(kind: ExpressionKind, source: string, tokens: Token[], index: number, nearEnd?: number): never {
  const token = tokens[index];
  const before = index > 0 ? tokens[index - 1].start : token.start;
  const following = tokens[index + 1];
  const after = nearEnd ?? (token.type === 'eof' ? tokens[index - 1]?.end ?? 0 : following && following.type !== 'eof' ? following.end : token.end);
  fail(kind, `Syntax error; token: "${token.text}", near: "${source.slice(before, after)}"`);
}

/**
 * AWS reports an expression's errors in a fixed order whatever their place in the text: syntax
 * first (thrown at once), then redundant parentheses, unknown functions, functions used out of
 * place, reserved words, repeated update sections, undefined placeholders, and last the checks on
 * operands. Parsers record all but syntax errors here.
 */
export const enum Rank {
  Parentheses = 0,
  Function = 1,
  Misused = 2,
  Reserved = 3,
  Section = 4,
  Undefined = 5,
  Paths = 6,
  Operand = 7,
  FunctionOperand = 8,
}

/**
 * UpdateExpression ranks reserved words ahead of unknown functions; conditions report undefined
 * values and bad operands in the order they are written (as AWS does for key conditions).
 */
function effectiveRank(kind: ExpressionKind, rank: Rank): number {
  if (kind === 'UpdateExpression') return rank === Rank.Reserved ? Rank.Function - 0.5 : rank;
  if (kind === 'ProjectionExpression') return rank;
  return rank === Rank.Undefined || rank === Rank.FunctionOperand ? Rank.Operand : rank;
}

/** The keywords of each kind of expression, which can never be bare attribute names in it. */
export function isKeyword(kind: ExpressionKind, word: string): boolean {
  const keywords =
    kind === 'UpdateExpression' ? ['SET', 'REMOVE', 'ADD', 'DELETE'] : kind === 'ProjectionExpression' ? [] : ['AND', 'OR', 'NOT', 'BETWEEN', 'IN'];
  return keywords.includes(word.toUpperCase());
}

/** A cursor over the tokens with the helpers every parser needs. */
export class TokenStream {
  private position = 0;
  private issue: { rank: number; message: string } | undefined;

  constructor(
    readonly kind: ExpressionKind,
    readonly source: string,
    private readonly tokens: Token[],
  ) {}

  static of(kind: ExpressionKind, source: string): TokenStream {
    if (source.trim() === '') fail(kind, 'The expression can not be empty;');
    const size = Buffer.byteLength(source, 'utf8');
    if (size > MAX_EXPRESSION_BYTES) {
      // Only condition and filter expressions give the size (as DynamoDB does).
      const shown = kind === 'ConditionExpression' || kind === 'FilterExpression' ? ` expression size: ${size}` : '';
      fail(kind, `Expression size has exceeded the maximum allowed size;${shown}`);
    }
    return new TokenStream(kind, source, tokenize(kind, source));
  }

  peek(offset = 0): Token {
    return this.tokens[Math.min(this.position + offset, this.tokens.length - 1)];
  }

  next(): Token {
    const token = this.peek();
    if (token.type !== 'eof') this.position++;
    return token;
  }

  /** True (and consumed) when the next token is this punctuation or keyword (case-insensitive). */
  accept(text: string): boolean {
    if (this.isAt(text)) {
      this.position++;
      return true;
    }
    return false;
  }

  isAt(text: string, offset = 0): boolean {
    const token = this.peek(offset);
    return token.type !== 'eof' && token.text.toUpperCase() === text.toUpperCase() && (token.type === 'punct' || token.type === 'name');
  }

  expect(text: string): void {
    if (!this.accept(text)) this.fail();
  }

  /** A syntax error at the current token. */
  fail(): never {
    syntaxError(this.kind, this.source, this.tokens, this.position);
  }

  atEnd(): boolean {
    return this.peek().type === 'eof';
  }

  /** Records an error to throw once the whole expression is parsed (the first of the lowest rank wins). */
  report(rank: Rank, message: string): void {
    const effective = effectiveRank(this.kind, rank);
    if (!this.issue || effective < this.issue.rank) this.issue = { rank: effective, message };
  }

  /** Ends a parse: a syntax error if tokens remain, else the first recorded error, if any. */
  finish(): void {
    if (!this.atEnd()) this.fail();
    if (this.issue) fail(this.kind, this.issue.message);
  }
}
