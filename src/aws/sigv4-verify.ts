// Verifies AWS Signature Version 4 on requests to the AWS APIs when credentials are configured.
// The expected signature is computed by AWS's own signer (@smithy/signature-v4) from the parts of
// the request the client said it signed, then compared in constant time. What went wrong is
// returned as a kind; each protocol names it in its own error types (see authFailureError).
import { createHash, createHmac, timingSafeEqual, type Hash, type Hmac } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import { SignatureV4 } from '@smithy/signature-v4';
import type { Checksum, SourceData } from '@smithy/types';

export type AuthFailureKind = 'missing' | 'incomplete' | 'unknown-key' | 'mismatch' | 'expired';

export interface AuthFailure {
  kind: AuthFailureKind;
  message: string;
}

export interface SignedRequest {
  method: string;
  /** The request target as received (percent-encoded path and query). */
  rawUrl: string;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

/** A key's secret, and for temporary credentials (functions' own) the session token requests must carry. */
export interface KnownKey {
  secretAccessKey: string;
  sessionToken?: string;
}

/** What the signatures of an aws-chunked body's chunks are computed with (see chunkSigning). */
export interface ChunkSigning {
  key: Buffer;
  /** The request's x-amz-date (yyyyMMdd'T'HHmmss'Z'). */
  date: string;
  /** `{yyyyMMdd}/{region}/{service}/aws4_request`. */
  scope: string;
  /** The request's own signature, which the first chunk's chains from. */
  seed: string;
}

/** Access key id → what signs with it. */
export type CredentialTable = ReadonlyMap<string, KnownKey>;

const ALGORITHM = 'AWS4-HMAC-SHA256';
const AUTH_HEADER = /^AWS4-HMAC-SHA256\s+(.*)$/;

/** SHA-256 and HMAC-SHA256 from Node's crypto, in the shape the signer takes (fast on large zips). */
class NodeSha256 implements Checksum {
  #hash: Hash | Hmac;

  constructor(secret?: SourceData) {
    this.#hash = secret === undefined ? createHash('sha256') : createHmac('sha256', toBuffer(secret));
  }

  update(data: SourceData): void {
    this.#hash.update(toBuffer(data));
  }

  async digest(): Promise<Uint8Array> {
    return this.#hash.digest();
  }

  reset(): void {
    throw new Error('not used by the signer');
  }
}

function toBuffer(data: SourceData): Buffer {
  if (typeof data === 'string') return Buffer.from(data, 'utf8');
  if (ArrayBuffer.isView(data)) return Buffer.from(data.buffer, data.byteOffset, data.byteLength);
  return Buffer.from(data);
}

interface ParsedAuthorization {
  accessKeyId: string;
  date: string;
  region: string;
  service: string;
  signedHeaders: string[];
  signature: string;
}

/** `Credential=…, SignedHeaders=…, Signature=…` of an Authorization header, or why it can't be read. */
function parseAuthorization(value: string): ParsedAuthorization | AuthFailure {
  const m = AUTH_HEADER.exec(value.trim());
  if (!m) return { kind: 'incomplete', message: `Authorization header requires the ${ALGORITHM} algorithm.` };
  const fields = new Map<string, string>();
  for (const part of m[1].split(',')) {
    const eq = part.indexOf('=');
    if (eq > 0) fields.set(part.slice(0, eq).trim(), part.slice(eq + 1).trim());
  }
  const missing = ['Credential', 'Signature', 'SignedHeaders'].filter((f) => !fields.get(f));
  if (missing.length) {
    return { kind: 'incomplete', message: missing.map((f) => `Authorization header requires '${f}' parameter.`).join(' ') + ` Authorization=${value}` };
  }
  const scope = fields.get('Credential')!.split('/');
  if (scope.length !== 5 || scope[4] !== 'aws4_request') {
    return { kind: 'incomplete', message: `Credential should be scoped to a valid region, not '${scope[2] ?? ''}'. ` };
  }
  return {
    accessKeyId: scope[0],
    date: scope[1],
    region: scope[2],
    service: scope[3],
    signedHeaders: fields.get('SignedHeaders')!.split(';').map((h) => h.trim().toLowerCase()).filter(Boolean),
    signature: fields.get('Signature')!,
  };
}

/** `20240102T030405Z` → Date, or undefined. */
function parseAmzDate(value: string): Date | undefined {
  const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(value);
  if (!m) return undefined;
  const d = new Date(Date.UTC(+m[1], +m[2] - 1, +m[3], +m[4], +m[5], +m[6]));
  return Number.isNaN(d.getTime()) ? undefined : d;
}

const amzDate = (d: Date): string => d.toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '');

/** Equal texts, compared in constant time (secrets, tokens, MACs). */
export function sameText(given: string | undefined, wanted: string): boolean {
  const a = Buffer.from(given ?? '', 'utf8');
  const b = Buffer.from(wanted, 'utf8');
  return a.length === b.length && timingSafeEqual(a, b);
}

function header(headers: IncomingHttpHeaders, name: string): string | undefined {
  const v = headers[name];
  return Array.isArray(v) ? v.join(',') : v;
}

export interface VerifierOptions {
  /** How far the request's time may be from ours (AWS: 5 minutes for most services, 15 for STS). */
  skewMinutes: (service: string) => number;
  now?: () => Date;
}

export class SigV4Verifier {
  readonly #credentials: CredentialTable;
  readonly #options: VerifierOptions;

  constructor(credentials: CredentialTable, options: VerifierOptions) {
    this.#credentials = credentials;
    this.#options = options;
  }

  /** The access key a request was signed with when its signature is right; otherwise why not. */
  async verify(req: SignedRequest): Promise<{ accessKeyId: string } | AuthFailure> {
    const authorization = header(req.headers, 'authorization');
    if (authorization === undefined) return { kind: 'missing', message: 'Missing Authentication Token' };
    const auth = parseAuthorization(authorization);
    if ('kind' in auth) return auth;
    const key = this.#credentials.get(auth.accessKeyId);
    // Temporary credentials are only valid with their session token (AWS answers as for an unknown key).
    if (key === undefined || (key.sessionToken !== undefined && !sameText(header(req.headers, 'x-amz-security-token'), key.sessionToken))) {
      return { kind: 'unknown-key', message: 'The security token included in the request is invalid.' };
    }
    const secret = key.secretAccessKey;

    const dateText = header(req.headers, 'x-amz-date') ?? '';
    const signedAt = parseAmzDate(dateText) ?? (header(req.headers, 'date') ? new Date(header(req.headers, 'date')!) : undefined);
    if (!signedAt || Number.isNaN(signedAt.getTime())) {
      return { kind: 'incomplete', message: "Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header." };
    }
    const now = this.#options.now?.() ?? new Date();
    const skew = this.#options.skewMinutes(auth.service);
    const skewMs = skew * 60_000;
    if (signedAt.getTime() < now.getTime() - skewMs) {
      return { kind: 'expired', message: `Signature expired: ${amzDate(signedAt)} is now earlier than ${amzDate(new Date(now.getTime() - skewMs))} (${amzDate(now)} - ${skew} min.)` };
    }
    if (signedAt.getTime() > now.getTime() + skewMs) {
      return { kind: 'expired', message: `Signature not yet current: ${amzDate(signedAt)} is still later than ${amzDate(new Date(now.getTime() + skewMs))} (${amzDate(now)} + ${skew} min.)` };
    }

    // A signed x-amz-content-sha256 stands for the body in the signature: it must be the body's.
    // Only S3 accepts UNSIGNED-PAYLOAD and aws-chunked STREAMING-… bodies (the signature then covers the headers).
    const claimedHash = header(req.headers, 'x-amz-content-sha256');
    const unsignedBody = auth.service === 's3' && claimedHash !== undefined && (claimedHash === UNSIGNED_PAYLOAD || claimedHash.startsWith('STREAMING-'));
    const bodyIntact = claimedHash === undefined || unsignedBody || claimedHash.toLowerCase() === createHash('sha256').update(req.body).digest('hex');
    const expected = bodyIntact ? await this.#expectedSignature(req, auth, secret, signedAt) : '';
    const given = Buffer.from(auth.signature, 'utf8');
    const wanted = Buffer.from(expected, 'utf8');
    if (!bodyIntact || given.length !== wanted.length || !timingSafeEqual(given, wanted)) {
      return {
        kind: 'mismatch',
        message: 'The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.',
      };
    }
    return { accessKeyId: auth.accessKeyId };
  }

  async #expectedSignature(req: SignedRequest, auth: ParsedAuthorization, secret: string, signedAt: Date): Promise<string> {
    const { path, query } = splitTarget(req.rawUrl);
    const headers = signedHeaderValues(req, auth.signedHeaders);
    const signed = await signerFor(auth, secret).sign(
      { method: req.method, protocol: 'http:', hostname: hostnameOf(headers), path, query, headers, body: req.body },
      { signingDate: signedAt, signableHeaders: new Set(auth.signedHeaders) },
    );
    const value = String(signed.headers.authorization ?? '');
    return /Signature=([0-9a-f]+)/.exec(value)?.[1] ?? '';
  }

  /**
   * For a request whose body is signed chunk by chunk (aws-chunked, STREAMING-AWS4-HMAC-SHA256-…):
   * what its chunk signatures chain from, once verify() accepted its headers — the signing key of
   * its scope, its x-amz-date, its scope and its own (seed) signature. Undefined without an
   * Authorization header naming a known key.
   */
  chunkSigning(headers: IncomingHttpHeaders): ChunkSigning | undefined {
    const authorization = header(headers, 'authorization');
    const auth = authorization === undefined ? undefined : parseAuthorization(authorization);
    if (!auth || 'kind' in auth) return undefined;
    const key = this.#credentials.get(auth.accessKeyId);
    if (!key) return undefined;
    const hmac = (k: Buffer | string, data: string): Buffer => createHmac('sha256', k).update(data, 'utf8').digest();
    const signingKey = hmac(hmac(hmac(hmac(`AWS4${key.secretAccessKey}`, auth.date), auth.region), auth.service), 'aws4_request');
    return {
      key: signingKey, date: header(headers, 'x-amz-date') ?? '', scope: `${auth.date}/${auth.region}/${auth.service}/aws4_request`, seed: auth.signature,
    };
  }

  /**
   * A presigned request (the signature in the query: X-Amz-Algorithm, -Credential, -Date, -Expires,
   * -SignedHeaders, -Signature, optional -Security-Token): the access key when it verifies,
   * otherwise why not. It is valid from X-Amz-Date (less the clock skew) for X-Amz-Expires seconds
   * (at most 604800, a week). The payload is the empty body's hash (what AWS's SDK signers use for a
   * bodiless request) or UNSIGNED-PAYLOAD (what botocore and S3-style presigners use): either verifies.
   */
  async verifyPresigned(req: SignedRequest): Promise<{ accessKeyId: string } | AuthFailure> {
    const { path, query } = splitTarget(req.rawUrl);
    const param = (name: string): string | undefined => {
      const v = query[name];
      return Array.isArray(v) ? v[0] : v;
    };
    const signature = param('X-Amz-Signature');
    if (signature === undefined) return { kind: 'missing', message: 'Missing Authentication Token' };
    const missing = PRESIGN_PARAMS.filter((p) => !param(p));
    // AWS's wording, which names every parameter whichever is missing.
    if (missing.length) return { kind: 'incomplete', message: INCOMPLETE_QUERY };
    if (param('X-Amz-Algorithm') !== ALGORITHM) return { kind: 'incomplete', message: `X-Amz-Algorithm only supports "${ALGORITHM}"` };
    const scope = param('X-Amz-Credential')!.split('/');
    if (scope.length !== 5 || scope[4] !== 'aws4_request') {
      return { kind: 'incomplete', message: `Credential should be scoped to a valid region, not '${scope[2] ?? ''}'. ` };
    }
    const auth: ParsedAuthorization = {
      accessKeyId: scope[0], date: scope[1], region: scope[2], service: scope[3],
      signedHeaders: param('X-Amz-SignedHeaders')!.split(';').map((h) => h.trim().toLowerCase()).filter(Boolean),
      signature,
    };
    const expiresText = param('X-Amz-Expires')!;
    const expires = /^\d{1,7}$/.test(expiresText) ? Number(expiresText) : NaN;
    if (!(expires >= 0 && expires <= MAX_PRESIGNED_SECONDS)) {
      return { kind: 'incomplete', message: `X-Amz-Expires must be a whole number of seconds from 0 to ${MAX_PRESIGNED_SECONDS} (a week).` };
    }
    const token = param('X-Amz-Security-Token');
    const key = this.#credentials.get(auth.accessKeyId);
    if (key === undefined || (key.sessionToken !== undefined && !sameText(token, key.sessionToken))) {
      return { kind: 'unknown-key', message: 'The security token included in the request is invalid.' };
    }
    const signedAt = parseAmzDate(param('X-Amz-Date')!);
    if (!signedAt) return { kind: 'incomplete', message: "X-Amz-Date must be in the ISO8601 Long Format \"yyyyMMdd'T'HHmmss'Z'\"" };
    const now = this.#options.now?.() ?? new Date();
    const skew = this.#options.skewMinutes(auth.service);
    if (signedAt.getTime() > now.getTime() + skew * 60_000) {
      return { kind: 'expired', message: `Signature not yet current: ${amzDate(signedAt)} is still later than ${amzDate(new Date(now.getTime() + skew * 60_000))} (${amzDate(now)} + ${skew} min.)` };
    }
    const expiresAt = new Date(signedAt.getTime() + expires * 1000);
    if (expiresAt.getTime() < now.getTime()) {
      return { kind: 'expired', message: `Signature expired: ${amzDate(expiresAt)} is now earlier than ${amzDate(now)} (${amzDate(signedAt)} + ${expires} s).` };
    }

    // The query the client signed: everything but the signature (presign adds the auth parameters back).
    const signedQuery = { ...query };
    for (const p of [...PRESIGN_PARAMS, 'X-Amz-Signature', 'X-Amz-Security-Token']) delete signedQuery[p];
    const headers = signedHeaderValues(req, auth.signedHeaders);
    const signer = signerFor(auth, key.secretAccessKey, token);
    const keep = new Set([...auth.signedHeaders, SHA256_HEADER]);
    const given = Buffer.from(signature, 'utf8');
    for (const payload of [undefined, UNSIGNED_PAYLOAD]) {
      const presigned = await signer.presign(
        {
          method: req.method, protocol: 'http:', hostname: hostnameOf(headers), path, query: signedQuery,
          headers: payload === undefined ? headers : { ...headers, [SHA256_HEADER]: payload },
          body: req.body.length ? req.body : undefined,
        },
        { signingDate: signedAt, expiresIn: expires, signableHeaders: new Set(auth.signedHeaders), unsignableHeaders: new Set([SHA256_HEADER]), unhoistableHeaders: keep },
      );
      const wanted = Buffer.from(String(presigned.query?.['X-Amz-Signature'] ?? ''), 'utf8');
      if (given.length === wanted.length && timingSafeEqual(given, wanted)) return { accessKeyId: auth.accessKeyId };
    }
    return {
      kind: 'mismatch',
      message: 'The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.',
    };
  }
}

const PRESIGN_PARAMS = ['X-Amz-Algorithm', 'X-Amz-Credential', 'X-Amz-Date', 'X-Amz-Expires', 'X-Amz-SignedHeaders'] as const;
const MAX_PRESIGNED_SECONDS = 604_800;
const INCOMPLETE_QUERY = "AWS query-string parameters must include 'X-Amz-Algorithm', 'X-Amz-Credential', 'X-Amz-Signature', 'X-Amz-Date', 'X-Amz-SignedHeaders', 'X-Amz-Expires'. Re-examine the query-string parameters.";
const SHA256_HEADER = 'x-amz-content-sha256';
const UNSIGNED_PAYLOAD = 'UNSIGNED-PAYLOAD';

/** A request target's path (as received) and its decoded query, repeated names as lists. */
function splitTarget(rawUrl: string): { path: string; query: Record<string, string | string[]> } {
  const q = rawUrl.indexOf('?');
  const path = q === -1 ? rawUrl : rawUrl.slice(0, q);
  const query: Record<string, string | string[]> = {};
  for (const [k, v] of new URLSearchParams(q === -1 ? '' : rawUrl.slice(q + 1))) {
    const prior = query[k];
    query[k] = prior === undefined ? v : Array.isArray(prior) ? [...prior, v] : [prior, v];
  }
  // As received: SDKs percent-encode segments before signing, and so does this signer.
  return { path: path === '' ? '/' : path, query };
}

/** Only what the client signed goes into the canonical request. */
function signedHeaderValues(req: SignedRequest, names: string[]): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const name of names) headers[name] = header(req.headers, name) ?? '';
  return headers;
}

const hostnameOf = (headers: Record<string, string>): string => (headers.host ?? '').replace(/:\d+$/, '');

function signerFor(auth: ParsedAuthorization, secret: string, sessionToken?: string): SignatureV4 {
  return new SignatureV4({
    credentials: { accessKeyId: auth.accessKeyId, secretAccessKey: secret, sessionToken },
    region: auth.region,
    service: auth.service,
    sha256: NodeSha256,
    // Sign exactly the client's headers: adding x-amz-content-sha256 would change the request.
    applyChecksum: false,
    // S3 signs the path as sent; every other service encodes it once more.
    uriEscapePath: auth.service !== 's3',
  });
}

/**
 * The server's verifier for a configured credential table, which also accepts the functions'
 * temporary credentials (with their session token): 15 minutes of clock skew for STS, 5 for the
 * rest (AWS's limits).
 */
export function createVerifier(
  credentials: Record<string, string> | undefined,
  functionCredentials?: { accessKeyId: string; secretAccessKey: string; sessionToken: string },
): SigV4Verifier | undefined {
  if (!credentials) return undefined;
  const table = new Map<string, KnownKey>(Object.entries(credentials).map(([id, secretAccessKey]) => [id, { secretAccessKey }]));
  if (functionCredentials) table.set(functionCredentials.accessKeyId, { secretAccessKey: functionCredentials.secretAccessKey, sessionToken: functionCredentials.sessionToken });
  return new SigV4Verifier(table, { skewMinutes: (service) => (service === 'sts' ? 15 : 5) });
}
