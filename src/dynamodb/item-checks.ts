// The item checks the item handlers make, over the attribute value module: values with AWS's
// messages (numbers normalised) and the 400 KB size limit, which UpdateItem words its own way.
import type { Item } from './attribute-value.js';
import { assertItemSize, checkItem } from './attribute-values.js';

export { itemSize } from './attribute-values.js';

/** The item with its values checked and its numbers normalised. */
export const checkItemValues = (item: Item): Item => checkItem(item as Record<string, unknown>);

export function checkItemSize(item: Item, update = false): void {
  assertItemSize(item, update ? 'Item size to update has exceeded the maximum allowed size' : undefined);
}
