// What a deploy does alike for the filters it puts on log groups (metric-filters.ts,
// subscription-filters.ts): filters cannot be tagged, so the log group carries a tag per filter the
// stack owns (`{prefix}{hash of the name}` = stack; tag keys cannot hold every character a filter
// name may), by which a filter removed from the template or the stack is found and deleted.
import { createHash } from 'node:crypto';
import {
  CreateLogGroupCommand, DescribeLogGroupsCommand, ListTagsLogGroupCommand, TagLogGroupCommand, UntagLogGroupCommand,
  type CloudWatchLogsClient, type LogGroup,
} from '@aws-sdk/client-cloudwatch-logs';

export interface LogGroupFilterKind {
  tagPrefix: string;
  /** The names of a group's filters of this kind. */
  names(logs: CloudWatchLogsClient, logGroupName: string): Promise<string[]>;
  remove(logs: CloudWatchLogsClient, logGroupName: string, filterName: string): Promise<void>;
  /** Whether a group may hold such filters (skips reading the tags of the others). */
  mayHold?(group: LogGroup): boolean;
}

export interface OwnedLogGroupFilter {
  logGroupName: string;
  filterName: string;
  stackName: string;
}

const ownerTag = (kind: LogGroupFilterKind, filterName: string): string =>
  kind.tagPrefix + createHash('sha256').update(filterName).digest('base64url').slice(0, 22);

/**
 * Creates the log group when absent: a function's group appears only when the function first logs,
 * and on AWS the template's filter would be refused without it (Stagecraft's choice).
 */
export async function ensureLogGroup(logs: CloudWatchLogsClient, logGroupName: string): Promise<void> {
  try {
    await logs.send(new CreateLogGroupCommand({ logGroupName }));
  } catch (e) {
    if ((e as Error).name !== 'ResourceAlreadyExistsException') throw e;
  }
}

/** Puts a filter with `put` on its (created if absent) group and marks it the stack's; says whether it was new. */
export async function putOwnedFilter(logs: CloudWatchLogsClient, kind: LogGroupFilterKind, stackName: string, logGroupName: string, filterName: string,
  put: () => Promise<unknown>): Promise<'created' | 'updated'> {
  await ensureLogGroup(logs, logGroupName);
  const existed = (await kind.names(logs, logGroupName)).includes(filterName);
  await put();
  await logs.send(new TagLogGroupCommand({ logGroupName, tags: { [ownerTag(kind, filterName)]: stackName } }));
  return existed ? 'updated' : 'created';
}

/** Every filter of this kind a stack owns. */
export async function ownedFilters(logs: CloudWatchLogsClient, kind: LogGroupFilterKind): Promise<OwnedLogGroupFilter[]> {
  const out: OwnedLogGroupFilter[] = [];
  let nextToken: string | undefined;
  do {
    const page = await logs.send(new DescribeLogGroupsCommand({ nextToken }));
    for (const g of page.logGroups ?? []) {
      if (kind.mayHold && !kind.mayHold(g)) continue;
      const { tags = {} } = await logs.send(new ListTagsLogGroupCommand({ logGroupName: g.logGroupName }));
      if (!Object.keys(tags).some((k) => k.startsWith(kind.tagPrefix))) continue;
      for (const filterName of await kind.names(logs, g.logGroupName!)) {
        const stackName = tags[ownerTag(kind, filterName)];
        if (stackName) out.push({ logGroupName: g.logGroupName!, filterName, stackName });
      }
    }
    nextToken = page.nextToken;
  } while (nextToken);
  return out;
}

/** Deletes a stack's filter and its mark on the group. */
export async function deleteOwnedFilter(logs: CloudWatchLogsClient, kind: LogGroupFilterKind, f: { logGroupName: string; filterName: string }): Promise<void> {
  await kind.remove(logs, f.logGroupName, f.filterName);
  await logs.send(new UntagLogGroupCommand({ logGroupName: f.logGroupName, tags: [ownerTag(kind, f.filterName)] }));
}

/** Deletes the stack's filters that are not in `keep` (`{group}\0{name}`: removed from the template); what went. */
export async function removeStaleFilters(logs: CloudWatchLogsClient, kind: LogGroupFilterKind, stackName: string, keep: ReadonlySet<string>): Promise<OwnedLogGroupFilter[]> {
  const stale = (await ownedFilters(logs, kind)).filter((f) => f.stackName === stackName && !keep.has(`${f.logGroupName}\0${f.filterName}`));
  for (const f of stale) await deleteOwnedFilter(logs, kind, f);
  return stale;
}
