// The parsed form of condition, filter and key condition expressions.
import type { AttributeValue } from '../attribute-value.js';
import type { DocumentPath } from './paths.js';

export type Operand =
  | { readonly type: 'path'; readonly path: DocumentPath }
  | { readonly type: 'value'; readonly placeholder: string; readonly value: AttributeValue }
  | { readonly type: 'size'; readonly operand: Operand };

export type Comparator = '=' | '<>' | '<' | '<=' | '>' | '>=';

export type BooleanFunction = 'attribute_exists' | 'attribute_not_exists' | 'attribute_type' | 'begins_with' | 'contains';

export type Condition =
  | { readonly type: 'and' | 'or'; readonly left: Condition; readonly right: Condition }
  | { readonly type: 'not'; readonly operand: Condition }
  | { readonly type: 'group'; readonly inner: Condition }
  | { readonly type: 'compare'; readonly op: Comparator; readonly left: Operand; readonly right: Operand }
  | { readonly type: 'between'; readonly operand: Operand; readonly low: Operand; readonly high: Operand }
  | { readonly type: 'in'; readonly operand: Operand; readonly list: readonly Operand[] }
  | { readonly type: 'function'; readonly name: BooleanFunction; readonly args: readonly Operand[] };

export const BOOLEAN_FUNCTIONS: readonly string[] = ['attribute_exists', 'attribute_not_exists', 'attribute_type', 'begins_with', 'contains'];
export const COMPARATORS: readonly string[] = ['=', '<>', '<', '<=', '>', '>='];
