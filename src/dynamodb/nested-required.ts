// Required members inside lists and maps of structures (BatchGetItem's RequestItems.<table>.Keys,
// TransactGetItems' Get, TransactWriteItems' Put.Item, BatchWriteItem's PutRequest.Item): the generic
// model check stops at a list or map, and a handler would meet the missing member as a crash. AWS
// names such a member by its Coral path: list elements 1-based, map values by key, then `member`
// (`requestItems.Music.member.keys`, `transactItems.1.member.get`).
import type { ServiceModel } from '../aws/model.js';

/** Attribute values are checked by the item checks; they may nest thousands deep. */
const NOT_WALKED = new Set(['AttributeValue']);

const lowerFirst = (s: string) => s.charAt(0).toLowerCase() + s.slice(1);

export function nestedRequiredViolations(model: ServiceModel, shapeName: string, input: unknown): string[] {
  const out: string[] = [];
  const visit = (name: string, value: unknown, path: string, inCollection: boolean) => {
    const shape = model.shapes[name];
    if (!shape || value === null || typeof value !== 'object' || NOT_WALKED.has(name)) return;
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
