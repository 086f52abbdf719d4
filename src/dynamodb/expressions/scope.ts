// A request's ExpressionAttributeNames and ExpressionAttributeValues: validated once, shared by the
// request's expressions, which mark what they use so unused entries can be refused as AWS does.
import type { AttributeValue } from '../attribute-value.js';
import { checkAttributeValue } from '../attribute-values.js';
import type { ValueLayer } from '../numbers.js';
import { DynamoDbValidationError } from '../validation-error.js';
import type { ExpressionScope } from './api.js';
import { Rank, type TokenStream } from './tokens.js';

const NAME_KEY = /^#[A-Za-z0-9_]+$/;
const VALUE_KEY = /^:[A-Za-z0-9_]+$/;

export class Scope implements ExpressionScope {
  readonly names: Record<string, string> | undefined;
  readonly values: Record<string, AttributeValue> | undefined;
  private readonly usedNames = new Set<string>();
  private readonly usedValues = new Set<string>();

  constructor(names: Record<string, string> | undefined, values: Record<string, AttributeValue> | undefined) {
    this.names = names && checkNames(names);
    this.values = values && checkExpressionAttributeValues(values);
  }

  /** The attribute name a #placeholder stands for. */
  name(tokens: TokenStream, placeholder: string): string {
    const name = this.names && Object.hasOwn(this.names, placeholder) ? this.names[placeholder] : undefined;
    if (name === undefined) {
      tokens.report(Rank.Undefined, `An expression attribute name used in the document path is not defined; attribute name: ${placeholder}`);
      return placeholder;
    }
    this.usedNames.add(placeholder);
    return name;
  }

  /** The value a :placeholder stands for. */
  value(tokens: TokenStream, placeholder: string): AttributeValue {
    const value = this.values && Object.hasOwn(this.values, placeholder) ? this.values[placeholder] : undefined;
    if (value === undefined) {
      tokens.report(Rank.Undefined, `An expression attribute value used in expression is not defined; attribute value: ${placeholder}`);
      return { NULL: true }; // a stand-in: the recorded error is thrown before anything evaluates
    }
    this.usedValues.add(placeholder);
    return value;
  }

  assertAllUsed(): void {
    const unusedNames = Object.keys(this.names ?? {}).filter((key) => !this.usedNames.has(key));
    if (unusedNames.length > 0) {
      throw new DynamoDbValidationError(`Value provided in ExpressionAttributeNames unused in expressions: keys: {${unusedNames.join(', ')}}`);
    }
    const unusedValues = Object.keys(this.values ?? {}).filter((key) => !this.usedValues.has(key));
    if (unusedValues.length > 0) {
      throw new DynamoDbValidationError(`Value provided in ExpressionAttributeValues unused in expressions: keys: {${unusedValues.join(', ')}}`);
    }
  }
}

/** Placeholders may be 255 bytes long, their # or : included. */
const MAX_KEY_BYTES = 255;

function checkNames(names: Record<string, string>): Record<string, string> {
  const keys = Object.keys(names);
  if (keys.length === 0) throw new DynamoDbValidationError('ExpressionAttributeNames must not be empty');
  for (const key of keys) {
    const size = Buffer.byteLength(key, 'utf8');
    if (size > MAX_KEY_BYTES) {
      throw new DynamoDbValidationError(`ExpressionAttributeNames contains invalid key: The expression attribute map contains a key that is too long; size of key: ${size}`);
    }
    if (!NAME_KEY.test(key)) throw new DynamoDbValidationError(`ExpressionAttributeNames contains invalid key: Syntax error; key: "${key}"`);
    if (names[key] === '') throw new DynamoDbValidationError(`ExpressionAttributeNames contains invalid value: Empty attribute name for key ${key}`);
  }
  return { ...names };
}

/**
 * Validates ExpressionAttributeValues and returns them normalised. The current layer (see
 * ValueLayer) reports a bad value as it is; the older one, used by BatchWriteItem, the transactions
 * and Scan, wraps it: "ExpressionAttributeValues contains invalid value: … for key :v". Handlers on
 * the older layer call this with 'older' before making the scope.
 */
export function checkExpressionAttributeValues(
  values: Record<string, AttributeValue>,
  layer: ValueLayer = 'current',
): Record<string, AttributeValue> {
  const keys = Object.keys(values);
  if (keys.length === 0) throw new DynamoDbValidationError('ExpressionAttributeValues must not be empty');
  const checked: Record<string, AttributeValue> = {};
  for (const key of keys) {
    // Unlike names, DynamoDB gives no size here.
    if (Buffer.byteLength(key, 'utf8') > MAX_KEY_BYTES) {
      throw new DynamoDbValidationError('ExpressionAttributeValues contains invalid key: The expression attribute map contains a key that is too long;');
    }
    if (!VALUE_KEY.test(key)) throw new DynamoDbValidationError(`ExpressionAttributeValues contains invalid key: Syntax error; key: "${key}"`);
    try {
      checked[key] = checkAttributeValue(values[key], layer);
    } catch (error) {
      if (!(error instanceof DynamoDbValidationError) || layer === 'current') throw error;
      throw new DynamoDbValidationError(`ExpressionAttributeValues contains invalid value: ${error.message} for key ${key}`);
    }
  }
  return checked;
}
