// The signing keys of JWT issuers, as API Gateway finds them: the issuer's OpenID Connect discovery
// document ({issuer}/.well-known/openid-configuration) names its jwks_uri, whose JSON Web Key Set
// holds the keys. Key sets are cached per issuer for an hour; a token naming an unknown `kid`
// refetches the set (a rotated key), at most once a minute per issuer. Concurrent requests for one
// issuer share one fetch. Each node keeps its own cache.
import type { JsonWebKey } from 'node:crypto';
import { logger } from '../../core/logger.js';
import { JwtRejection } from './jwt.js';

const KEYS_TTL_MS = 3_600_000;
const REFETCH_AFTER_MS = 60_000;
const FETCH_TIMEOUT_MS = 5_000;
const MAX_ISSUERS = 1_000;

interface KeySet {
  keys: JsonWebKey[];
  fetchedAt: number;
}

export class JwksCache {
  readonly #sets = new Map<string, KeySet>();
  readonly #pending = new Map<string, Promise<KeySet>>();
  readonly #now: () => number;

  constructor(now: () => number = Date.now) {
    this.#now = now;
  }

  /**
   * The issuer's key with this `kid` (the only key when the token names none); a JwtRejection when
   * there is none or the keys cannot be fetched. `jwksUrl` skips discovery (Cognito user pools
   * publish their keys at a fixed place).
   */
  async key(issuer: string, kid: string | undefined, jwksUrl?: string): Promise<JsonWebKey> {
    let set = this.#sets.get(issuer);
    if (!set || this.#now() - set.fetchedAt > KEYS_TTL_MS) set = await this.#refresh(issuer, jwksUrl);
    let key = find(set, kid);
    if (!key && this.#now() - set.fetchedAt > REFETCH_AFTER_MS) key = find(await this.#refresh(issuer, jwksUrl), kid);
    if (!key) throw new JwtRejection('the token does not have a valid signature: no signing key of the issuer matches its kid');
    return key;
  }

  #refresh(issuer: string, jwksUrl: string | undefined): Promise<KeySet> {
    let pending = this.#pending.get(issuer);
    if (!pending) {
      pending = fetchKeySet(issuer, jwksUrl, this.#now()).then((set) => {
        if (this.#sets.size >= MAX_ISSUERS) this.#sets.clear();
        this.#sets.set(issuer, set);
        return set;
      }).finally(() => this.#pending.delete(issuer));
      this.#pending.set(issuer, pending);
    }
    return pending;
  }
}

function find(set: KeySet, kid: string | undefined): JsonWebKey | undefined {
  if (kid === undefined) return set.keys.length === 1 ? set.keys[0] : undefined;
  return set.keys.find((k) => k.kid === kid);
}

async function getJson(url: string): Promise<Record<string, unknown>> {
  const response = await fetch(url, { signal: AbortSignal.timeout(FETCH_TIMEOUT_MS), headers: { accept: 'application/json' } });
  if (!response.ok) throw new Error(`${url} answered ${response.status}`);
  const body = await response.json() as unknown;
  if (!body || typeof body !== 'object') throw new Error(`${url} answered no JSON object`);
  return body as Record<string, unknown>;
}

async function fetchKeySet(issuer: string, jwksUrl: string | undefined, now: number): Promise<KeySet> {
  try {
    let url = jwksUrl;
    if (url === undefined) {
      const discovery = await getJson(`${issuer.replace(/\/+$/, '')}/.well-known/openid-configuration`);
      if (typeof discovery.jwks_uri !== 'string') throw new Error('the discovery document has no jwks_uri');
      url = discovery.jwks_uri;
    }
    const jwks = await getJson(url);
    if (!Array.isArray(jwks.keys)) throw new Error(`${url} holds no keys`);
    return { keys: jwks.keys.filter((k): k is JsonWebKey => !!k && typeof k === 'object'), fetchedAt: now };
  } catch (e) {
    logger.warn('API Gateway: the JWT issuer\'s signing keys could not be fetched', { issuer, error: e instanceof Error ? e.message : String(e) });
    throw new JwtRejection('the signing keys of the token\'s issuer could not be retrieved');
  }
}
