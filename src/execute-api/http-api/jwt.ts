// JSON Web Tokens as HTTP APIs' JWT authorizers check them (AWS's documented steps): the token's
// algorithm and signature against the issuer's key named by `kid`, then `iss`, `aud` (or
// `client_id` when there is no `aud`), `exp`, `nbf` and `iat`. Signatures are verified with
// node:crypto from the JWK itself. A failure is a JwtRejection whose message is the
// error_description AWS puts in the www-authenticate header.
import { createPublicKey, verify, type JsonWebKey, type KeyObject } from 'node:crypto';

export class JwtRejection extends Error {}

/** The signature algorithms accepted, with their digests (ECDSA signatures are r‖s, JOSE's form). */
const ALGORITHMS: Record<string, { digest: string; ecdsa?: boolean }> = {
  RS256: { digest: 'sha256' }, RS384: { digest: 'sha384' }, RS512: { digest: 'sha512' },
  ES256: { digest: 'sha256', ecdsa: true }, ES384: { digest: 'sha384', ecdsa: true }, ES512: { digest: 'sha512', ecdsa: true },
};

export interface DecodedJwt {
  header: { alg: string; kid?: string };
  claims: Record<string, unknown>;
  signingInput: Buffer;
  signature: Buffer;
}

const isObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);

function part(text: string): unknown {
  try {
    return JSON.parse(Buffer.from(text, 'base64url').toString('utf8'));
  } catch {
    return undefined;
  }
}

/** The token's header and claims, unverified; a JwtRejection when it is no signed JWT of a supported algorithm. */
export function decodeJwt(token: string): DecodedJwt {
  const parts = token.split('.');
  if (parts.length !== 3) throw new JwtRejection('the token is malformed');
  const header = part(parts[0]);
  const claims = part(parts[1]);
  if (!isObject(header) || !isObject(claims) || typeof header.alg !== 'string') throw new JwtRejection('the token is malformed');
  if (!ALGORITHMS[header.alg]) throw new JwtRejection(`the token's signing algorithm ${header.alg} is not supported`);
  return {
    header: { alg: header.alg, ...(typeof header.kid === 'string' ? { kid: header.kid } : {}) },
    claims,
    signingInput: Buffer.from(`${parts[0]}.${parts[1]}`),
    signature: Buffer.from(parts[2], 'base64url'),
  };
}

/** Keys made from the JWKs the key cache holds, so each is imported once, not per request. */
const imported = new WeakMap<JsonWebKey, KeyObject>();

/** True when `jwk` signed the token. */
export function hasValidSignature(jwt: DecodedJwt, jwk: JsonWebKey): boolean {
  const alg = ALGORITHMS[jwt.header.alg];
  try {
    let key = imported.get(jwk);
    if (!key) imported.set(jwk, (key = createPublicKey({ key: jwk, format: 'jwk' })));
    return verify(alg.digest, jwt.signingInput, alg.ecdsa ? { key, dsaEncoding: 'ieee-p1363' } : key, jwt.signature);
  } catch {
    return false;
  }
}

export interface ClaimRules {
  issuer: string;
  audience: readonly string[];
  /** Epoch seconds. */
  now: number;
}

const numeric = (v: unknown): number | undefined => (typeof v === 'number' && Number.isFinite(v) ? v : undefined);

/** Checks the registered claims as API Gateway does; throws a JwtRejection naming the first that fails. */
export function checkClaims(claims: Record<string, unknown>, rules: ClaimRules): void {
  if (claims.iss !== rules.issuer) throw new JwtRejection('the token does not have a valid issuer');
  // aud wins when both are present; client_id is checked only without aud.
  const aud = claims.aud !== undefined ? claims.aud : claims.client_id;
  const audiences = Array.isArray(aud) ? aud : [aud];
  if (!audiences.some((a) => typeof a === 'string' && rules.audience.includes(a))) throw new JwtRejection('the token does not have a valid audience');
  checkExpiry(claims, rules.now);
}

/** `exp` (required), `nbf` and `iat` against `now` (epoch seconds); a JwtRejection naming the first that fails. */
export function checkExpiry(claims: Record<string, unknown>, now: number): void {
  const exp = numeric(claims.exp);
  if (exp === undefined || exp <= now) throw new JwtRejection('the token has expired');
  const nbf = numeric(claims.nbf);
  if (claims.nbf !== undefined && (nbf === undefined || nbf > now)) throw new JwtRejection('the token is not valid yet');
  const iat = numeric(claims.iat);
  if (claims.iat !== undefined && (iat === undefined || iat > now)) throw new JwtRejection('the token was issued in the future');
}

/** The token's scopes: `scope` (space-separated) or `scp` (a list or a space-separated string). */
export function scopesOf(claims: Record<string, unknown>): string[] {
  const raw = claims.scope ?? claims.scp;
  if (typeof raw === 'string') return raw.split(' ').filter((s) => s !== '');
  return Array.isArray(raw) ? raw.filter((s): s is string => typeof s === 'string') : [];
}

/** Claims as integrations receive them: every value a string, lists as `[a b]`, objects as JSON. */
export function claimStrings(claims: Record<string, unknown>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, v] of Object.entries(claims)) {
    out[name] = typeof v === 'string' ? v : Array.isArray(v) ? `[${v.map((x) => (typeof x === 'string' ? x : JSON.stringify(x))).join(' ')}]` : typeof v === 'object' && v !== null ? JSON.stringify(v) : String(v);
  }
  return out;
}
