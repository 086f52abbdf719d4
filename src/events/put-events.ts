// PutEvents: each entry checked as AWS does (its failures answered per entry, in order, with the
// others' EventIds), the request's entries at most 256 KB together, each accepted event put on its
// bus, where the rules it matches hand it to their targets before the call answers. As on AWS, an
// event for a bus that does not exist is accepted (it has an EventId) and matches nothing.
import type { HandlerTable } from '../aws/protocols/json-rpc.js';
import type { Operations, PutEventsRequestEntry, PutEventsResultEntry } from '../aws/generated/events.js';
import type { EventsScope } from '../store/events-store.js';
import { envelope } from './envelope.js';
import { busNotFound, validation } from './errors.js';
import { busNameOf, DEFAULT_BUS, scopeOf, type EventsDeps } from './resources.js';

/** AWS's limit on the entries of one PutEvents request, counted as AWS documents. */
export const MAX_ENTRIES_BYTES = 256 * 1024;

/** An entry's size: Time 14 bytes, the UTF-8 bytes of Source, DetailType, Detail and each resource. */
export function entrySize(e: PutEventsRequestEntry): number {
  const bytes = (s: string | undefined) => (s === undefined ? 0 : Buffer.byteLength(s, 'utf8'));
  return (e.Time !== undefined ? 14 : 0) + bytes(e.Source) + bytes(e.DetailType) + bytes(e.Detail) + (e.Resources ?? []).reduce((n, r) => n + bytes(r), 0);
}

const failed = (ErrorCode: string, ErrorMessage: string): PutEventsResultEntry => ({ ErrorCode, ErrorMessage });

function entryError(e: PutEventsRequestEntry): PutEventsResultEntry | undefined {
  if (!e.Source) return failed('InvalidArgument', 'Parameter Source is not valid. Reason: Source is a required argument.');
  if (!e.DetailType) return failed('InvalidArgument', 'Parameter DetailType is not valid. Reason: DetailType is a required argument.');
  if (!e.Detail) return failed('InvalidArgument', 'Parameter Detail is not valid. Reason: Detail is a required argument.');
  let detail: unknown;
  try {
    detail = JSON.parse(e.Detail);
  } catch {
    return failed('MalformedDetail', 'Detail is malformed.');
  }
  if (typeof detail !== 'object' || detail === null || Array.isArray(detail)) return failed('MalformedDetail', 'Detail is malformed.');
  if (e.Source.startsWith('aws.')) return failed('NotAuthorizedForSourceException', 'Not authorized for the source.');
  return undefined;
}

export interface EventsPublisher {
  /**
   * Puts one event on a bus as PutEvents does (for other services that emit events). Resolves with
   * the event's id once its matched targets have it; rejects (ResourceNotFoundException) when the bus does not exist.
   */
  putEvent(scope: EventsScope, event: { source: string; detailType: string; detail: unknown; resources?: string[]; busName?: string; timeMs?: number }): Promise<string>;
}

export function publisher(deps: EventsDeps): EventsPublisher {
  return {
    async putEvent(scope, e) {
      const busName = e.busName ?? DEFAULT_BUS;
      if (busName !== DEFAULT_BUS && !(await deps.store.getBus(scope, busName))) throw busNotFound(busName);
      const event = envelope(scope, { source: e.source, detailType: e.detailType, detail: e.detail, resources: e.resources ?? [], timeMs: e.timeMs ?? deps.now() });
      await deps.dispatcher.putEvent(scope, busName, event);
      return event.id;
    },
  };
}

export function putEventsHandlers(deps: EventsDeps): HandlerTable<Operations> {
  return {
    async PutEvents(input, ctx) {
      const scope = scopeOf(ctx);
      if (input.Entries.reduce((n, e) => n + entrySize(e), 0) > MAX_ENTRIES_BYTES) throw validation('Total size of the entries in the request is over the limit.');
      const entries: PutEventsResultEntry[] = [];
      const deliveries: Promise<void>[] = [];
      for (const e of input.Entries) {
        const error = entryError(e);
        const busName = busNameOf(e.EventBusName);
        if (error) {
          entries.push(error);
        } else {
          const event = envelope(scope, {
            source: e.Source!, detailType: e.DetailType!, detail: JSON.parse(e.Detail!), resources: e.Resources ?? [], timeMs: e.Time?.getTime() ?? deps.now(),
          });
          deliveries.push(deps.dispatcher.putEvent(scope, busName, event));
          entries.push({ EventId: event.id });
        }
      }
      await Promise.all(deliveries);
      return { FailedEntryCount: entries.filter((e) => e.ErrorCode !== undefined).length, Entries: entries };
    },
  };
}
