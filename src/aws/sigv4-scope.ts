// Reads the credential scope (access key, region, service) from a SigV4-signed request,
// in the Authorization header or a presigned URL's X-Amz-Credential.
import type { IncomingHttpHeaders } from 'node:http';

export interface CredentialScope {
  accessKeyId: string;
  date: string;
  region: string;
  service: string;
}

const SCOPE = /Credential=([^/,\s]+)\/(\d{8})\/([^/]+)\/([^/]+)\/aws4_request/;

export function credentialScope(headers: IncomingHttpHeaders, query: URLSearchParams): CredentialScope | undefined {
  const auth = headers.authorization;
  const source = typeof auth === 'string' ? auth : query.has('X-Amz-Credential') ? `Credential=${query.get('X-Amz-Credential')}` : undefined;
  if (!source) return undefined;
  const m = SCOPE.exec(source);
  return m ? { accessKeyId: m[1], date: m[2], region: m[3], service: m[4] } : undefined;
}
