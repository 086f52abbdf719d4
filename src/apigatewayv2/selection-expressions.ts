// WebSocket APIs' selection expressions, as AWS documents them: the route selection expression picks
// a route key from a message's JSON body — `$request.body.action` as a whole, or a template of
// literal text and `${request.body.path}` parts (`${request.body.service}/${request.body.action}`).
// A message whose body is no JSON, or lacks a part, selects no key (its route is `$default`).
import { badRequest } from '../apigateway/errors.js';

type Part = { literal: string } | { path: string[] };

export interface SelectionExpression {
  parts: Part[];
}

const NAME = '[A-Za-z0-9_-]+';
const PATH = new RegExp(`^${NAME}(?:\\.${NAME})*$`);
const WHOLE = /^\$request\.body\.(.+)$/;
const PLACEHOLDER = /\$\{request\.body\.([^}]*)\}/g;

const pathOf = (expression: string, text: string): string[] => {
  if (!PATH.test(text)) throw badRequest(`Invalid route selection expression ${expression}: ${text} is no JSON path into the body`);
  return text.split('.');
};

/** The compiled expression; AWS's BadRequestException when it reads anything but the request body. */
export function parseRouteSelectionExpression(expression: string): SelectionExpression {
  const whole = WHOLE.exec(expression);
  if (whole && !expression.includes('${')) return { parts: [{ path: pathOf(expression, whole[1]) }] };
  const parts: Part[] = [];
  let at = 0;
  for (const m of expression.matchAll(PLACEHOLDER)) {
    if (m.index! > at) parts.push({ literal: expression.slice(at, m.index) });
    parts.push({ path: pathOf(expression, m[1]) });
    at = m.index! + m[0].length;
  }
  if (at < expression.length) parts.push({ literal: expression.slice(at) });
  if (!parts.some((p) => 'path' in p) || parts.some((p) => 'literal' in p && p.literal.includes('$'))) {
    throw badRequest(`Invalid route selection expression ${expression}: WebSocket APIs select routes with $request.body.{path} or \${request.body.{path}} parts`);
  }
  return { parts };
}

/** The route key a message body selects, or undefined when the body is no JSON object or lacks a part. */
export function selectRouteKey(expression: SelectionExpression, body: string): string | undefined {
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch {
    return undefined;
  }
  let key = '';
  for (const part of expression.parts) {
    if ('literal' in part) {
      key += part.literal;
      continue;
    }
    let value: unknown = json;
    for (const name of part.path) {
      if (value === null || typeof value !== 'object' || Array.isArray(value)) return undefined;
      value = (value as Record<string, unknown>)[name];
    }
    if (value === undefined || value === null) return undefined;
    key += typeof value === 'object' ? JSON.stringify(value) : String(value);
  }
  return key;
}
