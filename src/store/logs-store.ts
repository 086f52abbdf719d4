// Storage for CloudWatch Logs: log groups, their streams and the events in them, every record
// scoped by account and region. Async so that a networked implementation (PostgreSQL) fits the
// same contract as the embedded SQLite one.
import type { MetricFilterStore } from './metric-filter-store.js';
import type { SubscriptionFilterStore } from './subscription-filter-store.js';

export interface LogsScope {
  accountId: string;
  region: string;
}

export interface LogGroupRecord {
  name: string;
  createdMs: number;
  retentionDays?: number;
  kmsKeyId?: string;
  logGroupClass: string;
  tags: Record<string, string>;
  /** UTF-8 bytes of every message stored in the group. */
  storedBytes: number;
}

export interface LogStreamRecord {
  name: string;
  createdMs: number;
  firstEventMs?: number;
  lastEventMs?: number;
  lastIngestionMs?: number;
  storedBytes: number;
}

/** An event's place in a stream or group: ordered by timestamp, then by arrival. */
export interface EventPosition {
  timestamp: number;
  id: number;
}

export interface StoredLogEvent extends EventPosition {
  streamName: string;
  ingestionTime: number;
  message: string;
}

export interface NewLogEvent {
  timestamp: number;
  message: string;
}

export interface EventBatch {
  groupName: string;
  streamName: string;
  events: NewLogEvent[];
}

export interface NewLogGroup {
  name: string;
  createdMs: number;
  kmsKeyId?: string;
  logGroupClass: string;
  tags: Record<string, string>;
}

export interface ListGroupsQuery {
  prefix?: string;
  /** Case-sensitive substring. */
  contains?: string;
  logGroupClass?: string;
  /** Only names after this one (exclusive), for paging. */
  afterName?: string;
  limit: number;
}

/** Keyset cursor for stream listings: the sort key and name of the last stream returned. */
export interface StreamCursor {
  key: number | string;
  name: string;
}

export interface ListStreamsQuery {
  prefix?: string;
  orderBy: 'LogStreamName' | 'LastEventTime';
  descending: boolean;
  after?: StreamCursor;
  limit: number;
}

export interface StreamEventsQuery {
  /** Inclusive lower bound on timestamp. */
  startTime?: number;
  /** Exclusive upper bound on timestamp. */
  endTime?: number;
  /** Read forward from just after this position, or backward from just before it. */
  from?: EventPosition;
  direction: 'forward' | 'backward';
  limit: number;
}

export interface FilterEventsQuery {
  streamNames?: string[];
  streamPrefix?: string;
  /** Inclusive bounds on timestamp. */
  startTime?: number;
  endTime?: number;
  /** Continue just after this position (a previous page's last scanned event). */
  after?: EventPosition;
  limit: number;
  /** Rows examined at most before answering with what was found so far. */
  scanLimit: number;
  match?: (message: string) => boolean;
}

export interface FilterEventsResult {
  events: StoredLogEvent[];
  /** Where to continue when the scan stopped early (limit or scan budget); undefined when done. */
  resumeAfter?: EventPosition;
}

export type CreateStreamResult = 'created' | 'exists' | 'no-group';
export type PutEventsResult = 'ok' | 'no-group' | 'no-stream';

export interface LogsStore extends MetricFilterStore, SubscriptionFilterStore {
  /** False when a group with that name exists already. */
  createGroup(scope: LogsScope, group: NewLogGroup): Promise<boolean>;
  getGroup(scope: LogsScope, name: string): Promise<LogGroupRecord | undefined>;
  /** Groups in name order. */
  listGroups(scope: LogsScope, query: ListGroupsQuery): Promise<LogGroupRecord[]>;
  /** Deletes the group with its streams and events; false when it did not exist. */
  deleteGroup(scope: LogsScope, name: string): Promise<boolean>;
  setRetention(scope: LogsScope, name: string, days: number | undefined): Promise<boolean>;
  /** Adds or overwrites the given tags and removes the listed keys. */
  updateTags(scope: LogsScope, name: string, set: Record<string, string>, remove: string[]): Promise<boolean>;

  createStream(scope: LogsScope, groupName: string, name: string, createdMs: number): Promise<CreateStreamResult>;
  getStream(scope: LogsScope, groupName: string, name: string): Promise<LogStreamRecord | undefined>;
  listStreams(scope: LogsScope, groupName: string, query: ListStreamsQuery): Promise<LogStreamRecord[]>;
  deleteStream(scope: LogsScope, groupName: string, name: string): Promise<boolean>;

  /**
   * Stores events, all batches in one transaction. With `createMissing`, groups and streams that
   * do not exist are created (as Lambda's log delivery does); otherwise the first missing one
   * stops the whole call and nothing is written.
   */
  putEvents(scope: LogsScope, batches: EventBatch[], options: { ingestionMs: number; createMissing: boolean }): Promise<PutEventsResult>;
  /** Writes batches that may belong to different accounts and regions, creating what is missing, in one transaction. */
  appendMany(items: { scope: LogsScope; batch: EventBatch }[], ingestionMs: number): Promise<void>;
  /** Events of one stream, returned in ascending order whatever the direction. */
  readStream(scope: LogsScope, groupName: string, streamName: string, query: StreamEventsQuery): Promise<StoredLogEvent[]>;
  /** Events of a group across streams, interleaved in (timestamp, arrival) order. */
  filterEvents(scope: LogsScope, groupName: string, query: FilterEventsQuery): Promise<FilterEventsResult>;
  /** Deletes events older than their group's retention; returns how many went. */
  purgeExpired(nowMs: number): Promise<number>;
}

/** Where the log sink stores its batches: a store, or something that hands them to one. */
export type LogAppender = Pick<LogsStore, 'appendMany'>;
