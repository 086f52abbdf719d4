// JWT authorizers of HTTP APIs: the token from the identity source (with or without "Bearer "),
// checked against the issuer's keys and the authorizer's issuer and audience, then the route's
// authorization scopes (the token needs one of them). Invalid tokens are 401 and too few scopes
// 403, each with the www-authenticate header AWS sends; the claims and scopes reach the integration.
import type { HttpAuthorizerRecord, RouteRecord } from '../../store/httpapi-store.js';
import type { InvocationContext } from '../context.js';
import type { HttpAuthorization } from './invocation.js';
import { checkClaims, claimStrings, decodeJwt, hasValidSignature, JwtRejection, scopesOf } from './jwt.js';
import type { JwksCache } from './jwks.js';
import { identityValues } from './lambda-authorizer.js';

/** AWS's answer to a token it will not accept: the status and the www-authenticate header. */
export class JwtRefusal extends Error {
  constructor(readonly status: 401 | 403, readonly wwwAuthenticate: string, description: string) {
    super(description);
  }
}

const DEFAULT_SOURCE = '$request.header.Authorization';

const challenge = (route: RouteRecord, error: string, description: string) =>
  `Bearer scope="${(route.authorizationScopes ?? []).join(' ')}" error="${error}" error_description="${description.replace(/"/g, "'")}"`;

export async function jwtAuthorize(jwks: JwksCache, ctx: InvocationContext, route: RouteRecord, authorizer: HttpAuthorizerRecord, nowMs = Date.now()): Promise<HttpAuthorization> {
  // A missing token is the plain 401, as for Lambda authorizers.
  const [raw] = identityValues(ctx, [authorizer.identitySource[0] ?? DEFAULT_SOURCE]);
  const token = raw.replace(/^Bearer\s+/i, '').trim();
  const config = authorizer.jwtConfiguration ?? { audience: [] };
  let claims: Record<string, unknown>;
  try {
    const jwt = decodeJwt(token);
    const key = await jwks.key(config.issuer ?? '', jwt.header.kid);
    if (!hasValidSignature(jwt, key)) throw new JwtRejection('the token does not have a valid signature');
    checkClaims(jwt.claims, { issuer: config.issuer ?? '', audience: config.audience, now: Math.floor(nowMs / 1000) });
    claims = jwt.claims;
  } catch (e) {
    if (e instanceof JwtRejection) throw new JwtRefusal(401, challenge(route, 'invalid_token', e.message), e.message);
    throw e;
  }
  const scopes = scopesOf(claims);
  const wanted = route.authorizationScopes ?? [];
  if (wanted.length && !wanted.some((s) => scopes.includes(s))) {
    const description = `expected scopes: [${wanted.join(' ')}]`;
    throw new JwtRefusal(403, challenge(route, 'insufficient_scope', description), description);
  }
  return { jwt: { claims: claimStrings(claims), scopes: scopes.length ? scopes : null } };
}
