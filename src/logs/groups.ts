// Log group operations: create, delete, describe (prefix, pattern, paging), retention and tags.
import type { HandlerTable } from '../aws/protocols/json-rpc.js';
import type { Operations, LogGroup } from '../aws/generated/logs.js';
import type { LogGroupRecord, LogsScope } from '../store/logs-store.js';
import { invalidParameter, logGroupExists, logGroupNotFound } from './errors.js';
import { bareLogGroupArn, groupNameFromArn, logGroupArn, scopeOf, type LogsDeps } from './resources.js';
import { cursorToken, parseCursorToken } from './tokens.js';

/** The retention periods AWS accepts, in days. */
export const RETENTION_DAYS = [1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653];

const TAG_KEY = /^[\p{L}\p{Z}\p{N}_.:/=+\-@]+$/u;
const TAG_VALUE = /^[\p{L}\p{Z}\p{N}_.:/=+\-@]*$/u;

function describeGroup(scope: LogsScope, g: LogGroupRecord, brief: boolean, metricFilterCount: number): LogGroup {
  if (brief) return { logGroupName: g.name, creationTime: g.createdMs, arn: logGroupArn(scope, g.name) };
  return {
    logGroupName: g.name,
    creationTime: g.createdMs,
    retentionInDays: g.retentionDays,
    metricFilterCount,
    arn: logGroupArn(scope, g.name),
    storedBytes: g.storedBytes,
    kmsKeyId: g.kmsKeyId,
    logGroupClass: g.logGroupClass as LogGroup['logGroupClass'],
    logGroupArn: bareLogGroupArn(scope, g.name),
  };
}

/** Tag keys and values allow Unicode letters, which the generic (non-Unicode) model check cannot express. */
export function checkTags(tags: Record<string, string> | undefined, member: string): void {
  if (!tags) return;
  for (const [k, v] of Object.entries(tags)) {
    if (!TAG_KEY.test(k) || k.length > 128) {
      throw invalidParameter(`1 validation error detected: Value '${k}' at '${member}' failed to satisfy constraint: Map keys must satisfy constraint: [Member must have length less than or equal to 128, Member must have length greater than or equal to 1, Member must satisfy regular expression pattern: ^([\\p{L}\\p{Z}\\p{N}_.:/=+\\-@]+)$]`);
    }
    if (!TAG_VALUE.test(v) || v.length > 256) {
      throw invalidParameter(`1 validation error detected: Value '${v}' at '${member}' failed to satisfy constraint: Map value must satisfy constraint: [Member must have length less than or equal to 256, Member must satisfy regular expression pattern: ^([\\p{L}\\p{Z}\\p{N}_.:/=+\\-@]*)$]`);
    }
  }
}

export function groupHandlers(deps: LogsDeps): HandlerTable<Operations> {
  const { store } = deps;

  const groupFromArn = (scope: LogsScope, arn: string): string => {
    const name = groupNameFromArn(scope, arn);
    if (name === undefined) throw logGroupNotFound();
    return name;
  };

  const changeTags = async (scope: LogsScope, name: string, set: Record<string, string>, remove: string[]) => {
    if (!(await store.updateTags(scope, name, set, remove))) throw logGroupNotFound();
  };

  return {
    async CreateLogGroup(input, ctx) {
      checkTags(input.tags, 'tags');
      const created = await store.createGroup(scopeOf(ctx), {
        name: input.logGroupName,
        createdMs: deps.now(),
        kmsKeyId: input.kmsKeyId,
        logGroupClass: input.logGroupClass ?? 'STANDARD',
        tags: input.tags ?? {},
      });
      if (!created) throw logGroupExists();
    },

    async DeleteLogGroup(input, ctx) {
      await deps.sink.flush(); // lines still queued for this group must not recreate it afterwards
      if (!(await store.deleteGroup(scopeOf(ctx), input.logGroupName))) throw logGroupNotFound();
      if (deps.filters.count(scopeOf(ctx), input.logGroupName)) await deps.filters.changed(); // its filters went with it
    },

    async DescribeLogGroups(input, ctx) {
      const scope = scopeOf(ctx);
      if (input.logGroupNamePrefix !== undefined && input.logGroupNamePattern !== undefined) {
        throw invalidParameter('LogGroup name prefix and LogGroup name pattern are mutually exclusive parameters.');
      }
      const limit = input.limit ?? 50;
      const after = input.nextToken === undefined ? undefined
        : parseCursorToken<{ n: string }>(input.nextToken, (v) => typeof v.n === 'string').n;
      const wanted = input.logGroupIdentifiers?.map((id) => (id.startsWith('arn:') ? groupNameFromArn(scope, id) ?? '' : id));
      await deps.sink.flush(); // a function's first lines create its group: list it once they are in
      const rows = await store.listGroups(scope, {
        prefix: input.logGroupNamePrefix,
        contains: input.logGroupNamePattern || undefined,
        logGroupClass: input.logGroupClass,
        afterName: after,
        limit: wanted ? Number.MAX_SAFE_INTEGER : limit + 1,
      });
      const matching = wanted ? rows.filter((g) => wanted.includes(g.name)) : rows;
      const page = matching.slice(0, limit);
      const brief = input.logGroupNamePattern !== undefined;
      return {
        logGroups: page.map((g) => describeGroup(scope, g, brief, deps.filters.count(scope, g.name))),
        nextToken: matching.length > limit ? cursorToken({ n: page[page.length - 1].name }) : undefined,
      };
    },

    async PutRetentionPolicy(input, ctx) {
      if (!RETENTION_DAYS.includes(input.retentionInDays)) {
        throw invalidParameter(`1 validation error detected: Value '${input.retentionInDays}' at 'retentionInDays' failed to satisfy constraint: Member must satisfy enum value set: [${RETENTION_DAYS.join(', ')}]`);
      }
      if (!(await store.setRetention(scopeOf(ctx), input.logGroupName, input.retentionInDays))) throw logGroupNotFound();
    },

    async DeleteRetentionPolicy(input, ctx) {
      if (!(await store.setRetention(scopeOf(ctx), input.logGroupName, undefined))) throw logGroupNotFound();
    },

    async TagResource(input, ctx) {
      const scope = scopeOf(ctx);
      checkTags(input.tags, 'tags');
      await changeTags(scope, groupFromArn(scope, input.resourceArn), input.tags, []);
    },

    async UntagResource(input, ctx) {
      const scope = scopeOf(ctx);
      await changeTags(scope, groupFromArn(scope, input.resourceArn), {}, input.tagKeys);
    },

    async ListTagsForResource(input, ctx) {
      const scope = scopeOf(ctx);
      const group = await store.getGroup(scope, groupFromArn(scope, input.resourceArn));
      if (!group) throw logGroupNotFound();
      return { tags: group.tags };
    },

    // The older, deprecated tagging calls that take a log group name.
    async TagLogGroup(input, ctx) {
      checkTags(input.tags, 'tags');
      await changeTags(scopeOf(ctx), input.logGroupName, input.tags, []);
    },

    async UntagLogGroup(input, ctx) {
      await changeTags(scopeOf(ctx), input.logGroupName, {}, input.tags);
    },

    async ListTagsLogGroup(input, ctx) {
      const group = await store.getGroup(scopeOf(ctx), input.logGroupName);
      if (!group) throw logGroupNotFound();
      return { tags: group.tags };
    },
  };
}
