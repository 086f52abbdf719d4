// Checks a parsed request against the constraints in AWS's service model (required members,
// lengths, ranges, patterns, enums) and phrases violations exactly as AWS's front end does:
// "1 validation error detected: Value 'r1' at 'role' failed to satisfy constraint: ...".
import type { ServiceModel, Shape, ShapeRef } from './model.js';

export interface ValidateOptions {
  /** Shapes whose enum the service checks itself with its own error (e.g. Lambda's Runtime). */
  skipEnumFor?: ReadonlySet<string>;
}

const patternCache = new Map<string, RegExp | null>();

/** A model pattern as a whole-string RegExp; null for a Java-only construct JavaScript cannot run. */
export function compilePattern(pattern: string): RegExp | null {
  let re = patternCache.get(pattern);
  if (re === undefined) {
    re = null; // stays null for a Java-only construct: skip it rather than reject valid input
    // Unicode mode first, for \p{…} classes; plain mode for patterns only it accepts.
    for (const flags of ['su', 's']) {
      try {
        re = new RegExp(`^(?:${pattern})$`, flags);
        break;
      } catch {
        // try the next mode
      }
    }
    patternCache.set(pattern, re);
  }
  return re;
}

/** Renders a value the way AWS's (Java) validation messages print it. */
export function formatValue(value: unknown, doubles = false): string {
  if (value === null || value === undefined) return 'null';
  if (Array.isArray(value)) return `[${value.map((v) => formatValue(v, doubles)).join(', ')}]`;
  if (Buffer.isBuffer(value)) return `java.nio.HeapByteBuffer[pos=0 lim=${value.length} cap=${value.length}]`;
  if (typeof value === 'object') return `{${Object.entries(value).map(([k, v]) => `${k}=${formatValue(v, doubles)}`).join(', ')}}`;
  if (typeof value === 'number' && doubles && Number.isInteger(value)) return `${value}.0`;
  return String(value);
}

/** Java prints doubles with a decimal point ("2.0"): true when a shape's numbers are doubles. */
function doubleValued(model: ServiceModel, shapeName: string): boolean {
  const shape = model.shapes[shapeName];
  const inner = shape.type === 'map' ? shape.value!.shape : shape.type === 'list' ? shape.member!.shape : shapeName;
  return model.shapes[inner].type === 'double' || model.shapes[inner].type === 'float';
}

const lowerFirst = (s: string) => s.charAt(0).toLowerCase() + s.slice(1);

export function validateInput(model: ServiceModel, shapeName: string, input: unknown, options: ValidateOptions = {}): string[] {
  const violations: string[] = [];
  const visit = (shapeName: string, value: unknown, path: string) => {
    const shape = model.shapes[shapeName];
    if (value === undefined || value === null) return;
    const fail = (constraint: string) => {
      const shown = value === null || value === undefined ? 'null' : `'${formatValue(value, doubleValued(model, shapeName))}'`;
      violations.push(`Value ${shown} at '${path}' failed to satisfy constraint: ${constraint}`);
    };
    checkScalar(shapeName, shape, value, fail, options);
    if (shape.type === 'structure' && typeof value === 'object') {
      const record = value as Record<string, unknown>;
      for (const req of shape.required ?? []) {
        if (record[req] === undefined || record[req] === null) {
          violations.push(`Value null at '${join(path, lowerFirst(req))}' failed to satisfy constraint: Member must not be null`);
        }
      }
      for (const [name, ref] of membersInCheckOrder(shape, path)) {
        if (ref.location === 'statusCode') continue;
        visit(ref.shape, record[name], join(path, lowerFirst(name)));
      }
    } else if (shape.type === 'list' && Array.isArray(value)) {
      if (value.some((item) => !satisfies(model, shape.member!.shape, item, options))) {
        fail(`Member must satisfy constraint: [${allConstraints(model, shape.member!.shape).join(', ')}]`);
      }
    } else if (shape.type === 'map' && value && typeof value === 'object') {
      const entries = Object.entries(value);
      if (shape.key && entries.some(([k]) => !satisfies(model, shape.key!.shape, k, options))) {
        // AWS lists a map key's constraints without "must not be null" (a key never is).
        fail(`Map keys must satisfy constraint: [${allConstraints(model, shape.key.shape, false).join(', ')}]`);
      } else if (entries.some(([, v]) => !satisfies(model, shape.value!.shape, v, options))) {
        fail(`Map value must satisfy constraint: [${allConstraints(model, shape.value!.shape).join(', ')}]`);
      }
    }
  };
  visit(shapeName, input, '');
  return violations;
}

/**
 * AWS reports the request's URI members after the others (recorded: GetFunction's qualifier before
 * its functionName, API Gateway's patch operations before statusCode); model order otherwise.
 */
function membersInCheckOrder(shape: Shape, path: string): [string, ShapeRef][] {
  const members = Object.entries(shape.members ?? {});
  if (path) return members;
  return [...members.filter(([, ref]) => ref.location !== 'uri'), ...members.filter(([, ref]) => ref.location === 'uri')];
}

function join(path: string, member: string): string {
  return path ? `${path}.${member}` : member;
}

/** Constraints on a scalar; `fail` is called with AWS's wording for each broken one. */
function checkScalar(shapeName: string, shape: Shape, value: unknown, fail: (c: string) => void, options: ValidateOptions) {
  const length = typeof value === 'string' ? value.length : Buffer.isBuffer(value) ? value.length
    : Array.isArray(value) ? value.length : shape.type === 'map' && value && typeof value === 'object' ? Object.keys(value).length : undefined;
  const isNumber = typeof value === 'number';
  if (shape.max !== undefined) {
    if (isNumber && value > shape.max) fail(`Member must have value less than or equal to ${shape.max}`);
    else if (length !== undefined && length > shape.max) fail(`Member must have length less than or equal to ${shape.max}`);
  }
  if (shape.min !== undefined) {
    if (isNumber && value < shape.min) fail(`Member must have value greater than or equal to ${shape.min}`);
    else if (length !== undefined && length < shape.min) fail(`Member must have length greater than or equal to ${shape.min}`);
  }
  if (typeof value === 'string') {
    if (shape.pattern) {
      const re = compilePattern(shape.pattern);
      if (re && !re.test(value)) fail(`Member must satisfy regular expression pattern: ${shape.pattern}`);
    }
    if (shape.enum && !options.skipEnumFor?.has(shapeName) && !shape.enum.includes(value)) {
      fail(`Member must satisfy enum value set: [${shape.enum.join(', ')}]`);
    }
  }
}

function satisfies(model: ServiceModel, shapeName: string, value: unknown, options: ValidateOptions): boolean {
  if (value === null || value === undefined) return false;
  let ok = true;
  checkScalar(shapeName, model.shapes[shapeName], value, () => (ok = false), options);
  return ok;
}

/** Every constraint of a list member / map key or value, as AWS lists them inside "[...]". */
function allConstraints(model: ServiceModel, shapeName: string, notNull = true): string[] {
  const shape = model.shapes[shapeName];
  const numeric = ['integer', 'long', 'double', 'float'].includes(shape.type);
  const num = (n: number) => (shape.type === 'double' || shape.type === 'float') && Number.isInteger(n) ? `${n}.0` : String(n);
  const out: string[] = [];
  if (shape.max !== undefined) out.push(numeric ? `Member must have value less than or equal to ${num(shape.max)}` : `Member must have length less than or equal to ${shape.max}`);
  if (shape.min !== undefined) out.push(numeric ? `Member must have value greater than or equal to ${num(shape.min)}` : `Member must have length greater than or equal to ${shape.min}`);
  if (shape.pattern) out.push(`Member must satisfy regular expression pattern: ${shape.pattern}`);
  if (shape.enum) out.push(`Member must satisfy enum value set: [${shape.enum.join(', ')}]`);
  if (notNull && !shape.listedWithoutNotNull) out.push('Member must not be null');
  return out;
}

export function validationMessage(violations: string[]): string {
  const n = violations.length;
  return `${n} validation error${n === 1 ? '' : 's'} detected: ${violations.join('; ')}`;
}

/**
 * Members holding U+0000 (Stagecraft's rule, worded as AWS words constraints): PostgreSQL cannot
 * store the character, the caches key on it as a separator, and no id or name can contain it, so
 * every protocol refuses it up front and SQLite and PostgreSQL answer alike. `allowedIn`: member
 * paths (`logEvents.member.message`) whose free text may hold it, stored as bytes.
 */
export function nullCharacterViolations(input: unknown, allowedIn: ReadonlySet<string> = new Set()): string[] {
  const found: string[] = [];
  const visit = (value: unknown, path: string) => {
    if (found.length || value === null || value === undefined || Buffer.isBuffer(value) || allowedIn.has(path)) return;
    if (typeof value === 'string') {
      if (value.includes('\u0000')) found.push(`Value at '${path}' failed to satisfy constraint: Member must not contain null characters`);
    } else if (Array.isArray(value)) value.forEach((v) => visit(v, `${path}.member`));
    else if (typeof value === 'object') {
      for (const [k, v] of Object.entries(value)) {
        if (k.includes('\u0000')) found.push(`Value at '${path}' failed to satisfy constraint: Map keys must not contain null characters`);
        visit(v, join(path, lowerFirst(k)));
      }
    }
  };
  visit(input, '');
  return found;
}
