// Log stream operations: create, delete, describe (prefix or LastEventTime order, paging).
import type { HandlerTable } from '../aws/protocols/json-rpc.js';
import type { Operations, LogStream } from '../aws/generated/logs.js';
import type { LogsScope, LogStreamRecord, StreamCursor } from '../store/logs-store.js';
import { invalidParameter, logGroupNotFound, logStreamExists, logStreamNotFound } from './errors.js';
import { logStreamArn, requestedGroup, scopeOf, type LogsDeps } from './resources.js';
import { cursorToken, parseCursorToken } from './tokens.js';

function describeStream(scope: LogsScope, group: string, s: LogStreamRecord): LogStream {
  return {
    logStreamName: s.name,
    creationTime: s.createdMs,
    firstEventTimestamp: s.firstEventMs,
    lastEventTimestamp: s.lastEventMs,
    lastIngestionTime: s.lastIngestionMs,
    arn: logStreamArn(scope, group, s.name),
    // AWS has reported zero for streams since 2019; the group's storedBytes carries the size.
    storedBytes: 0,
  };
}

export function streamHandlers(deps: LogsDeps): HandlerTable<Operations> {
  const { store } = deps;
  return {
    async CreateLogStream(input, ctx) {
      const result = await store.createStream(scopeOf(ctx), input.logGroupName, input.logStreamName, deps.now());
      if (result === 'no-group') throw logGroupNotFound();
      if (result === 'exists') throw logStreamExists();
    },

    async DeleteLogStream(input, ctx) {
      const scope = scopeOf(ctx);
      await deps.sink.flush();
      if (await store.deleteStream(scope, input.logGroupName, input.logStreamName)) return;
      throw (await store.getGroup(scope, input.logGroupName)) ? logStreamNotFound() : logGroupNotFound();
    },

    async DescribeLogStreams(input, ctx) {
      const scope = scopeOf(ctx);
      const groupName = requestedGroup(scope, input);
      const orderBy = input.orderBy ?? 'LogStreamName';
      if (orderBy === 'LastEventTime' && input.logStreamNamePrefix !== undefined) {
        throw invalidParameter('Cannot order by LastEventTime with a logStreamNamePrefix.');
      }
      await deps.sink.flush();
      if (!(await store.getGroup(scope, groupName))) throw logGroupNotFound();
      const limit = input.limit ?? 50;
      const after = input.nextToken === undefined ? undefined
        : parseCursorToken<StreamCursor>(input.nextToken, (v) => typeof v.name === 'string' && (typeof v.key === 'number' || typeof v.key === 'string'));
      const rows = await store.listStreams(scope, groupName, {
        prefix: input.logStreamNamePrefix,
        orderBy,
        descending: input.descending ?? false,
        after,
        limit: limit + 1,
      });
      const page = rows.slice(0, limit);
      const last = page[page.length - 1];
      return {
        logStreams: page.map((s) => describeStream(scope, groupName, s)),
        nextToken: rows.length > limit
          ? cursorToken({ key: orderBy === 'LastEventTime' ? last.lastEventMs ?? 0 : last.name, name: last.name } satisfies StreamCursor)
          : undefined,
      };
    },
  };
}
