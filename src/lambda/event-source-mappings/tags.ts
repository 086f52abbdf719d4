// Tags on event source mappings, by their ARN (TagResource, UntagResource, ListTags).
import type { EventSourceMappingStore, StoredEventSourceMapping } from '../../store/event-source-mapping-store.js';
import { mappingArnNotFound } from './errors.js';

const MAPPING_ARN = /^arn:[^:]+:lambda:([^:]+):(\d{12}):event-source-mapping:([0-9a-fA-F-]{36})$/;

export const isMappingArn = (arn: string): boolean => /^arn:[^:]+:lambda:[^:]+:\d{12}:event-source-mapping:/.test(arn);

export interface MappingTags {
  /** The mapping's tags; throws AWS's "Event source mapping not found" when there is none of that ARN. */
  get(arn: string): Promise<Record<string, string>>;
  /** Rewrites the tags through `change`. */
  change(arn: string, change: (tags: Record<string, string>) => Record<string, string>): Promise<void>;
}

export function mappingTags(store: EventSourceMappingStore): MappingTags {
  const find = async (arn: string): Promise<StoredEventSourceMapping> => {
    const m = MAPPING_ARN.exec(arn);
    const mapping = m ? await store.get(m[3]) : undefined;
    if (!mapping || mapping.region !== m![1] || mapping.accountId !== m![2] || mapping.state === 'Deleting') throw mappingArnNotFound(arn);
    return mapping;
  };
  return {
    async get(arn) {
      return (await find(arn)).tags;
    },
    async change(arn, change) {
      const mapping = await find(arn);
      if (!(await store.update({ ...mapping, tags: change(mapping.tags) }))) throw mappingArnNotFound(arn);
    },
  };
}
