// Test support: an OpenID Connect issuer on loopback — a key pair made with node:crypto, the
// discovery document and JWKS served over HTTP (also where Cognito user pools publish theirs,
// {issuer}/.well-known/jwks.json), and tokens signed with its key — so JWT and user pool
// authorizers are exercised without any network beyond this machine.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { generateKeyPairSync, sign, type KeyObject } from 'node:crypto';

export interface TestIssuer {
  /** The issuer URL (`iss`), e.g. http://127.0.0.1:PORT/issuer */
  url: string;
  /** The URL before the issuer's path, e.g. http://127.0.0.1:PORT */
  origin: string;
  /** Requests the issuer has served, by path. */
  hits: Map<string, number>;
  /** A token signed with the issuer's key; `header` overrides the JOSE header (kid, alg). */
  token(claims: Record<string, unknown>, header?: Record<string, unknown>): string;
  /** A token signed with a key the issuer does not publish. */
  forged(claims: Record<string, unknown>): string;
  close(): Promise<void>;
}

const KID = 'test-key-1';

function signed(claims: Record<string, unknown>, key: KeyObject, header: Record<string, unknown>): string {
  const encode = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64url');
  const input = `${encode({ alg: 'RS256', typ: 'JWT', kid: KID, ...header })}.${encode(claims)}`;
  return `${input}.${sign('sha256', Buffer.from(input), key).toString('base64url')}`;
}

/** `path` names the issuer under the origin (a user pool id, for a Cognito-style issuer). */
export async function startTestIssuer(path = '/issuer'): Promise<TestIssuer> {
  const { publicKey, privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const other = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey;
  const jwk = { ...publicKey.export({ format: 'jwk' }), kid: KID, use: 'sig', alg: 'RS256' };
  const hits = new Map<string, number>();
  let url = '';
  const server: Server = createServer((req, res) => {
    const asked = req.url ?? '/';
    hits.set(asked, (hits.get(asked) ?? 0) + 1);
    const body = asked === `${path}/.well-known/openid-configuration` ? { issuer: url, jwks_uri: `${url}/jwks.json` }
      : asked === `${path}/jwks.json` || asked === `${path}/.well-known/jwks.json` ? { keys: [jwk] } : undefined;
    res.writeHead(body ? 200 : 404, { 'content-type': 'application/json' });
    res.end(JSON.stringify(body ?? { error: 'not found' }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  url = `${origin}${path}`;
  return {
    url,
    origin,
    hits,
    token: (claims, header = {}) => signed(claims, privateKey, header),
    forged: (claims) => signed(claims, other, {}),
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
