// Document paths (`a.b[2].#c`): parsing, reading a value at a path, and the overlap and conflict
// checks AWS applies to the paths of one update or projection expression.
import type { AttributeValue, Item } from '../attribute-value.js';
import { isReservedWord } from './reserved-words.js';
import type { Scope } from './scope.js';
import { isKeyword, Rank, type TokenStream } from './tokens.js';

/** Map keys are strings, list indexes numbers; the first element is always a top-level name. */
export type DocumentPath = readonly (string | number)[];

/** AWS allows 32 levels of nesting in a document path. */
const MAX_DEPTH = 32;

/** Reads one path segment's name: a bare name (not a reserved word) or a #placeholder. */
function segmentName(tokens: TokenStream, scope: Scope): string {
  const token = tokens.peek();
  if (token.type === 'attrName') {
    tokens.next();
    return scope.name(tokens, token.text);
  }
  // In conditions a bare name starts with a letter; update and projection paths may start with '_'.
  const letterLed = tokens.kind !== 'UpdateExpression' && tokens.kind !== 'ProjectionExpression';
  if (token.type === 'name' && (!letterLed || /^[A-Za-z]/.test(token.text)) && !isKeyword(tokens.kind, token.text)) {
    tokens.next();
    if (isReservedWord(token.text)) tokens.report(Rank.Reserved, `Attribute name is a reserved keyword; reserved keyword: ${token.text}`);
    return token.text;
  }
  return tokens.fail();
}

/** Parses a document path at the stream's position. */
export function parsePath(tokens: TokenStream, scope: Scope): DocumentPath {
  const path: (string | number)[] = [segmentName(tokens, scope)];
  for (;;) {
    if (tokens.accept('.')) path.push(segmentName(tokens, scope));
    else if (tokens.accept('[')) {
      const index = tokens.peek();
      if (index.type !== 'number') tokens.fail();
      tokens.next();
      tokens.expect(']');
      path.push(Number(index.text));
    } else break;
  }
  if (path.length > MAX_DEPTH) {
    tokens.report(Rank.Operand, `The document path has too many nesting levels; nesting levels: ${path.length}`);
  }
  return path;
}

/** True when the next token can start a document path. */
export function atPath(tokens: TokenStream): boolean {
  const token = tokens.peek();
  if (token.type === 'attrName') return true;
  return token.type === 'name' && !tokens.isAt('(', 1) && !isKeyword(tokens.kind, token.text);
}

/** The value at a path, or undefined when any step is missing or of the wrong type. */
export function valueAt(item: Item | undefined, path: DocumentPath): AttributeValue | undefined {
  if (!item) return undefined;
  let current: AttributeValue | undefined = item[path[0] as string];
  if (!Object.hasOwn(item, path[0] as string)) return undefined;
  for (const segment of path.slice(1)) {
    if (current === undefined) return undefined;
    if (typeof segment === 'number') {
      current = 'L' in current ? current.L[segment] : undefined;
    } else {
      current = 'M' in current && Object.hasOwn(current.M, segment) ? current.M[segment] : undefined;
    }
  }
  return current;
}

/** AWS's rendering of a path in messages: `[a, [1], b]`. */
export function renderPath(path: DocumentPath): string {
  return `[${path.map((segment) => (typeof segment === 'number' ? `[${segment}]` : segment)).join(', ')}]`;
}

function sameSegment(a: string | number, b: string | number): boolean {
  return typeof a === typeof b && a === b;
}

/**
 * The message refusing paths of one expression that overlap (one is a prefix of, or equal to, another) and then
 * paths that conflict (one indexes a list where another names a map key), with AWS's messages.
 */
export function pathsClash(paths: DocumentPath[]): string | undefined {
  for (let i = 0; i < paths.length; i++) {
    for (let j = i + 1; j < paths.length; j++) {
      const [a, b] = [paths[i], paths[j]];
      const shared = Math.min(a.length, b.length);
      let k = 0;
      while (k < shared && sameSegment(a[k], b[k])) k++;
      if (k === shared) {
        return `Two document paths overlap with each other; must remove or rewrite one of these paths; path one: ${renderPath(a)}, path two: ${renderPath(b)}`;
      }
    }
  }
  for (let i = 0; i < paths.length; i++) {
    for (let j = i + 1; j < paths.length; j++) {
      const [a, b] = [paths[i], paths[j]];
      let k = 0;
      while (sameSegment(a[k], b[k])) k++;
      if (typeof a[k] !== typeof b[k]) {
        return `Two document paths conflict with each other; must remove or rewrite one of these paths; path one: ${renderPath(a)}, path two: ${renderPath(b)}`;
      }
    }
  }
  return undefined;
}
