// IAM's list paging (MaxItems, default 100; an opaque Marker naming where the next page starts)
// and the ids and ARNs IAM gives what it creates.
import { createHash, randomInt } from 'node:crypto';

const DEFAULT_MAX_ITEMS = 100;

/** One page of `items` (sorted by `key`) after the Marker: pages hold even when items are deleted between them. */
export function page<T>(items: T[], key: (item: T) => string, input: { Marker?: string; MaxItems?: number }): { items: T[]; IsTruncated: boolean; Marker?: string } {
  const max = input.MaxItems ?? DEFAULT_MAX_ITEMS;
  const after = input.Marker === undefined ? undefined : Buffer.from(input.Marker, 'base64url').toString('utf8');
  const rest = after === undefined ? items : items.filter((i) => key(i) > after);
  const out = rest.slice(0, max);
  const truncated = rest.length > max;
  return { items: out, IsTruncated: truncated, Marker: truncated ? Buffer.from(key(out[out.length - 1])).toString('base64url') : undefined };
}

const ID_CHARS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

/** A unique id of IAM's form: its 4-letter prefix (AROA roles, ANPA policies) and 17 more characters. */
export function uniqueId(prefix: 'AROA' | 'ANPA'): string {
  let id = prefix;
  for (let i = 0; i < 17; i++) id += ID_CHARS[randomInt(ID_CHARS.length)];
  return id;
}

/** The same id of IAM's form for the same seed (AWS managed policies: AWS's own ids are not published as data). */
export function stableId(prefix: 'ANPA', seed: string): string {
  const digest = createHash('sha256').update(seed).digest();
  let id = prefix;
  for (let i = 0; i < 17; i++) id += ID_CHARS[digest[i] % ID_CHARS.length];
  return id;
}

/** Paths start and end with '/': the PathPrefix filter compares from the start. */
export const underPrefix = (path: string, prefix: string | undefined): boolean => prefix === undefined || path.startsWith(prefix);
