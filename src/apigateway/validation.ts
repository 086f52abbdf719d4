// API Gateway's front-end validation of a request against the service model, phrased as AWS
// phrases it: body members are named from the operation's input ("createRestApiInput.name"),
// URI members bare ("statusCode"), list items by 1-based index ("patchOperations.1.member.op"),
// and enum sets printed in the order AWS prints them (not the model's order). Body members are
// reported before URI members, as AWS does.
import type { ServiceModel, Shape } from '../aws/model.js';

/** Enum sets as AWS lists them in its messages (recorded), where that differs from the model. */
const AWS_ENUM_ORDER: Record<string, string[]> = {
  Op: ['add', 'remove', 'move', 'test', 'replace', 'copy'],
  EndpointType: ['PRIVATE', 'EDGE', 'REGIONAL'],
  IntegrationType: ['HTTP', 'MOCK', 'AWS_PROXY', 'HTTP_PROXY', 'AWS'],
  GatewayResponseType: ['REQUEST_TOO_LARGE', 'RESOURCE_NOT_FOUND', 'AUTHORIZER_CONFIGURATION_ERROR', 'MISSING_AUTHENTICATION_TOKEN',
    'BAD_REQUEST_BODY', 'INVALID_SIGNATURE', 'INVALID_API_KEY', 'BAD_REQUEST_PARAMETERS', 'AUTHORIZER_FAILURE', 'UNAUTHORIZED',
    'INTEGRATION_TIMEOUT', 'ACCESS_DENIED', 'DEFAULT_4XX', 'DEFAULT_5XX', 'WAF_FILTERED', 'QUOTA_EXCEEDED', 'THROTTLED',
    'API_CONFIGURATION_ERROR', 'UNSUPPORTED_MEDIA_TYPE', 'INTEGRATION_FAILURE', 'EXPIRED_TOKEN'],
  DocumentationPartType: ['RESPONSE_BODY', 'RESPONSE', 'METHOD', 'MODEL', 'AUTHORIZER', 'RESPONSE_HEADER', 'RESOURCE',
    'PATH_PARAMETER', 'REQUEST_BODY', 'QUERY_PARAMETER', 'API', 'REQUEST_HEADER'],
};

/** Renders a value the way AWS's (Java) validation messages print it. */
function formatValue(value: unknown): string {
  if (value === null || value === undefined) return 'null';
  if (Array.isArray(value)) return `[${value.map(formatValue).join(', ')}]`;
  if (typeof value === 'object') return `{${Object.entries(value).map(([k, v]) => `${k}=${formatValue(v)}`).join(', ')}}`;
  return String(value);
}

const enumSet = (shapeName: string, shape: Shape) => `[${(AWS_ENUM_ORDER[shapeName] ?? shape.enum!).join(', ')}]`;

const patterns = new Map<string, RegExp | null>();
function pattern(p: string): RegExp | null {
  let re = patterns.get(p);
  if (re === undefined) {
    try {
      re = new RegExp(`^(?:${p})$`, 's');
    } catch {
      re = null;
    }
    patterns.set(p, re);
  }
  return re;
}

/** Scalar constraints of a shape that this value breaks, in AWS's words. */
function scalarProblems(shapeName: string, shape: Shape, value: unknown): string[] {
  const out: string[] = [];
  if (typeof value === 'string') {
    if (shape.pattern && pattern(shape.pattern) && !pattern(shape.pattern)!.test(value)) {
      out.push(`Member must satisfy regular expression pattern: ${shape.pattern}`);
    }
    if (shape.enum && !shape.enum.includes(value)) out.push(`Member must satisfy enum value set: ${enumSet(shapeName, shape)}`);
    if (shape.min !== undefined && value.length < shape.min) out.push(`Member must have length greater than or equal to ${shape.min}`);
    if (shape.max !== undefined && value.length > shape.max) out.push(`Member must have length less than or equal to ${shape.max}`);
  }
  return out;
}

/**
 * A list item's or map value's problems: as a scalar's, and never null (Coral's constraint; a null
 * item would otherwise reach the handlers, which rely on the model's shapes).
 */
function itemProblems(shapeName: string, shape: Shape, value: unknown): string[] {
  return value === undefined || value === null ? ['Member must not be null'] : scalarProblems(shapeName, shape, value);
}

export function validateRequest(model: ServiceModel, operation: string, inputShape: string, input: Record<string, unknown>): string[] {
  const body: string[] = [];
  const uri: string[] = [];
  const root = `${operation.charAt(0).toLowerCase()}${operation.slice(1)}Input`;

  const visit = (shapeName: string, value: unknown, path: string, out: string[]) => {
    const shape = model.shapes[shapeName];
    if (value === undefined || value === null) return;
    for (const p of scalarProblems(shapeName, shape, value)) out.push(`Value '${formatValue(value)}' at '${path}' failed to satisfy constraint: ${p}`);
    if (shape.type === 'structure' && typeof value === 'object') {
      const record = value as Record<string, unknown>;
      for (const req of shape.required ?? []) {
        if (record[req] === undefined || record[req] === null) out.push(`Value null at '${path}.${req}' failed to satisfy constraint: Member must not be null`);
      }
      for (const [name, ref] of Object.entries(shape.members ?? {})) visit(ref.shape, record[name], `${path}.${name}`, out);
    } else if (shape.type === 'list' && Array.isArray(value)) {
      const memberName = shape.member!.shape;
      const member = model.shapes[memberName];
      if (member.type === 'structure') {
        value.forEach((item, i) => {
          const at = `${path}.${i + 1}.member`;
          if (item === undefined || item === null) out.push(`Value null at '${at}' failed to satisfy constraint: Member must not be null`);
          else visit(memberName, item, at, out);
        });
      } else {
        const broken = value.map((item) => itemProblems(memberName, member, item)).find((p) => p.length);
        if (broken) out.push(`Value '${formatValue(value)}' at '${path}' failed to satisfy constraint: Member must satisfy constraint: [${broken.join(', ')}]`);
        else if (member.type === 'list' || member.type === 'map') value.forEach((item, i) => visit(memberName, item, `${path}.${i + 1}.member`, out));
      }
    } else if (shape.type === 'map' && typeof value === 'object') {
      const valueName = shape.value!.shape;
      const valueShape = model.shapes[valueName];
      const broken = Object.values(value as object).map((v) => itemProblems(valueName, valueShape, v)).find((p) => p.length);
      if (broken) out.push(`Value '${formatValue(value)}' at '${path}' failed to satisfy constraint: Map value must satisfy constraint: [${broken.join(', ')}]`);
      else if (valueShape.type !== 'string') for (const [k, v] of Object.entries(value as object)) visit(valueName, v, `${path}.${k}`, out);
    }
  };

  const shape = model.shapes[inputShape];
  for (const [name, ref] of Object.entries(shape.members ?? {})) {
    const located = ref.location === 'uri' || ref.location === 'querystring' || ref.location === 'header';
    const value = input[name];
    if ((value === undefined || value === null) && shape.required?.includes(name)) {
      (located ? uri : body).push(`Value null at '${located ? name : `${root}.${name}`}' failed to satisfy constraint: Member must not be null`);
      continue;
    }
    if (located) visit(ref.shape, value, name, uri);
    else visit(ref.shape, value, `${root}.${name}`, body);
  }
  return [...body, ...uri];
}

export function validationMessage(violations: string[]): string {
  const n = violations.length;
  return `${n} validation error${n === 1 ? '' : 's'} detected: ${violations.join('; ')}`;
}
