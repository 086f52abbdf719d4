// Gateway responses (PutGatewayResponse and friends): the API-level customisations of what API
// Gateway answers when it fails a request itself. AWS's catalogue of response types with their
// default status codes and template (as GetGatewayResponses answers for an API that customised
// nothing, recorded), and the inheritance AWS documents: a type without a customisation of its
// own takes DEFAULT_4XX's or DEFAULT_5XX's, by its status class. Shared by the control plane
// (what Get answers) and the data plane (what an error becomes).
import type { GatewayResponse } from '../aws/generated/apigateway.js';
import type { GatewayResponseRecord } from '../store/apigateway-store.js';

export type ResponseType = GatewayResponseRecord['responseType'];

/** Each type's default status code (recorded); the two defaults have none. */
export const DEFAULT_STATUS: Readonly<Record<ResponseType, string | undefined>> = {
  ACCESS_DENIED: '403',
  API_CONFIGURATION_ERROR: '500',
  AUTHORIZER_CONFIGURATION_ERROR: '500',
  AUTHORIZER_FAILURE: '500',
  BAD_REQUEST_BODY: '400',
  BAD_REQUEST_PARAMETERS: '400',
  DEFAULT_4XX: undefined,
  DEFAULT_5XX: undefined,
  EXPIRED_TOKEN: '403',
  INTEGRATION_FAILURE: '504',
  INTEGRATION_TIMEOUT: '504',
  INVALID_API_KEY: '403',
  INVALID_SIGNATURE: '403',
  MISSING_AUTHENTICATION_TOKEN: '403',
  QUOTA_EXCEEDED: '429',
  REQUEST_TOO_LARGE: '413',
  RESOURCE_NOT_FOUND: '404',
  THROTTLED: '429',
  UNAUTHORIZED: '401',
  UNSUPPORTED_MEDIA_TYPE: '415',
  WAF_FILTERED: '403',
};

/** Every type, in the order GetGatewayResponses lists them (by name). */
export const RESPONSE_TYPES = (Object.keys(DEFAULT_STATUS) as ResponseType[]).sort();

/** The body template every type has until customised (recorded). */
export const DEFAULT_TEMPLATE = '{"message":$context.error.messageString}';
const defaultTemplates = (): Record<string, string> => ({ 'application/json': DEFAULT_TEMPLATE });

/** What PutGatewayResponse stores: members not given take the type's defaults (recorded). */
export function newGatewayResponse(type: ResponseType, given: { statusCode?: string; responseParameters?: Record<string, string>; responseTemplates?: Record<string, string> } = {}): GatewayResponseRecord {
  const record: GatewayResponseRecord = {
    responseType: type,
    responseParameters: { ...(given.responseParameters ?? {}) },
    responseTemplates: given.responseTemplates && Object.keys(given.responseTemplates).length ? { ...given.responseTemplates } : defaultTemplates(),
  };
  const status = given.statusCode ?? DEFAULT_STATUS[type];
  if (status !== undefined) record.statusCode = status;
  return record;
}

/** DEFAULT_4XX or DEFAULT_5XX for a specific type; undefined for the two defaults themselves. */
export function parentType(type: ResponseType): 'DEFAULT_4XX' | 'DEFAULT_5XX' | undefined {
  const status = DEFAULT_STATUS[type];
  if (status === undefined) return undefined;
  return status.startsWith('5') ? 'DEFAULT_5XX' : 'DEFAULT_4XX';
}

/**
 * The customisation that applies to a type: its own, else its DEFAULT_4XX/5XX parent's (with the
 * parent's status when it has one), else undefined. `inherited` says which.
 */
export function customisationFor(type: ResponseType, customised: Readonly<Record<string, GatewayResponseRecord>>):
  { record: GatewayResponseRecord; inherited: boolean } | undefined {
  const own = customised[type];
  if (own) return { record: own, inherited: false };
  const parent = parentType(type);
  const inherited = parent && customised[parent];
  if (!inherited) return undefined;
  const record: GatewayResponseRecord = { ...inherited, responseType: type };
  const status = inherited.statusCode ?? DEFAULT_STATUS[type];
  if (status === undefined) delete record.statusCode;
  else record.statusCode = status;
  return { record, inherited: true };
}

/** A gateway response as GetGatewayResponse answers it (defaultResponse true unless customised itself). */
export function gatewayResponseView(type: ResponseType, customised: Readonly<Record<string, GatewayResponseRecord>>): GatewayResponse {
  const found = customisationFor(type, customised);
  const record = found?.record ?? newGatewayResponse(type);
  const view: GatewayResponse = {
    defaultResponse: found ? found.inherited : true,
    responseParameters: { ...record.responseParameters },
    responseTemplates: { ...record.responseTemplates },
    responseType: type,
  };
  if (record.statusCode !== undefined) view.statusCode = record.statusCode;
  return view;
}
