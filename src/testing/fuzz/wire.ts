// Test support: turns an operation's input into the HTTP request its service's wire protocol
// expects (REST-JSON URI templates and member locations, JSON 1.1 with X-Amz-Target, query), as an
// SDK would, while letting fuzzed values through that no SDK would send.
import type { Operation, ServiceModel, Shape } from '../../aws/model.js';

/** A value sent on the wire exactly as given: not percent-encoded in a URI, not JSON-encoded in a body. */
export class Raw {
  constructor(readonly text: string) {}
}

export interface WireRequest {
  method: string;
  /** Path as sent (percent-encoded already). */
  path: string;
  /** Query pairs as sent (each part percent-encoded already). */
  query: [string, string][];
  headers: Record<string, string>;
  body: Buffer;
}

export function queryString(query: [string, string][]): string {
  return query.length ? `?${query.map(([k, v]) => `${k}=${v}`).join('&')}` : '';
}

/** Percent-encodes as SDKs do (RFC 3986 unreserved characters stay); lone surrogates go as UTF-8's replacement. */
const enc = (s: string) => [...Buffer.from(s, 'utf8')].map((b) => (/[A-Za-z0-9\-_.~]/.test(String.fromCharCode(b)) ? String.fromCharCode(b) : `%${b.toString(16).toUpperCase().padStart(2, '0')}`)).join('');

function scalarText(value: unknown): string {
  if (value instanceof Raw) return value.text;
  if (Buffer.isBuffer(value)) return value.toString('base64');
  if (typeof value === 'object' && value !== null) return JSON.stringify(toWireJson(value));
  return String(value);
}

/** A header value Node will send: characters it refuses are percent-encoded instead. */
function headerSafe(text: string): string {
  // eslint-disable-next-line no-control-regex
  return /^[\t\x20-\x7e\x80-\xff]*$/.test(text) ? text : enc(text);
}

// Pre-serialised JSON fragments (e.g. nesting too deep for JSON.stringify) are spliced in by marker.
const fragments = new Map<string, string>();
function toWireJson(value: unknown): unknown {
  if (value instanceof Raw) {
    const marker = `\u0000frag${fragments.size}\u0000`;
    fragments.set(marker, value.text);
    return marker;
  }
  if (Buffer.isBuffer(value)) return value.toString('base64');
  if (Array.isArray(value)) return value.map(toWireJson);
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, toWireJson(v)]));
  return value;
}

export function jsonText(value: unknown): string {
  fragments.clear();
  let text = JSON.stringify(toWireJson(value)) ?? '';
  for (const [marker, fragment] of fragments) text = text.replace(JSON.stringify(marker), () => fragment);
  return text;
}

function bodyMembers(shape: Shape, input: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [name, ref] of Object.entries(shape.members ?? {})) {
    if (!ref.location && input[name] !== undefined) out[ref.locationName ?? name] = input[name];
  }
  // Members the model does not have (a fuzzed extra) travel in the body too.
  for (const [name, value] of Object.entries(input)) if (!shape.members?.[name]) out[name] = value;
  return out;
}

function restJson(model: ServiceModel, op: Operation, input: Record<string, unknown>): WireRequest {
  const shape = op.input ? model.shapes[op.input.shape] : { type: 'structure' as const, members: {} };
  const [pathTemplate, staticQuery] = op.http.requestUri.split('?');
  const query: [string, string][] = staticQuery ? staticQuery.split('&').map((p) => [p.split('=')[0], p.split('=')[1] ?? ''] as [string, string]) : [];
  const headers: Record<string, string> = {};
  const labels: Record<string, string> = {};
  for (const [name, ref] of Object.entries(shape.members ?? {})) {
    const value = input[name];
    if (value === undefined) continue;
    const wire = ref.locationName ?? name;
    if (ref.location === 'uri') labels[wire] = value instanceof Raw ? value.text : enc(scalarText(value));
    else if (ref.location === 'querystring') {
      const memberShape = model.shapes[ref.shape];
      if (Array.isArray(value)) for (const v of value) query.push([enc(wire), enc(scalarText(v))]);
      else if (memberShape.type === 'map' && value && typeof value === 'object' && !(value instanceof Raw)) {
        for (const [k, v] of Object.entries(value)) query.push([enc(k), enc(scalarText(v))]);
      } else query.push([enc(wire), value instanceof Raw ? value.text : enc(scalarText(value))]);
    } else if (ref.location === 'header') headers[wire.toLowerCase()] = headerSafe(scalarText(value));
    else if (ref.location === 'headers' && value && typeof value === 'object') {
      for (const [k, v] of Object.entries(value)) headers[`${wire}${k}`.toLowerCase()] = headerSafe(scalarText(v));
    }
  }
  const path = pathTemplate.replace(/\{([^}+]+)\+?\}/g, (_m, label: string) => labels[label] ?? '');
  let body: Buffer = Buffer.alloc(0);
  if (shape.payload) {
    const value = input[shape.payload];
    const payloadShape = model.shapes[shape.members![shape.payload].shape];
    if (Buffer.isBuffer(value)) body = value;
    else if (typeof value === 'string' && payloadShape.type !== 'structure') body = Buffer.from(value);
    else if (value instanceof Raw) body = Buffer.from(value.text);
    else if (value !== undefined) body = Buffer.from(jsonText(value));
    headers['content-type'] = payloadShape.type === 'structure' ? 'application/json' : 'application/octet-stream';
  } else {
    const members = bodyMembers(shape, input);
    if (Object.keys(members).length || Object.values(shape.members ?? {}).some((r) => !r.location)) {
      body = Buffer.from(jsonText(members));
      headers['content-type'] = 'application/json';
    }
  }
  return { method: op.http.method, path, query, headers, body };
}

function jsonRpc(model: ServiceModel, op: Operation, input: Record<string, unknown>): WireRequest {
  const shape = op.input ? model.shapes[op.input.shape] : { type: 'structure' as const, members: {} };
  return {
    method: 'POST', path: '/', query: [],
    headers: { 'x-amz-target': `${model.metadata.targetPrefix}.${op.name}`, 'content-type': `application/x-amz-json-${model.metadata.jsonVersion ?? '1.0'}` },
    body: Buffer.from(jsonText(bodyMembers(shape as Shape, input))),
  };
}

function flatten(prefix: string, value: unknown, out: [string, string][]): void {
  if (Array.isArray(value)) value.forEach((v, i) => flatten(`${prefix}.member.${i + 1}`, v, out));
  else if (value && typeof value === 'object' && !(value instanceof Raw) && !Buffer.isBuffer(value)) {
    for (const [k, v] of Object.entries(value)) flatten(prefix ? `${prefix}.${k}` : k, v, out);
  } else out.push([prefix, scalarText(value)]);
}

function query(model: ServiceModel, op: Operation, input: Record<string, unknown>): WireRequest {
  const pairs: [string, string][] = [['Action', op.name], ['Version', model.metadata.apiVersion]];
  flatten('', input, pairs);
  const body = pairs.map(([k, v]) => `${enc(k)}=${enc(v)}`).join('&');
  return { method: 'POST', path: '/', query: [], headers: { 'content-type': 'application/x-www-form-urlencoded; charset=utf-8' }, body: Buffer.from(body) };
}

/** The request an SDK would send for `input` (with fuzzed values passed through as they are). */
export function toWire(model: ServiceModel, op: Operation, input: Record<string, unknown>): WireRequest {
  switch (model.metadata.protocol) {
    case 'rest-json': return restJson(model, op, input);
    case 'json': return jsonRpc(model, op, input);
    case 'query': return query(model, op, input);
    default: throw new Error(`protocol ${model.metadata.protocol} is not fuzzed`);
  }
}
