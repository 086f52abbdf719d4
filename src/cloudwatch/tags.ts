// Tag lists as CloudWatch combines them (TagResource, and PutDashboard on an existing dashboard).
import type { Tag } from '../aws/generated/cloudwatch.js';

/** New keys are added; a key the resource has takes the new value. */
export function mergedTags(kept: Tag[], given: Tag[]): Tag[] {
  const byKey = new Map(kept.map((t) => [t.Key, t]));
  for (const t of given) byKey.set(t.Key, { Key: t.Key, Value: t.Value });
  return [...byKey.values()];
}
