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
    case 'timestamp':
      if (typeof value === 'number') return new Date(value * 1000);
      expect(typeof value === 'string' && !Number.isNaN(Date.parse(value)), path, 'a timestamp', shape.type, value);
      return new Date(value as string);
    case 'integer': case 'long':
      expect(typeof value === 'number' && Number.isInteger(value), path, 'an integer', shape.type, value);
      return value;
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
