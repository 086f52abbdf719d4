// Log event operations: PutLogEvents, GetLogEvents (forward/backward tokens) and FilterLogEvents
// (interleaved across streams, filter patterns, nextToken paging).
import type { HandlerTable } from '../aws/protocols/json-rpc.js';
import type { InputLogEvent, Operations, RejectedLogEventsInfo } from '../aws/generated/logs.js';
import { validationMessage } from '../aws/validate.js';
import type { EventPosition, NewLogEvent, StoredLogEvent } from '../store/logs-store.js';
import { invalidParameter, logGroupNotFound, logStreamNotFound } from './errors.js';
import { EmfIngest } from './emf-ingest.js';
import { compileOrReject, requestedGroup, scopeOf, type LogsDeps } from './resources.js';
import { cursorToken, eventId, eventToken, parseCursorToken, parseEventToken } from './tokens.js';

const DAY_MS = 86_400_000;
/** AWS answers at most 1 MB of events per page (each event counts its UTF-8 bytes plus 26). */
const MAX_PAGE_BYTES = 1_048_576;
const EVENT_OVERHEAD = 26;
/** Rows FilterLogEvents examines per call before it answers with a nextToken. */
const FILTER_SCAN_BUDGET = 100_000;

const eventBytes = (e: StoredLogEvent) => Buffer.byteLength(e.message) + EVENT_OVERHEAD;

/** The longest run of events from the start (or, backwards, from the end) that fits in one page. */
function fitPage(events: StoredLogEvent[], fromEnd: boolean): StoredLogEvent[] {
  let bytes = 0;
  let n = 0;
  for (let i = 0; i < events.length; i++) {
    bytes += eventBytes(events[fromEnd ? events.length - 1 - i : i]);
    if (bytes > MAX_PAGE_BYTES && n > 0) break;
    n++;
  }
  return fromEnd ? events.slice(events.length - n) : events.slice(0, n);
}

/** The generic model check stops at list members; AWS checks each event's members too. */
function checkEventMembers(events: InputLogEvent[]): void {
  const violations: string[] = [];
  events.forEach((e, i) => {
    const at = (member: string) => `'logEvents.${i + 1}.member.${member}'`;
    if (e.timestamp === undefined || e.timestamp === null) violations.push(`Value null at ${at('timestamp')} failed to satisfy constraint: Member must not be null`);
    else if (e.timestamp < 0) violations.push(`Value '${e.timestamp}' at ${at('timestamp')} failed to satisfy constraint: Member must have value greater than or equal to 0`);
    if (e.message === undefined || e.message === null) violations.push(`Value null at ${at('message')} failed to satisfy constraint: Member must not be null`);
    else if (e.message === '') violations.push(`Value '' at ${at('message')} failed to satisfy constraint: Member must have length greater than or equal to 1`);
  });
  if (violations.length) throw invalidParameter(validationMessage(violations));
}

export function eventHandlers(deps: LogsDeps): HandlerTable<Operations> {
  const { store } = deps;
  return {
    async PutLogEvents(input, ctx) {
      const now = deps.now();
      const events = input.logEvents;
      checkEventMembers(events);
      for (let i = 1; i < events.length; i++) {
        if (events[i].timestamp < events[i - 1].timestamp) {
          throw invalidParameter('Log events in a single PutLogEvents request must be in chronological order.');
        }
      }
      if (events.length && events[events.length - 1].timestamp - events[0].timestamp > DAY_MS) {
        throw invalidParameter('The batch of log events in a single PutLogEvents request cannot span more than 24 hours.');
      }
      const scope = scopeOf(ctx);
      const group = await store.getGroup(scope, input.logGroupName);
      if (!group) throw logGroupNotFound();
      const tooOld = now - 14 * DAY_MS;
      const expired = group.retentionDays === undefined ? undefined : now - group.retentionDays * DAY_MS;
      const tooNew = now + 2 * 3_600_000;
      const rejected: RejectedLogEventsInfo = {};
      const accepted: NewLogEvent[] = [];
      for (let i = 0; i < events.length; i++) {
        const e = events[i];
        if (expired !== undefined && e.timestamp < expired) rejected.expiredLogEventEndIndex = i;
        else if (e.timestamp < tooOld) rejected.tooOldLogEventEndIndex = i;
        else if (e.timestamp > tooNew) rejected.tooNewLogEventStartIndex ??= i;
        else accepted.push({ timestamp: e.timestamp, message: e.message });
      }
      const result = await store.putEvents(scope, [{ groupName: input.logGroupName, streamName: input.logStreamName, events: accepted }],
        { ingestionMs: now, createMissing: false });
      if (result === 'no-group') throw logGroupNotFound();
      if (result === 'no-stream') throw logStreamNotFound();
      // Metric and subscription filters see the events after the answer is on its way.
      if (deps.filters.count(scope, input.logGroupName)) setImmediate(() => deps.filters.observe(scope, input.logGroupName, accepted));
      // CloudWatch extracts EMF from PutLogEvents whether or not the request names the format (`x-amzn-logs-format: json/emf`).
      if (EmfIngest.worthReading(accepted)) setImmediate(() => deps.emf.observe(scope, input.logGroupName, accepted, false));
      if (deps.subscriptions.has(scope, input.logGroupName)) setImmediate(() => deps.subscriptions.observe(scope, input.logGroupName, input.logStreamName, accepted));
      return {
        nextSequenceToken: eventId(now),
        rejectedLogEventsInfo: Object.keys(rejected).length ? rejected : undefined,
      };
    },

    async GetLogEvents(input, ctx) {
      const scope = scopeOf(ctx);
      const groupName = requestedGroup(scope, input);
      const token = input.nextToken === undefined ? undefined : parseEventToken(input.nextToken);
      await deps.sink.flush();
      if (!(await store.getStream(scope, groupName, input.logStreamName))) {
        throw (await store.getGroup(scope, groupName)) ? logStreamNotFound() : logGroupNotFound();
      }
      const forward = token ? token.direction === 'f' : input.startFromHead === true;
      const rows = await store.readStream(scope, groupName, input.logStreamName, {
        startTime: input.startTime,
        endTime: input.endTime,
        from: token?.position,
        direction: forward ? 'forward' : 'backward',
        limit: input.limit ?? 10_000,
      });
      const page = fitPage(rows, !forward);
      let nextForward: EventPosition;
      let nextBackward: EventPosition;
      if (page.length) {
        nextForward = page[page.length - 1];
        nextBackward = page[0];
      } else {
        // Nothing (more) in that direction: AWS hands back the token it was given.
        const here = token?.position ?? { timestamp: 0, id: 0 };
        nextForward = here;
        nextBackward = here;
      }
      return {
        events: page.map((e) => ({ timestamp: e.timestamp, message: e.message, ingestionTime: e.ingestionTime })),
        nextForwardToken: eventToken('f', nextForward),
        nextBackwardToken: eventToken('b', nextBackward),
      };
    },

    async FilterLogEvents(input, ctx) {
      const scope = scopeOf(ctx);
      const groupName = requestedGroup(scope, input);
      if (input.logStreamNames !== undefined && input.logStreamNamePrefix !== undefined) {
        throw invalidParameter('logStreamNames and logStreamNamePrefix are mutually exclusive parameters.');
      }
      const match = compileOrReject(input.filterPattern).test;
      const after = input.nextToken === undefined ? undefined
        : parseCursorToken<{ t: number; i: number }>(input.nextToken, (v) => Number.isInteger(v.t) && Number.isInteger(v.i));
      await deps.sink.flush();
      if (!(await store.getGroup(scope, groupName))) throw logGroupNotFound();
      const limit = input.limit ?? 10_000;
      const found = await store.filterEvents(scope, groupName, {
        streamNames: input.logStreamNames,
        streamPrefix: input.logStreamNamePrefix,
        startTime: input.startTime,
        endTime: input.endTime,
        after: after && { timestamp: after.t, id: after.i },
        limit,
        scanLimit: FILTER_SCAN_BUDGET,
        match,
      });
      const page = fitPage(found.events, false);
      const resume = page.length < found.events.length ? page[page.length - 1] : found.resumeAfter;
      return {
        events: page.map((e) => ({
          logStreamName: e.streamName,
          timestamp: e.timestamp,
          message: e.message,
          ingestionTime: e.ingestionTime,
          eventId: eventId(e.id),
        })),
        searchedLogStreams: [], // no longer filled by AWS since 2020
        nextToken: resume ? cursorToken({ t: resume.timestamp, i: resume.id }) : undefined,
      };
    },
  };
}
