// Step 4b — Cognito user pool authorizers (authorizationType COGNITO_USER_POOLS): the token in the
// authorizer's identity source must be a JWT signed by one of its user pools (the pool's published
// keys, {issuer}/.well-known/jwks.json) and not expired. Without authorization scopes on the method
// it must be an ID token; with them, an access token holding one of the scopes. An identity
// validation expression must match the token's audience (aud, or an access token's client_id), as
// AWS documents for these authorizers. Anything else is
// AWS's 401 Unauthorized. The claims reach the integration as $context.authorizer.claims, every
// value a string, as API Gateway passes them.
//
// A pool's issuer is https://cognito-idp.{region}.amazonaws.com/{poolId}; `--cognito-endpoint`
// replaces the part before the pool id, for a local user pool emulator.
import type { AuthorizerRecord } from '../store/apigateway-store.js';
import type { InvocationContext } from './context.js';
import { identityOf, validationPattern } from './authorizer.js';
import { authorizerConfigurationError, unauthorized } from './errors.js';
import { checkExpiry, claimStrings, decodeJwt, hasValidSignature, JwtRejection, scopesOf } from './http-api/jwt.js';
import type { JwksCache } from './http-api/jwks.js';

export interface CognitoDeps {
  jwks: JwksCache;
  /** Replaces https://cognito-idp.{region}.amazonaws.com in pools' issuers. */
  cognitoEndpoint?: string;
}

const POOL_ARN = /^arn:aws[a-zA-Z-]*:cognito-idp:([a-z0-9-]+):\d{12}:userpool\/([\w-]+)$/;

/** The issuers of the authorizer's user pools. */
export function poolIssuers(authorizer: AuthorizerRecord, endpoint: string | undefined): string[] {
  const issuers: string[] = [];
  for (const arn of authorizer.providerARNs ?? []) {
    const m = POOL_ARN.exec(arn);
    if (m) issuers.push(`${(endpoint ?? `https://cognito-idp.${m[1]}.amazonaws.com`).replace(/\/+$/, '')}/${m[2]}`);
  }
  return issuers;
}

/** The step for COGNITO_USER_POOLS methods: admits the request (setting ctx.authorizer) or throws the 401. */
export async function cognitoAuthorize(ctx: InvocationContext, deps: CognitoDeps | undefined, nowMs = Date.now()): Promise<void> {
  const method = ctx.method!;
  if (!deps) throw authorizerConfigurationError('Cognito user pool authorizers are not available here');
  const authorizer = ctx.resolved!.deployment.snapshot.authorizers?.[method.authorizerId ?? ''];
  if (!authorizer || authorizer.type !== 'COGNITO_USER_POOLS') {
    throw authorizerConfigurationError(`Authorizer ${method.authorizerId ?? 'null'} is not a Cognito user pool authorizer of this deployment`);
  }
  const [raw] = identityOf(ctx, authorizer);
  const token = raw.replace(/^Bearer\s+/i, '').trim();
  try {
    const jwt = decodeJwt(token);
    const issuer = typeof jwt.claims.iss === 'string' ? jwt.claims.iss : '';
    if (!poolIssuers(authorizer, deps.cognitoEndpoint).includes(issuer)) throw new JwtRejection('the token was not issued by one of the authorizer\'s user pools');
    const key = await deps.jwks.key(issuer, jwt.header.kid, `${issuer}/.well-known/jwks.json`);
    if (!hasValidSignature(jwt, key)) throw new JwtRejection('the token does not have a valid signature');
    checkExpiry(jwt.claims, Math.floor(nowMs / 1000));
    // For these authorizers the validation expression is matched against the token's audience (its app client).
    const expression = authorizer.identityValidationExpression;
    const audience = typeof jwt.claims.aud === 'string' ? jwt.claims.aud : typeof jwt.claims.client_id === 'string' ? jwt.claims.client_id : '';
    if (expression && !validationPattern(expression).test(audience)) throw new JwtRejection('the token\'s audience does not match the identity validation expression');
    const wanted = method.authorizationScopes ?? [];
    if (wanted.length === 0) {
      if (jwt.claims.token_use !== 'id') throw new JwtRejection('the method has no authorization scopes, so it takes ID tokens only');
    } else {
      if (jwt.claims.token_use !== 'access') throw new JwtRejection('the method has authorization scopes, so it takes access tokens only');
      const scopes = scopesOf(jwt.claims);
      if (!wanted.some((s) => scopes.includes(s))) throw new JwtRejection(`the token has none of the method's scopes: ${wanted.join(' ')}`);
    }
    ctx.authorizer = { context: {}, integrationLatency: 0, claims: cognitoClaims(jwt.claims) };
  } catch (e) {
    if (e instanceof JwtRejection) throw unauthorized(`Unauthorized request: ${e.message}`);
    throw e;
  }
}

const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const two = (n: number) => String(n).padStart(2, '0');

/** Epoch seconds as API Gateway writes `exp` and `iat` claims: "Sun Dec 17 07:28:12 UTC 2017". */
export function claimDate(epochSeconds: number): string {
  const d = new Date(epochSeconds * 1000);
  return `${DAYS[d.getUTCDay()]} ${MONTHS[d.getUTCMonth()]} ${two(d.getUTCDate())} ${two(d.getUTCHours())}:${two(d.getUTCMinutes())}:${two(d.getUTCSeconds())} UTC ${d.getUTCFullYear()}`;
}

/** The claims as integrations receive them: strings, with `exp` and `iat` as dates. */
export function cognitoClaims(claims: Record<string, unknown>): Record<string, string> {
  const out = claimStrings(claims);
  for (const name of ['exp', 'iat']) {
    const v = claims[name];
    if (typeof v === 'number' && Number.isFinite(v)) out[name] = claimDate(v);
  }
  return out;
}
