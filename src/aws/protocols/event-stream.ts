// AWS's event stream encoding (application/vnd.amazon.eventstream) for operation outputs whose
// payload is an event stream (Lambda's InvokeWithResponseStream): each event is one binary message
// with `:message-type: event`, `:event-type: {member}` and `:content-type`; an event whose shape
// marks a blob member `eventpayload` carries those bytes, any other event its members as JSON.
// The framing (prelude, headers, CRCs) is AWS's own codec, @smithy/eventstream-codec. Events given
// as an async iterable are written as they come, in a chunked response.
import type { ServerResponse } from 'node:http';
import { EventStreamCodec } from '@smithy/eventstream-codec';
import { fromUtf8, toUtf8 } from '@smithy/util-utf8';
import type { ServiceModel } from '../model.js';

export const EVENT_STREAM_CONTENT_TYPE = 'application/vnd.amazon.eventstream';

const codec = new EventStreamCodec(toUtf8, fromUtf8);

type EventMemberRef = { shape: string; eventpayload?: boolean };

/** The messages of `events` (each `{MemberName: {...}}`) of the event stream shape `streamShape`, concatenated. */
export function encodeEventStream(model: ServiceModel, streamShape: string, events: Record<string, unknown>[]): Buffer {
  const members = model.shapes[streamShape].members ?? {};
  const messages: Uint8Array[] = [];
  for (const event of events) {
    for (const [type, value] of Object.entries(event)) {
      const ref = members[type];
      if (!ref || value === undefined) continue;
      const eventMembers = (model.shapes[ref.shape].members ?? {}) as Record<string, EventMemberRef>;
      const payloadMember = Object.entries(eventMembers).find(([, m]) => m.eventpayload)?.[0];
      const fields = value as Record<string, unknown>;
      let body: Uint8Array;
      let contentType: string;
      if (payloadMember) {
        const bytes = fields[payloadMember];
        body = Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes === undefined ? '' : String(bytes));
        contentType = 'application/octet-stream';
      } else {
        body = Buffer.from(JSON.stringify(Object.fromEntries(Object.entries(fields).filter(([, v]) => v !== undefined))));
        contentType = 'application/json';
      }
      messages.push(codec.encode({
        headers: {
          ':message-type': { type: 'string', value: 'event' },
          ':event-type': { type: 'string', value: type },
          ':content-type': { type: 'string', value: contentType },
        },
        body,
      }));
    }
  }
  return Buffer.concat(messages);
}

export const isAsyncIterable = (value: unknown): boolean =>
  value !== null && typeof value === 'object' && typeof (value as AsyncIterable<unknown>)[Symbol.asyncIterator] === 'function';

/**
 * Writes each event as it comes and ends the response after the last. A client that goes away
 * stops the writing (the events still come, and are dropped); an iterator that fails cuts the
 * response short, which the client's event stream reader reports as an error.
 */
export async function writeEventStream(res: ServerResponse, model: ServiceModel, streamShape: string, events: AsyncIterable<Record<string, unknown>>): Promise<void> {
  try {
    for await (const event of events) {
      if (res.destroyed) continue;
      res.write(encodeEventStream(model, streamShape, [event]));
    }
    res.end();
  } catch {
    res.destroy();
  }
}
