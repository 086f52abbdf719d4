// AWS's event envelope, as rules match it and targets receive it.
import { randomUUID } from 'node:crypto';
import type { EventsScope } from '../store/events-store.js';

export interface EventEnvelope {
  version: '0';
  id: string;
  'detail-type': string;
  source: string;
  account: string;
  /** ISO 8601 to the second, as AWS writes it (`2026-01-01T00:00:00Z`). */
  time: string;
  region: string;
  resources: string[];
  detail: unknown;
}

export const eventTime = (ms: number): string => new Date(Math.floor(ms / 1000) * 1000).toISOString().replace('.000Z', 'Z');

export function envelope(scope: EventsScope, fields: { source: string; detailType: string; detail: unknown; resources?: string[]; timeMs: number; id?: string }): EventEnvelope {
  return {
    version: '0',
    id: fields.id ?? randomUUID(),
    'detail-type': fields.detailType,
    source: fields.source,
    account: scope.accountId,
    time: eventTime(fields.timeMs),
    region: scope.region,
    resources: fields.resources ?? [],
    detail: fields.detail,
  };
}

/** The event a scheduled rule sends at each tick. */
export const scheduledEvent = (scope: EventsScope, ruleArn: string, tickMs: number): EventEnvelope =>
  envelope(scope, { source: 'aws.events', detailType: 'Scheduled Event', detail: {}, resources: [ruleArn], timeMs: tickMs });
