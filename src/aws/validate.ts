// Checks a parsed request against the constraints in AWS's service model (required members,
// lengths, ranges, patterns, enums) and phrases violations exactly as AWS's front end does:
// "1 validation error detected: Value 'r1' at 'role' failed to satisfy constraint: ...".
import type { ServiceModel, Shape } from './model.js';

export interface ValidateOptions {
  /** Shapes whose enum the service checks itself with its own error (e.g. Lambda's Runtime). */
  skipEnumFor?: ReadonlySet<string>;
}

const patternCache = new Map<string, RegExp | null>();

function compilePattern(pattern: string): RegExp | null {
  let re = patternCache.get(pattern);
  if (re === undefined) {
    try {
      re = new RegExp(`^(?:${pattern})$`, 's');
    } catch {
      re = null; // A Java-only construct: skip it rather than reject valid input.
    }
    patternCache.set(pattern, re);
  }
  return re;
}

/** Renders a value the way AWS's (Java) validation messages print it. */
export function formatValue(value: unknown): string {
  if (value === null || value === undefined) return 'null';
  if (Array.isArray(value)) return `[${value.map(formatValue).join(', ')}]`;
  if (Buffer.isBuffer(value)) return `java.nio.HeapByteBuffer[pos=0 lim=${value.length} cap=${value.length}]`;
  if (typeof value === 'object') return `{${Object.entries(value).map(([k, v]) => `${k}=${formatValue(v)}`).join(', ')}}`;
  if (typeof value === 'number' && Number.isInteger(value)) return String(value);
  return String(value);
}

const lowerFirst = (s: string) => s.charAt(0).toLowerCase() + s.slice(1);

export function validateInput(model: ServiceModel, shapeName: string, input: unknown, options: ValidateOptions = {}): string[] {
  const violations: string[] = [];
  const visit = (shapeName: string, value: unknown, path: string) => {
    const shape = model.shapes[shapeName];
    if (value === undefined || value === null) return;
    const fail = (constraint: string) => {
      const shown = value === null || value === undefined ? 'null' : `'${formatValue(value)}'`;
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
      for (const [name, ref] of Object.entries(shape.members ?? {})) {
        if (ref.location === 'statusCode') continue;
        visit(ref.shape, record[name], join(path, lowerFirst(name)));
      }
    } else if (shape.type === 'list' && Array.isArray(value)) {
      for (const item of value) {
        const problems = memberProblems(model, shape.member!.shape, item, options);
        if (problems.length) {
          fail(`Member must satisfy constraint: [${problems.join(', ')}]`);
          break;
        }
      }
    } else if (shape.type === 'map' && value && typeof value === 'object') {
      for (const item of Object.values(value)) {
        const problems = memberProblems(model, shape.value!.shape, item, options);
        if (problems.length) {
          fail(`Map value must satisfy constraint: [${problems.join(', ')}]`);
          break;
        }
      }
    }
  };
  visit(shapeName, input, '');
  return violations;
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

/** The inner constraint list AWS prints for a list item or map value. */
function memberProblems(model: ServiceModel, shapeName: string, value: unknown, options: ValidateOptions): string[] {
  const shape = model.shapes[shapeName];
  const problems: string[] = [];
  checkScalar(shapeName, shape, value, (c) => problems.push(c), options);
  if (problems.length) problems.push('Member must not be null');
  return problems;
}

export function validationMessage(violations: string[]): string {
  const n = violations.length;
  return `${n} validation error${n === 1 ? '' : 's'} detected: ${violations.join('; ')}`;
}
