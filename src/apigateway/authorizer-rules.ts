// The rules an authorizer must satisfy, shared by CreateAuthorizer and UpdateAuthorizer, in
// API Gateway's words where AWS's wording is known (the token-source message is AWS's own).
import type { AuthorizerRecord } from '../store/apigateway-store.js';
import { badRequest } from './errors.js';

export const MAX_AUTHORIZER_TTL = 3600;
const TOKEN_SOURCE = /^method\.request\.header\.[a-zA-Z0-9._-]+$/;
const REQUEST_SOURCE = /^(?:method\.request\.(?:header|querystring|multivalueheader|multivaluequerystring)\.[^\s,]+|stageVariables\.[^\s,]+|context\.[^\s,]+)$/;
export const LAMBDA_URI = /^arn:aws[a-zA-Z-]*:apigateway:[a-z0-9-]+:lambda:path\/.+/;

/** The identity sources of a REQUEST authorizer: comma-separated, blanks ignored. */
export function identitySources(identitySource: string | undefined): string[] {
  return (identitySource ?? '').split(',').map((s) => s.trim()).filter((s) => s !== '');
}

/** Throws AWS's BadRequestException when the authorizer cannot work as configured. */
export function checkAuthorizer(a: AuthorizerRecord): void {
  if (a.type === 'COGNITO_USER_POOLS') {
    if (!a.providerARNs?.length) throw badRequest('Invalid provider ARNs specified: a COGNITO_USER_POOLS authorizer needs at least one user pool ARN');
  } else {
    if (!a.authorizerUri) throw badRequest('Invalid authorizer URI specified: a TOKEN or REQUEST authorizer needs a Lambda function invocation URI');
    if (!LAMBDA_URI.test(a.authorizerUri)) throw badRequest(`Invalid authorizer URI specified: ${a.authorizerUri}`);
  }
  const ttl = a.authorizerResultTtlInSeconds;
  if (ttl !== undefined && (!Number.isInteger(ttl) || ttl < 0 || ttl > MAX_AUTHORIZER_TTL)) {
    throw badRequest(`Invalid authorizer result TTL specified: ${ttl}. Must be between 0 and ${MAX_AUTHORIZER_TTL} seconds`);
  }
  if (a.type === 'TOKEN') {
    const source = a.identitySource?.trim();
    if (!source || !TOKEN_SOURCE.test(source)) {
      throw badRequest(`Invalid token source expression: ${a.identitySource ?? 'null'}. The source must be a method request header, matching 'method.request.header.[a-zA-Z0-9._-]+'.`);
    }
  }
  if (a.type === 'REQUEST') {
    const sources = identitySources(a.identitySource);
    for (const s of sources) if (!REQUEST_SOURCE.test(s)) throw badRequest(`Invalid identity source expression: ${s}`);
    // Results are cached by identity sources, so caching needs at least one (AWS API reference).
    if (!sources.length && (ttl ?? 300) > 0) throw badRequest('Identity source is required when authorization caching is enabled');
  }
  if (a.identityValidationExpression !== undefined) {
    try {
      new RegExp(a.identityValidationExpression);
    } catch {
      throw badRequest(`Invalid identity validation expression specified: ${a.identityValidationExpression}`);
    }
  }
}
