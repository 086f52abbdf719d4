// Converts between JSON wire values and typed values, guided by the service model:
// blobs travel as base64, timestamps as epoch seconds; everything else keeps its JSON form.
import type { ServiceModel } from '../model.js';

/** A JSON value of the wrong type for its shape: `expected` is the shape's type, `actual` the value sent. */
export class ShapeTypeError extends Error {
  constructor(message: string, readonly expected: string, readonly actual: unknown) {
    super(message);
  }
}

function expect(cond: boolean, path: string, what: string, expected: string, actual: unknown): void {
  if (!cond) throw new ShapeTypeError(`Expected ${what} at '${path || 'body'}'`, expected, actual);
}

const INT_RANGE = '(-2147483648 - 2147483647)';
const LONG_RANGE = '(-9223372036854775808 - 9223372036854775807)';

/** Jackson's words for an integer its Java type cannot hold (no store or handler can either); undefined when it fits. */
export function outOfRange(type: 'integer' | 'long' | string, n: number): string | undefined {
  if (type === 'integer' && (n < -(2 ** 31) || n > 2 ** 31 - 1)) return `Numeric value (${n}) out of range of int ${INT_RANGE}`;
  if (type === 'long' && (n < -(2 ** 63) || n >= 2 ** 63)) return `Numeric value (${n}) out of range of long ${LONG_RANGE}`;
  return undefined;
}

export function fromJson(model: ServiceModel, shapeName: string, value: unknown, path = ''): unknown {
  if (value === null || value === undefined) return undefined;
  const shape = model.shapes[shapeName];
  switch (shape.type) {
    case 'structure': {
      expect(typeof value === 'object' && !Array.isArray(value), path, 'an object', shape.type, value);
      const out: Record<string, unknown> = {};
      for (const [name, ref] of Object.entries(shape.members ?? {})) {
        if (ref.location) continue;
        const wire = (value as Record<string, unknown>)[ref.locationName ?? name];
        if (wire !== undefined && wire !== null) out[name] = fromJson(model, ref.shape, wire, path ? `${path}.${name}` : name);
      }
      return out;
    }
    case 'list':
      expect(Array.isArray(value), path, 'a list', shape.type, value);
      return (value as unknown[]).map((v, i) => fromJson(model, shape.member!.shape, v, `${path}[${i}]`));
    case 'map': {
      expect(typeof value === 'object' && !Array.isArray(value), path, 'a map', shape.type, value);
      const out: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(value as Record<string, unknown>)) out[k] = fromJson(model, shape.value!.shape, v, `${path}.${k}`);
      return out;
    }
    case 'string':
      expect(typeof value === 'string', path, 'a string', shape.type, value);
      return value;
    case 'blob':
      expect(typeof value === 'string', path, 'a base64 string', shape.type, value);
      return Buffer.from(value as string, 'base64');
    case 'boolean':
      expect(typeof value === 'boolean', path, 'a boolean', shape.type, value);
      return value;
    case 'timestamp': {
      // Beyond ±8.64e15 ms a Date is invalid, and would fail whoever formats it later.
      const date = typeof value === 'number' ? new Date(value * 1000) : typeof value === 'string' ? new Date(value) : undefined;
      expect(date !== undefined && !Number.isNaN(date.getTime()), path, 'a timestamp', shape.type, value);
      return date;
    }
    case 'integer': case 'long': {
      expect(typeof value === 'number' && Number.isInteger(value), path, 'an integer', shape.type, value);
      const range = outOfRange(shape.type, value as number);
      if (range) throw new ShapeTypeError(range, shape.type, value);
      return value;
    }
    case 'double': case 'float':
      expect(typeof value === 'number', path, 'a number', shape.type, value);
      return value;
  }
}

export function toJson(model: ServiceModel, shapeName: string, value: unknown): unknown {
  if (value === null || value === undefined) return undefined;
  const shape = model.shapes[shapeName];
  switch (shape.type) {
    case 'structure': {
      const out: Record<string, unknown> = {};
      const record = value as Record<string, unknown>;
      for (const [name, ref] of Object.entries(shape.members ?? {})) {
        if (ref.location) continue;
        const v = toJson(model, ref.shape, record[name]);
        if (v !== undefined) out[ref.locationName ?? name] = v;
      }
      return out;
    }
    case 'list':
      return (value as unknown[]).map((v) => toJson(model, shape.member!.shape, v));
    case 'map': {
      const out: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(value as Record<string, unknown>)) out[k] = toJson(model, shape.value!.shape, v);
      return out;
    }
    case 'blob':
      return Buffer.isBuffer(value) ? value.toString('base64') : value;
    case 'timestamp':
      if (!(value instanceof Date)) return value;
      // ApiGatewayV2 declares its timestamps ISO 8601 on the shape; the others travel as epoch seconds.
      return shape.timestampFormat === 'iso8601' ? value.toISOString().replace(/\.\d{3}Z$/, 'Z') : Math.floor(value.getTime() / 1000);
    default:
      return value;
  }
}
