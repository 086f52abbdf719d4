// The contract between the DynamoDB handlers and the expression language (condition, filter, key
// condition, update and projection expressions). Every function throws DynamoDbValidationError
// with AWS's message for a malformed expression, an undefined #name or :value, or a type error.
import type { AttributeValue, Item } from '../attribute-value.js';

/**
 * One request's ExpressionAttributeNames and ExpressionAttributeValues, shared by all of its
 * expressions: records which were used so the request can be refused, as AWS does, when some were
 * not ("Value provided in ExpressionAttributeValues unused in expressions: keys: {:x}").
 */
export interface ExpressionScope {
  readonly names: Record<string, string> | undefined;
  readonly values: Record<string, AttributeValue> | undefined;
  /** Throws DynamoDbValidationError naming the unused names or values, in AWS's wording. */
  assertAllUsed(): void;
}

/** A ConditionExpression or FilterExpression: true when the item (undefined: no item) satisfies it. */
export interface CompiledCondition {
  matches(item: Item | undefined): boolean;
}

/** A KeyConditionExpression resolved against a table's or index's key schema. */
export interface CompiledKeyCondition {
  /** The partition key's value (equality is the only operator AWS allows on it). */
  partition: AttributeValue;
  /** The sort key's condition, when the expression names one. */
  sort?: { op: '=' | '<' | '<=' | '>' | '>=' | 'BETWEEN' | 'BEGINS_WITH'; values: AttributeValue[] };
}

/** An UpdateExpression: SET, REMOVE, ADD and DELETE clauses. */
export interface CompiledUpdate {
  /** The top-level attribute names its clauses change (the handler refuses key attributes). */
  readonly topLevelNames: string[];
  /** Applies the clauses to a copy of the item (an empty item when none exists) and returns the copy. */
  apply(item: Item): Item;
}

/** A ProjectionExpression: the document paths a read returns. */
export interface CompiledProjection {
  /** The top-level attribute names it reads (for index projections). */
  readonly topLevelNames: string[];
  project(item: Item): Item;
}

export interface ExpressionLanguage {
  scope(names: Record<string, string> | undefined, values: Record<string, AttributeValue> | undefined): ExpressionScope;
  condition(expression: string, kind: 'ConditionExpression' | 'FilterExpression', scope: ExpressionScope): CompiledCondition;
  keyCondition(expression: string, scope: ExpressionScope, keySchema: { partition: string; sort?: string }): CompiledKeyCondition;
  update(expression: string, scope: ExpressionScope): CompiledUpdate;
  projection(expression: string, scope: ExpressionScope): CompiledProjection;
}
