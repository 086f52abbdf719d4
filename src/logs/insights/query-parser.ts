// Logs Insights' query language (the subset served): commands joined by `|` — fields, display,
// filter, stats … by …, sort, limit, parse — and the expressions they take. Errors carry the
// character range AWS reports in `queryCompileError.location`.

import { userRegExp } from '../../core/linear-regex.js';

export class QuerySyntaxError extends Error {
  constructor(message: string, readonly start: number, readonly end: number) {
    super(message);
  }
}

export type Expr =
  | { kind: 'literal'; value: string | number }
  | { kind: 'regex'; regex: RegExp }
  | { kind: 'field'; name: string }
  | { kind: 'list'; items: Expr[] }
  | { kind: 'call'; name: string; args: Expr[]; star?: boolean; start: number; end: number }
  | { kind: 'unary'; op: 'not' | '-'; arg: Expr }
  | { kind: 'binary'; op: string; left: Expr; right: Expr };

/** An expression with the name its result goes by (`as name`, else the text as written). */
export interface Named { expr: Expr; name: string }

export type Command =
  | { kind: 'fields'; items: Named[] }
  | { kind: 'display'; items: Named[] }
  | { kind: 'filter'; expr: Expr }
  | { kind: 'stats'; aggregates: Named[]; by: Named[] }
  | { kind: 'sort'; keys: { expr: Expr; descending: boolean }[] }
  | { kind: 'limit'; count: number }
  | { kind: 'parse'; source: Expr; glob?: { parts: string[]; names: string[] }; regex?: RegExp };

interface Token { type: 'word' | 'string' | 'number' | 'regex' | 'op' | 'end'; text: string; value: string; start: number; end: number }

const OPS = ['==', '!=', '<=', '>=', '=~', '=', '!', '<', '>', '(', ')', '[', ']', ',', '|', '+', '-', '*', '/', '%', '^'];

function tokenize(src: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  const prev = () => tokens[tokens.length - 1];
  while (i < src.length) {
    const c = src[i];
    if (/\s/.test(c)) { i++; continue; }
    const start = i;
    if (c === '"' || c === "'" || c === '`') {
      let value = '';
      i++;
      while (i < src.length && src[i] !== c) {
        if (src[i] === '\\' && i + 1 < src.length) { value += src[i + 1]; i += 2; } else value += src[i++];
      }
      if (i >= src.length) throw new QuerySyntaxError('unterminated string', start, src.length);
      i++;
      tokens.push({ type: c === '`' ? 'word' : 'string', text: src.slice(start, i), value, start, end: i });
      continue;
    }
    // A `/` starts a regular expression where an operand is expected (not after a value).
    const p = prev();
    if (c === '/' && (!p || (p.type === 'op' && p.value !== ')' && p.value !== ']') || (p.type === 'word' && /^(like|in|and|or|not)$/i.test(p.value))
      || tokens[tokens.length - 2]?.value.toLowerCase() === 'parse')) {
      let j = i + 1;
      while (j < src.length && src[j] !== '/') j += src[j] === '\\' ? 2 : 1;
      if (j >= src.length) throw new QuerySyntaxError('unterminated regular expression', start, src.length);
      let k = j + 1;
      while (k < src.length && /[a-z]/i.test(src[k])) k++;
      tokens.push({ type: 'regex', text: src.slice(start, k), value: src.slice(i + 1, j) + '/' + src.slice(j + 1, k), start, end: k });
      i = k;
      continue;
    }
    const num = /^\d+(\.\d+)?([smhdwy]|ms|mon|min|hr)?/i.exec(src.slice(i));
    if (num) {
      i += num[0].length;
      tokens.push({ type: num[2] ? 'word' : 'number', text: num[0], value: num[0], start, end: i });
      continue;
    }
    const word = /^[@A-Za-z_][\w.@$]*/.exec(src.slice(i));
    if (word) {
      i += word[0].length;
      tokens.push({ type: 'word', text: word[0], value: word[0], start, end: i });
      continue;
    }
    const op = OPS.find((o) => src.startsWith(o, i));
    if (!op) throw new QuerySyntaxError(`unexpected symbol: ${c}`, i, i + 1);
    i += op.length;
    tokens.push({ type: 'op', text: op, value: op, start, end: i });
  }
  tokens.push({ type: 'end', text: '', value: '', start: src.length, end: src.length });
  return tokens;
}

/** The regular expression a `/…/flags` token stands for. */
function regexOf(t: Token): RegExp {
  const at = t.value.lastIndexOf('/');
  let source = t.value.slice(0, at);
  let flags = t.value.slice(at + 1).replace(/[^imsu]/g, '');
  // AWS's regular expressions take a leading `(?i)` for case-insensitive matching.
  if (source.startsWith('(?i)')) { source = source.slice(4); flags += flags.includes('i') ? '' : 'i'; }
  try {
    return userRegExp(source, flags);
  } catch (e) {
    throw new QuerySyntaxError(`invalid regular expression: ${(e as Error).message}`, t.start, t.end);
  }
}

const COMPARISONS = new Set(['==', '=', '!=', '<', '<=', '>', '>=', '=~']);

/** Parentheses and lists nest at most this deep (the parser recurses on them). */
const MAX_DEPTH = 64;

class Parser {
  #pos = 0;
  #depth = 0;
  constructor(readonly src: string, readonly tokens: Token[]) {}

  get peek(): Token { return this.tokens[this.#pos]; }
  next(): Token { return this.tokens[this.#pos++]; }
  isWord(w: string): boolean { return this.peek.type === 'word' && this.peek.value.toLowerCase() === w; }
  isOp(o: string): boolean { return this.peek.type === 'op' && this.peek.value === o; }
  fail(message: string, t: Token = this.peek): never { throw new QuerySyntaxError(message, t.start, Math.max(t.end, t.start + 1)); }
  expectOp(o: string): void { if (!this.isOp(o)) this.fail(`expected '${o}'`); this.next(); }

  query(): Command[] {
    const commands: Command[] = [this.command()];
    while (this.isOp('|')) { this.next(); commands.push(this.command()); }
    if (this.peek.type !== 'end') this.fail(`unexpected symbol: ${this.peek.text}`);
    return commands;
  }

  command(): Command {
    const t = this.next();
    if (t.type !== 'word') this.fail('expected a command', t);
    switch (t.value.toLowerCase()) {
      case 'fields': return { kind: 'fields', items: this.namedList() };
      case 'display': return { kind: 'display', items: this.namedList() };
      case 'filter': return { kind: 'filter', expr: this.expr() };
      case 'stats': return this.stats();
      case 'sort': return this.sort();
      case 'limit': {
        const n = this.next();
        if (n.type !== 'number' || !Number.isInteger(Number(n.value)) || Number(n.value) < 1) this.fail('limit takes a positive whole number', n);
        return { kind: 'limit', count: Number(n.value) };
      }
      case 'parse': return this.parse();
      default: return this.fail(`unknown command: ${t.text}`, t);
    }
  }

  namedList(): Named[] {
    const items = [this.named()];
    while (this.isOp(',')) { this.next(); items.push(this.named()); }
    return items;
  }

  named(): Named {
    const from = this.peek.start;
    const expr = this.expr();
    const text = this.src.slice(from, this.tokens[this.#pos - 1].end).trim();
    if (this.isWord('as')) {
      this.next();
      const n = this.next();
      if (n.type !== 'word') this.fail('expected a name after as', n);
      return { expr, name: n.value };
    }
    return { expr, name: expr.kind === 'field' ? expr.name : text };
  }

  stats(): Command {
    const aggregates = [this.named()];
    while (this.isOp(',')) { this.next(); aggregates.push(this.named()); }
    let by: Named[] = [];
    if (this.isWord('by')) { this.next(); by = this.namedList(); }
    return { kind: 'stats', aggregates, by };
  }

  sort(): Command {
    const keys: { expr: Expr; descending: boolean }[] = [];
    if (this.isWord('by')) this.next();
    do {
      if (keys.length) this.next();
      const expr = this.additive();
      let descending = true;
      if (this.isWord('asc')) { this.next(); descending = false; } else if (this.isWord('desc')) this.next();
      keys.push({ expr, descending });
    } while (this.isOp(','));
    return { kind: 'sort', keys };
  }

  parse(): Command {
    const source = this.primary();
    const p = this.next();
    if (p.type === 'regex') {
      const regex = regexOf(p);
      if (!/\(\?<\w+>/.test(regex.source)) this.fail('a parse regular expression names its fields with (?<name>…)', p);
      return { kind: 'parse', source, regex };
    }
    if (p.type !== 'string') this.fail('parse takes a pattern in quotes or a regular expression', p);
    const parts = p.value.split('*');
    if (!this.isWord('as')) this.fail("expected 'as' after the parse pattern");
    this.next();
    const names: string[] = [];
    do {
      if (names.length) this.next();
      const n = this.next();
      if (n.type !== 'word') this.fail('expected a field name', n);
      names.push(n.value);
    } while (this.isOp(','));
    if (names.length !== parts.length - 1) this.fail(`the pattern has ${parts.length - 1} wildcards for ${names.length} names`, p);
    return { kind: 'parse', source, glob: { parts, names } };
  }

  expr(): Expr {
    let left = this.and();
    while (this.isWord('or')) { this.next(); left = { kind: 'binary', op: 'or', left, right: this.and() }; }
    return left;
  }

  and(): Expr {
    let left = this.not();
    while (this.isWord('and')) { this.next(); left = { kind: 'binary', op: 'and', left, right: this.not() }; }
    return left;
  }

  not(): Expr {
    if (this.isWord('not') || this.isOp('!')) { this.next(); return { kind: 'unary', op: 'not', arg: this.nested(() => this.not()) }; }
    return this.comparison();
  }

  comparison(): Expr {
    const left = this.additive();
    let negate = false;
    if (this.isWord('not')) { this.next(); negate = true; if (!this.isWord('like') && !this.isWord('in')) this.fail("expected 'like' or 'in' after 'not'"); }
    let e: Expr | undefined;
    if (this.isWord('like')) { this.next(); e = { kind: 'binary', op: 'like', left, right: this.additive() }; }
    else if (this.isWord('in')) { this.next(); e = { kind: 'binary', op: 'in', left, right: this.primary() }; }
    else if (this.peek.type === 'op' && COMPARISONS.has(this.peek.value)) {
      const op = this.next().value;
      e = { kind: 'binary', op: op === '=~' ? 'like' : op === '==' ? '=' : op, left, right: this.additive() };
    }
    if (!e) return left;
    return negate ? { kind: 'unary', op: 'not', arg: e } : e;
  }

  additive(): Expr {
    let left = this.multiplicative();
    while (this.isOp('+') || this.isOp('-')) { const op = this.next().value; left = { kind: 'binary', op, left, right: this.multiplicative() }; }
    return left;
  }

  multiplicative(): Expr {
    let left = this.unary();
    while (this.isOp('*') || this.isOp('/') || this.isOp('%') || this.isOp('^')) { const op = this.next().value; left = { kind: 'binary', op, left, right: this.unary() }; }
    return left;
  }

  unary(): Expr {
    if (this.isOp('-')) { this.next(); return { kind: 'unary', op: '-', arg: this.nested(() => this.unary()) }; }
    return this.primary();
  }

  primary(): Expr {
    return this.nested(() => this.operand());
  }

  nested(parse: () => Expr): Expr {
    if (++this.#depth > MAX_DEPTH) this.fail('the query nests too deeply');
    try {
      return parse();
    } finally {
      this.#depth--;
    }
  }

  operand(): Expr {
    const t = this.next();
    switch (t.type) {
      case 'number': return { kind: 'literal', value: Number(t.value) };
      case 'string': return { kind: 'literal', value: t.value };
      case 'regex': return { kind: 'regex', regex: regexOf(t) };
      case 'word': {
        if (!this.isOp('(')) {
          if (/^\d/.test(t.value)) return { kind: 'literal', value: t.value }; // a duration, e.g. bin(5m)
          return { kind: 'field', name: t.value };
        }
        this.next();
        const args: Expr[] = [];
        let star = false;
        if (this.isOp('*')) { this.next(); star = true; }
        else if (!this.isOp(')')) {
          args.push(this.expr());
          while (this.isOp(',')) { this.next(); args.push(this.expr()); }
        }
        const close = this.peek;
        this.expectOp(')');
        return { kind: 'call', name: t.value.toLowerCase(), args, star, start: t.start, end: close.end };
      }
      case 'op':
        if (t.value === '(') { const e = this.expr(); this.expectOp(')'); return e; }
        if (t.value === '[') {
          const items: Expr[] = [];
          if (!this.isOp(']')) {
            items.push(this.additive());
            while (this.isOp(',')) { this.next(); items.push(this.additive()); }
          }
          this.expectOp(']');
          return { kind: 'list', items };
        }
        return this.fail(`unexpected symbol: ${t.text}`, t);
      default:
        return this.fail(t.type === 'end' ? 'unexpected end of query' : `unexpected symbol: ${t.text}`, t);
    }
  }
}

/** Parses a query string; throws QuerySyntaxError with the offending range. */
export function parseQuery(src: string): Command[] {
  // `#` starts a comment that runs to the end of its line.
  const text = src.replace(/^(\s*)(#[^\n]*)/gm, (_m, lead: string, c: string) => lead + ' '.repeat(c.length));
  return new Parser(text, tokenize(text)).query();
}
