// Marker paging over a list already ordered by a string key: the marker is the last key served
// (base64url, opaque to clients), so a page stays correct when items are added or removed between calls.
import { invalidParameter } from './errors.js';

export interface Page<T> {
  items: T[];
  nextMarker?: string;
}

export function pageAfter<T>(all: T[], keyOf: (item: T) => string, marker: string | undefined, limit: number): Page<T> {
  const after = marker ? Buffer.from(marker, 'base64url').toString() : undefined;
  // Only a marker this server made encodes back to itself; anything else is refused, not read as some key.
  if (marker && Buffer.from(after!).toString('base64url') !== marker) throw invalidParameter('Invalid marker.');
  const rest = after === undefined ? all : all.filter((item) => keyOf(item) > after);
  const items = rest.slice(0, limit);
  const more = rest.length > items.length;
  return { items, nextMarker: more ? Buffer.from(keyOf(items[items.length - 1])).toString('base64url') : undefined };
}
