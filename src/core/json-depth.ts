// How deeply user-supplied JSON documents (model schemas, imported OpenAPI documents) may nest.
// JSON.parse reads any depth, but JSON.stringify and the recursive walks over schemas and
// documents overflow the stack a few thousand levels down: a deeper document is refused as
// unreadable before anything walks it. Jackson, which AWS's front ends parse with, stops at 1000
// levels by default; this limit is Stagecraft's, far beyond real documents.
export const MAX_DOCUMENT_NESTING = 256;

/** True when `value` nests objects/arrays deeper than `limit` levels (walked without recursion). */
export function nestsDeeperThan(value: unknown, limit = MAX_DOCUMENT_NESTING): boolean {
  const stack: [unknown, number][] = [[value, 1]];
  while (stack.length) {
    const [v, depth] = stack.pop()!;
    if (v === null || typeof v !== 'object') continue;
    if (depth > limit) return true;
    for (const child of Object.values(v)) stack.push([child, depth + 1]);
  }
  return false;
}

/** JSON text parsed, or a SyntaxError when it is not JSON or nests deeper than `limit`. */
export function parseShallowJson(text: string, limit = MAX_DOCUMENT_NESTING): unknown {
  const value = JSON.parse(text) as unknown;
  if (nestsDeeperThan(value, limit)) throw new SyntaxError(`JSON nests deeper than ${limit} levels`);
  return value;
}
