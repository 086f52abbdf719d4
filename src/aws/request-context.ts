// What every AWS API handler knows about the request it serves.
export interface RequestContext {
  requestId: string;
  accountId: string;
  region: string;
  /** Base URL the client reached us on (scheme://host:port), for URLs we hand back. */
  baseUrl: string;
  sourceIp: string;
  userAgent: string;
}
