// The parsed form of an UpdateExpression.
import type { AttributeValue } from '../attribute-value.js';
import type { DocumentPath } from './paths.js';

export type SetValue =
  | { readonly type: 'path'; readonly path: DocumentPath }
  | { readonly type: 'value'; readonly value: AttributeValue }
  | { readonly type: 'if_not_exists'; readonly path: DocumentPath; readonly fallback: SetValue }
  | { readonly type: 'list_append'; readonly left: SetValue; readonly right: SetValue }
  | { readonly type: '+' | '-'; readonly left: SetValue; readonly right: SetValue };

export type UpdateAction =
  | { readonly action: 'SET'; readonly path: DocumentPath; readonly value: SetValue }
  | { readonly action: 'REMOVE'; readonly path: DocumentPath }
  | { readonly action: 'ADD' | 'DELETE'; readonly path: DocumentPath; readonly value: AttributeValue };
