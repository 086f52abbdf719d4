// Test support: valid-looking values for a service model's shapes, so fuzzed requests get past
// validation often enough to reach the handlers behind it. Members named like a seeded resource's
// id or name (FunctionName, restapi_id, ...) take the real one in a share of requests.
import type { ServiceModel, Shape } from '../../aws/model.js';
import type { Random } from './random.js';
import { compilePattern } from '../../aws/validate.js';

/** Real ids and names of seeded resources, by normalised member name (`restapi_id` → `restapiid`). */
export type KnownIds = Record<string, string[]>;

export const normaliseMember = (name: string) => name.toLowerCase().replace(/[^a-z0-9]/g, '');

export interface ValueContext {
  model: ServiceModel;
  rng: Random;
  known: KnownIds;
  /** Chance that a member with a known id takes it. */
  realShare: number;
}

// Candidates tried against a string shape's pattern before falling back to letters and digits.
const PATTERN_CANDIDATES = [
  'fuzz1', '1', 'a', 'nodejs20.x', 'index.handler', 'arn:aws:iam::000000000000:role/lambda-role',
  'arn:aws:lambda:us-east-1:000000000000:function:fuzz-fn', 'arn:aws:lambda:us-east-1:000000000000:layer:fuzz-layer',
  'arn:aws:logs:us-east-1:000000000000:log-group:/fuzz/group', 'lambda:InvokeFunction', '$LATEST', 'd-ABCDEFGH1', '123456789012',
];

function stringValue(shape: Shape, ctx: ValueContext): string {
  if (shape.enum?.length) return ctx.rng.pick(shape.enum);
  const re = shape.pattern ? compilePattern(shape.pattern) : null;
  const fits = (s: string) => (shape.min === undefined || s.length >= shape.min) && (shape.max === undefined || s.length <= shape.max) && (!re || re.test(s));
  const letters = () => {
    const n = Math.max(shape.min ?? 1, Math.min(shape.max ?? 12, 4 + ctx.rng.int(8)));
    let s = '';
    for (let i = 0; i < n; i++) s += 'abcdefghijklmnopqrstuvwxyz0123456789'[ctx.rng.int(36)];
    return s;
  };
  const random = letters();
  if (fits(random)) return random;
  return PATTERN_CANDIDATES.find(fits) ?? random;
}

function numberValue(shape: Shape, ctx: ValueContext): number {
  const min = shape.min ?? 1;
  const max = shape.max ?? Math.max(min, 100);
  const n = min + ctx.rng.int(Math.min(max - min, 1000) + 1);
  return shape.type === 'double' || shape.type === 'float' ? n + 0.5 : n;
}

/** A valid-looking value for `shapeName`; `member` is the member's name (for known ids). */
export function validValue(ctx: ValueContext, shapeName: string, member: string, depth = 0): unknown {
  const shape = ctx.model.shapes[shapeName];
  const known = ctx.known[normaliseMember(member)];
  if (known && ctx.rng.chance(ctx.realShare)) {
    const v = ctx.rng.pick(known);
    if (shape.type === 'string') return v;
    if (shape.type === 'integer' || shape.type === 'long') return Number(v);
    if (shape.type === 'blob') return Buffer.from(v, 'base64'); // e.g. a real zip for ZipFile
  }
  switch (shape.type) {
    case 'string': return stringValue(shape, ctx);
    case 'integer': case 'long': case 'double': case 'float': return numberValue(shape, ctx);
    case 'boolean': return ctx.rng.chance(0.5);
    case 'timestamp': return Math.floor(Date.now() / 1000) - ctx.rng.int(3600);
    case 'blob': return Buffer.from(`fuzz-${ctx.rng.int(1000)}`);
    case 'list': {
      if (depth > 3) return [];
      const n = Math.max(shape.min ?? 0, ctx.rng.int(3));
      return Array.from({ length: n }, () => validValue(ctx, shape.member!.shape, member, depth + 1));
    }
    case 'map': {
      if (depth > 3) return {};
      const out: Record<string, unknown> = {};
      const n = Math.max(shape.min ?? 0, ctx.rng.int(2));
      for (let i = 0; i < n; i++) out[stringValue(ctx.model.shapes[shape.key!.shape], ctx)] = validValue(ctx, shape.value!.shape, member, depth + 1);
      return out;
    }
    case 'structure': {
      const out: Record<string, unknown> = {};
      if (depth > 4) return out;
      const required = new Set(shape.required ?? []);
      for (const [name, ref] of Object.entries(shape.members ?? {})) {
        if (ref.location === 'statusCode' || ref.idempotencyToken && !required.has(name)) continue;
        if (!required.has(name) && !ctx.rng.chance(depth === 0 ? 0.4 : 0.25)) continue;
        out[name] = validValue(ctx, ref.shape, name, depth + 1);
      }
      return out;
    }
  }
}
