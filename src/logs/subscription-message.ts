// The event CloudWatch Logs hands a subscribed Lambda function: `{"awslogs":{"data":…}}`, where
// data is the base64 of the gzip of a JSON message. A DATA_MESSAGE carries matching events of one
// log stream; a CONTROL_MESSAGE is sent once when a filter is put, to check the destination.
import { gzipSync } from 'node:zlib';
import type { NewLogEvent } from '../store/logs-store.js';

export interface SubscriptionLogEvent {
  id: string;
  timestamp: number;
  message: string;
}

export interface SubscriptionMessage {
  messageType: 'DATA_MESSAGE' | 'CONTROL_MESSAGE';
  owner: string;
  logGroup: string;
  logStream: string;
  subscriptionFilters: string[];
  logEvents: SubscriptionLogEvent[];
}

/**
 * Uncompressed message bytes per invocation: gzip then base64 keep the event well under Lambda's
 * 1 MB limit for asynchronous invocations, however little the lines compress.
 */
export const MAX_MESSAGE_BYTES = 256 * 1024;

/** The Lambda event for one message. */
export function lambdaEvent(message: SubscriptionMessage): Buffer {
  const data = gzipSync(Buffer.from(JSON.stringify(message))).toString('base64');
  return Buffer.from(JSON.stringify({ awslogs: { data } }));
}

let sequence = 0;
/** Event ids are digit strings like AWS's (its own are 56 digits): the timestamp, then a counter. */
export function subscriptionEventId(timestamp: number): string {
  sequence = (sequence + 1) % 1_000_000_000;
  return `${String(timestamp).padStart(15, '0')}${String(sequence).padStart(9, '0')}`;
}

/** One stream's matching events as DATA_MESSAGEs, split so none exceeds MAX_MESSAGE_BYTES. */
export function dataMessages(owner: string, logGroup: string, logStream: string, filterName: string, events: readonly NewLogEvent[]): SubscriptionMessage[] {
  const messages: SubscriptionMessage[] = [];
  let current: SubscriptionLogEvent[] = [];
  let bytes = 0;
  for (const e of events) {
    const size = Buffer.byteLength(e.message) + 64;
    if (current.length && bytes + size > MAX_MESSAGE_BYTES) {
      messages.push(data(current));
      current = [];
      bytes = 0;
    }
    current.push({ id: subscriptionEventId(e.timestamp), timestamp: e.timestamp, message: e.message });
    bytes += size;
  }
  if (current.length) messages.push(data(current));
  return messages;

  function data(logEvents: SubscriptionLogEvent[]): SubscriptionMessage {
    return { messageType: 'DATA_MESSAGE', owner, logGroup, logStream, subscriptionFilters: [filterName], logEvents };
  }
}

/** The message AWS sends when a filter is put, to check its destination can be reached. */
export function controlMessage(now: number): SubscriptionMessage {
  return {
    messageType: 'CONTROL_MESSAGE', owner: 'CloudwatchLogs', logGroup: '', logStream: '', subscriptionFilters: [],
    logEvents: [{ id: '', timestamp: now, message: 'CWL CONTROL MESSAGE: Checking health of destination Lambda function.' }],
  };
}
