// UpdateDomainName's PATCH operations on a domain name record: certificates (stored as given, as
// CreateDomainName stores them), the security policy, and the endpoint type (EDGE ⇄ REGIONAL, as
// AWS migrates a domain; PRIVATE is refused as it is at creation) with its IP address type.
import type { DomainNameRecord, EndpointType, IpAddressType } from '../store/apigateway-store.js';
import { newShortId } from '../core/ids.js';
import { badRequest, invalidPatchPath, onlyReplace, unsupportedOpForPath } from './errors.js';
import type { PatchOp } from './patch.js';

type CertificateField = 'certificateName' | 'certificateArn' | 'regionalCertificateName' | 'regionalCertificateArn';
const CERTIFICATE_FIELDS: Record<string, CertificateField> = {
  '/certificateName': 'certificateName', '/certificateArn': 'certificateArn',
  '/regionalCertificateName': 'regionalCertificateName', '/regionalCertificateArn': 'regionalCertificateArn',
};
const SECURITY_POLICIES = ['TLS_1_0', 'TLS_1_2'];
const ENDPOINT_TYPES = ['EDGE', 'REGIONAL'];
const IP_ADDRESS_TYPES = ['ipv4', 'dualstack'];

/** A value from a fixed list, or a 400 naming the list (Stagecraft's wording). */
function oneOf(what: string, value: string | undefined, allowed: string[]): string {
  if (value === undefined || !allowed.includes(value)) throw badRequest(`Invalid ${what}: ${value ?? 'null'}. Must be one of: [${allowed.join(', ')}]`);
  return value;
}

/** Certificates are added, replaced or removed; 'add' and 'replace' alike set the value. */
function patchCertificate(next: DomainNameRecord, field: CertificateField, op: PatchOp): void {
  if (op.op === 'remove' || ((op.op === 'add' || op.op === 'replace') && !op.value)) delete next[field];
  else if (op.op === 'add' || op.op === 'replace') next[field] = op.value;
  else throw unsupportedOpForPath(op.path ?? '', op.op ?? 'null');
}

/** The domain after `ops`, applied in order; a new endpoint type draws a new generated host name. */
export function patchDomainName(domain: DomainNameRecord, ops: PatchOp[]): DomainNameRecord {
  const next: DomainNameRecord = { ...domain, endpointConfiguration: { ...domain.endpointConfiguration } };
  for (const op of ops) {
    const certificate = op.path === undefined ? undefined : CERTIFICATE_FIELDS[op.path];
    if (certificate) {
      patchCertificate(next, certificate, op);
      continue;
    }
    if (op.op !== 'replace') throw onlyReplace();
    if (op.path === '/securityPolicy') {
      next.securityPolicy = oneOf('securityPolicy', op.value, SECURITY_POLICIES);
    } else if (op.path === '/endpointConfiguration/ipAddressType') {
      next.endpointConfiguration.ipAddressType = oneOf('ipAddressType', op.value, IP_ADDRESS_TYPES) as IpAddressType;
    } else if (op.path?.startsWith('/endpointConfiguration/types/')) {
      if (op.value === 'PRIVATE') throw badRequest('Private custom domain names are not supported');
      next.endpointConfiguration.types = [oneOf('endpoint type', op.value, ENDPOINT_TYPES) as EndpointType];
    } else {
      throw invalidPatchPath(op.path);
    }
  }
  const type = next.endpointConfiguration.types[0];
  if (type !== domain.endpointConfiguration.types[0]) next.generatedId = newShortId(type === 'REGIONAL' ? 10 : 13);
  return next;
}
