// Tags of roles and customer managed policies: keys compare without regard to case, as IAM's do.
import type { Tag } from '../aws/generated/iam.js';
import { awsError } from '../core/errors.js';
import type { IamTag } from '../store/iam-store.js';
import { limitExceeded } from './errors.js';

const TAGS_QUOTA = 50;

/** `existing` with `added` set over it; `quota` names the entity's quota (TagsPerRole, TagsPerPolicy). */
export function mergeTags(existing: IamTag[], added: Tag[], quota: string): IamTag[] {
  const keys = added.map((t) => t.Key.toLowerCase());
  if (new Set(keys).size !== keys.length) throw awsError('InvalidInput', 'Duplicate tag keys found. Please note that Tag keys are case insensitive.');
  const merged = [...existing.filter((t) => !keys.includes(t.Key.toLowerCase())), ...added.map((t) => ({ Key: t.Key, Value: t.Value }))];
  if (merged.length > TAGS_QUOTA) throw limitExceeded(`Cannot exceed quota for ${quota}: ${TAGS_QUOTA}`);
  return merged;
}

export function withoutTags(existing: IamTag[], keys: string[]): IamTag[] {
  const removed = new Set(keys.map((k) => k.toLowerCase()));
  return existing.filter((t) => !removed.has(t.Key.toLowerCase()));
}
