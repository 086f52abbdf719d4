// Base paths of custom domain mappings as API Gateway takes them. The REST API calls (apigateway)
// take one path segment; the HTTP API calls (apigatewayv2) also take multi-level keys such as
// "orders/v1", for REST and HTTP APIs alike, and manage mappings only on REGIONAL domains with the
// TLS 1.2 security policy. '(none)' is the mapping without a base path.
import type { DomainNameRecord } from '../store/apigateway-store.js';
import { NO_BASE_PATH } from './domain-runtime.js';
import { edgeDomainInV2, invalidApiMappingKey, invalidBasePath, multiLevelBasePathInV1, tls10DomainInV2 } from './errors.js';

/** One path segment of the characters AWS allows in a base path. */
const SEGMENT = /^[A-Za-z0-9$\-_.+!*'()]+$/;
/** AWS's limit on an API mapping's path. */
const MAX_KEY_LENGTH = 300;

const isNone = (input: string | undefined): boolean => input === undefined || input === '' || input === NO_BASE_PATH;

/** A base path given to the REST API calls, as stored: '(none)' for none. */
export function restBasePath(input: string | undefined): string {
  if (isNone(input)) return NO_BASE_PATH;
  if (input!.includes('/')) throw multiLevelBasePathInV1();
  if (!SEGMENT.test(input!)) throw invalidBasePath();
  return input!;
}

/** An API mapping key given to the HTTP API calls, as stored: segments joined by single slashes, none empty. */
export function apiMappingKey(input: string | undefined): string {
  if (isNone(input)) return NO_BASE_PATH;
  if (input!.length > MAX_KEY_LENGTH || !input!.split('/').every((s) => SEGMENT.test(s))) throw invalidApiMappingKey();
  return input!;
}

export const isMultiLevel = (basePath: string): boolean => basePath.includes('/');

/** Can this domain have multi-level mappings (and be managed through the HTTP API calls)? */
export const takesMultiLevel = (d: DomainNameRecord): boolean => d.endpointConfiguration.types[0] === 'REGIONAL' && d.securityPolicy !== 'TLS_1_0';

/** The HTTP API calls' refusal of mapping writes on domains they do not manage, worded as AWS words it. */
export function requireV2Domain(d: DomainNameRecord): void {
  if (d.endpointConfiguration.types[0] !== 'REGIONAL') throw edgeDomainInV2();
  if (d.securityPolicy === 'TLS_1_0') throw tls10DomainInV2();
}
