// API Gateway's PATCH operations: JSON-pointer-like paths ("/requestModels/application~1json")
// applied one by one to a working copy of a record. Each handler decides which paths and ops it
// accepts; these helpers only parse.
import type { PatchOperation } from '../aws/generated/apigateway.js';
import { badRequest } from './errors.js';

export type PatchOp = PatchOperation;

/** "~1" is "/" and "~0" is "~" inside a path segment (RFC 6901). */
export const unescapeSegment = (s: string): string => s.replace(/~1/g, '/').replace(/~0/g, '~');

/** Splits "/a/b~1c" into ["a", "b/c"]; a path not starting with "/" yields undefined. */
export function pathSegments(path: string | undefined): string[] | undefined {
  if (path === undefined || !path.startsWith('/')) return undefined;
  return path.slice(1).split('/').map(unescapeSegment);
}

/** Java's Boolean.parseBoolean: "true" in any case is true, anything else false. */
export const parseBoolean = (value: string | undefined): boolean => (value ?? '').toLowerCase() === 'true';

/** Removes a key from a map, dropping the map when it becomes empty. */
export function withoutKey<T>(map: Record<string, T> | undefined, key: string): Record<string, T> | undefined {
  if (!map) return undefined;
  const next = { ...map };
  delete next[key];
  return Object.keys(next).length ? next : undefined;
}

/**
 * The most operations one PATCH may carry: Stagecraft's limit (AWS documents none). Handlers
 * apply operations one by one to maps they copy, so an unbounded list (tens of thousands of
 * `/variables/…` operations) kept the server busy for minutes; real clients send a few dozen.
 */
export const MAX_PATCH_OPERATIONS = 1000;

/** Refuses a request with more than MAX_PATCH_OPERATIONS operations. */
export function checkPatchCount(input: unknown): void {
  const ops = (input as { patchOperations?: unknown } | undefined)?.patchOperations;
  if (Array.isArray(ops) && ops.length > MAX_PATCH_OPERATIONS) {
    throw badRequest(`Too many patch operations: ${ops.length}. A request may carry at most ${MAX_PATCH_OPERATIONS}.`);
  }
}
