// What a WebSocket API event must pass before its route runs, besides authorization: the stage's
// route throttling (DefaultRouteSettings / RouteSettings, per route key, the HTTP APIs' RouteThrottle)
// and, on routes with apiKeyRequired, an API key. The key is the one the handshake presented under
// the API's apiKeySelectionExpression — its `x-api-key` header, or the $connect Lambda authorizer's
// usageIdentifierKey — since only the handshake has headers. It must be an enabled key in a usage
// plan listing this API stage (else 403 Forbidden, as for REST APIs); then the plan's throttle and
// quota count the event (429). Every event of a route that requires a key is counted: the $connect
// handshake and each message.
import type { ApiKeyRuntime, AdmittedKey } from '../../apigateway/api-key-runtime.js';
import type { HttpApiRecord, HttpStageRecord } from '../../store/httpapi-store.js';
import type { RouteThrottle } from '../http-api/route-throttle.js';
import type { UsageMeter } from '../usage-meter.js';
import { isGatewayError } from '../errors.js';

export interface AdmissionDeps {
  /** Stage route throttling (absent: not enforced). */
  routeThrottle?: RouteThrottle;
  /** API keys and usage plans (absent: a route that requires a key only checks that one was given). */
  apiKeys?: ApiKeyRuntime;
  usageMeter?: UsageMeter;
}

/** Why an event is refused: its status and AWS's message. */
export interface Refusal {
  status: number;
  message: string;
}

export const AUTHORIZER_KEY_SELECTION = '$context.authorizer.usageIdentifierKey';
const TOO_MANY_REQUESTS: Refusal = { status: 429, message: 'Too Many Requests' };
const FORBIDDEN: Refusal = { status: 403, message: 'Forbidden' };

/** The stage's throttle for `routeKey` refuses this event (429), or undefined. */
export function throttled(deps: AdmissionDeps, stage: HttpStageRecord, routeKey: string): Refusal | undefined {
  return deps.routeThrottle && !deps.routeThrottle.admit(stage, routeKey) ? TOO_MANY_REQUESTS : undefined;
}

/** The key value the handshake presents under the API's selection expression (undefined: none). */
export function presentedApiKey(api: HttpApiRecord, header: string | undefined, usageIdentifierKey: string | undefined): string | undefined {
  const value = api.apiKeySelectionExpression === AUTHORIZER_KEY_SELECTION ? usageIdentifierKey : header;
  return value === '' ? undefined : value;
}

/** Admits an event of a route with apiKeyRequired with the key `value` (the key, for $context.identity), or refuses it. */
export async function admitApiKey(deps: AdmissionDeps, api: HttpApiRecord, stage: HttpStageRecord, value: string | undefined): Promise<AdmittedKey | Refusal> {
  if (value === undefined) return FORBIDDEN;
  if (!deps.apiKeys) return { id: '', value };
  const admitted = await deps.apiKeys.admit(api, api.apiId, stage.stageName, value);
  if (!admitted) return FORBIDDEN;
  try {
    await deps.usageMeter?.charge(admitted.plan, admitted.key.id);
  } catch (e) {
    if (!isGatewayError(e)) throw e;
    return { status: e.status, message: e.message };
  }
  return admitted.key;
}

export const isRefusal = (v: AdmittedKey | Refusal): v is Refusal => 'status' in v;
