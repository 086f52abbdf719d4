// Required members inside lists and maps of structures (DynamoDB's RequestItems.<table>.Keys and
// TransactItems' Get, SSM's Filters' Key): the generic model check (validate.ts) stops at a list or
// map, and a handler would meet the missing member as a crash. AWS names such a member by its Coral
// path: list elements 1-based, map values by key, then `member` (`requestItems.Music.member.keys`,
// `transactItems.1.member.get`). Opt-in per service, so other services' answers stay as recorded.
import type { ServiceModel } from './model.js';
import type { OperationHandler } from './protocols/rest-json.js';
import type { AwsError } from '../core/errors.js';
import { validationMessage } from './validate.js';

const lowerFirst = (s: string) => s.charAt(0).toLowerCase() + s.slice(1);

/** `notWalked`: shapes not descended into (DynamoDB's AttributeValue: checked by the service, and may nest thousands deep). */
export function nestedRequiredViolations(model: ServiceModel, shapeName: string, input: unknown, notWalked: ReadonlySet<string> = new Set()): string[] {
  const out: string[] = [];
  const visit = (name: string, value: unknown, path: string, inCollection: boolean) => {
    const shape = model.shapes[name];
    if (!shape || value === null || typeof value !== 'object' || notWalked.has(name)) return;
    if (shape.type === 'structure' && !Array.isArray(value)) {
      const record = value as Record<string, unknown>;
      if (inCollection) {
        for (const req of shape.required ?? []) {
          if (record[req] === undefined || record[req] === null) out.push(`Value null at '${path}.${lowerFirst(req)}' failed to satisfy constraint: Member must not be null`);
        }
      }
      for (const [member, ref] of Object.entries(shape.members ?? {})) visit(ref.shape, record[member], path ? `${path}.${lowerFirst(member)}` : lowerFirst(member), inCollection);
    } else if (shape.type === 'list' && Array.isArray(value)) {
      value.forEach((item, i) => visit(shape.member!.shape, item, `${path}.${i + 1}.member`, true));
    } else if (shape.type === 'map' && !Array.isArray(value)) {
      for (const [key, item] of Object.entries(value)) visit(shape.value!.shape, item, `${path}.${key}.member`, true);
    }
  };
  visit(shapeName, input, '', false);
  return out;
}

/** The handlers, each refusing a request with nested required members missing as `invalid(message)` first. */
export function checkingNestedRequired(model: ServiceModel, handlers: Record<string, OperationHandler>, invalid: (message: string) => AwsError,
  notWalked?: ReadonlySet<string>): Record<string, OperationHandler> {
  return Object.fromEntries(Object.entries(handlers).map(([name, handler]): [string, OperationHandler] => [name, (input, ctx, raw) => {
    const nulls = nestedRequiredViolations(model, model.operations[name]?.input?.shape ?? '', input, notWalked);
    if (nulls.length) throw invalid(validationMessage(nulls));
    return handler(input, ctx, raw);
  }]));
}
