// WebSocket routes' request validation: which of a route's requestModels a message must satisfy.
// The route's modelSelectionExpression is a literal key (`$default` included) or reads the message
// body as route selection expressions do (`$request.body.type`, `${request.body.kind}/v1`); without
// one, or when the key it yields is not in requestModels, the `$default` entry applies (Stagecraft's
// reading of AWS's "$default is used when no other key matches"). No entry: no validation.
import { badRequest } from '../apigateway/errors.js';
import { isAwsError } from '../core/errors.js';
import type { RouteRecord } from '../store/httpapi-store.js';
import { parseRouteSelectionExpression, selectRouteKey, type SelectionExpression } from './selection-expressions.js';

/** AWS's BadRequestException for an expression that is neither a literal key nor reads the body. */
export function checkModelSelectionExpression(expression: string): void {
  compile(expression);
}

const compiled = new Map<string, SelectionExpression | string>();

/** The compiled body expression, or the literal key itself. */
function compile(expression: string): SelectionExpression | string {
  let c = compiled.get(expression);
  if (c !== undefined) return c;
  if (expression === '$default' || (expression !== '' && !expression.includes('$'))) c = expression;
  else {
    try {
      c = parseRouteSelectionExpression(expression);
    } catch (e) {
      if (isAwsError(e)) throw badRequest(`Invalid model selection expression ${expression}: use a literal key, $request.body.{path} or \${request.body.{path}} parts`);
      throw e;
    }
  }
  compiled.set(expression, c);
  return c;
}

/** The name of the model a message to `route` must satisfy, or undefined when the route validates nothing. */
export function selectModel(route: Pick<RouteRecord, 'requestModels' | 'modelSelectionExpression'>, body: string): string | undefined {
  const models = route.requestModels;
  if (!models) return undefined;
  const expression = route.modelSelectionExpression;
  const c = expression === undefined ? '$default' : compile(expression);
  const key = typeof c === 'string' ? c : selectRouteKey(c, body);
  return (key !== undefined ? models[key] : undefined) ?? models.$default;
}
