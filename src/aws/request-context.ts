// What every AWS API handler knows about the request it serves.
import type { BodyLease } from './body-budget.js';

export interface RequestContext {
  requestId: string;
  accountId: string;
  region: string;
  /** Base URL the client reached us on (scheme://host:port), for URLs we hand back. */
  baseUrl: string;
  sourceIp: string;
  userAgent: string;
  /**
   * Set when the server verifies signatures: checks the request's SigV4 signature over `body`
   * (throws the protocol's AWS error) and records the access key. Engines call it after reading
   * the body, before anything else happens.
   */
  authenticate?: (body: Buffer) => Promise<void>;
  /** The access key a verified request was signed with. */
  accessKeyId?: string;
  /** This request's share of the server's request memory budget (bodies, S3 objects being answered). */
  bodyLease?: BodyLease;
  /** Aborted when the client goes away before its answer is sent (a long poll then stops waiting). */
  clientGone?: AbortSignal;
}
