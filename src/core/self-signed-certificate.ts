// Self-signed X.509 v3 certificates (RFC 5280) with an RSA key, signed with SHA-256: what API
// Gateway's GenerateClientCertificate hands out, and what tests use as throwaway server
// certificates. The TBSCertificate is encoded with src/core/der.ts and signed with Node's crypto.
import { createHash, generateKeyPair, randomBytes, sign, type KeyObject } from 'node:crypto';
import { promisify } from 'node:util';
import {
  bitString, boolean, certificateTime, explicit, nullValue, octetString, oid, pem, printableString, sequence, set, smallInteger, tlv, unsignedInteger, utf8String,
} from './der.js';

const generateRsaKeyPair = promisify(generateKeyPair);

const OID = {
  sha256WithRSAEncryption: '1.2.840.113549.1.1.11',
  countryName: '2.5.4.6',
  organizationName: '2.5.4.10',
  organizationalUnitName: '2.5.4.11',
  commonName: '2.5.4.3',
  subjectKeyIdentifier: '2.5.29.14',
  subjectAltName: '2.5.29.17',
  basicConstraints: '2.5.29.19',
  extKeyUsage: '2.5.29.37',
  clientAuth: '1.3.6.1.5.5.7.3.2',
  serverAuth: '1.3.6.1.5.5.7.3.1',
} as const;

const DAY_MS = 24 * 60 * 60 * 1000;

/** The distinguished name's attributes, in the order they are written (most general first). */
export interface DistinguishedName {
  country?: string;
  organization?: string;
  organizationalUnit?: string;
  commonName: string;
}

export interface CertificateOptions {
  subject: DistinguishedName;
  /** Start of validity (default: now); seconds are kept, milliseconds dropped. */
  notBefore?: Date;
  validityDays: number;
  /** What the key may be used for in TLS (extendedKeyUsage). */
  purpose: 'clientAuth' | 'serverAuth';
  /** DNS names for subjectAltName (server certificates). */
  dnsNames?: string[];
  /** RSA modulus length (default 2048). */
  modulusLength?: number;
}

export interface SelfSignedCertificate {
  /** The certificate, PEM-encoded ("-----BEGIN CERTIFICATE-----"). */
  certificatePem: string;
  /** The private key as unencrypted PKCS #8 PEM ("-----BEGIN PRIVATE KEY-----"). */
  privateKeyPem: string;
  notBefore: Date;
  notAfter: Date;
}

/** Name ::= SEQUENCE OF RelativeDistinguishedName, one attribute per SET. */
function name(dn: DistinguishedName): Buffer {
  const rdn = (type: string, value: Buffer) => set(sequence(oid(type), value));
  const parts: Buffer[] = [];
  if (dn.country) parts.push(rdn(OID.countryName, printableString(dn.country)));
  if (dn.organization) parts.push(rdn(OID.organizationName, utf8String(dn.organization)));
  if (dn.organizationalUnit) parts.push(rdn(OID.organizationalUnitName, utf8String(dn.organizationalUnit)));
  parts.push(rdn(OID.commonName, utf8String(dn.commonName)));
  return sequence(...parts);
}

/** Extension ::= SEQUENCE { extnID, critical BOOLEAN DEFAULT FALSE, extnValue OCTET STRING (the DER of the value) }. */
const extension = (id: string, value: Buffer, critical = false): Buffer =>
  critical ? sequence(oid(id), boolean(true), octetString(value)) : sequence(oid(id), octetString(value));

/**
 * The extensions: not a CA (basicConstraints with cA absent, so FALSE), the key's identifier (SHA-1
 * of the public key bits, RFC 5280 §4.2.1.2 method 1), its TLS purpose, and DNS names if any. No
 * keyUsage: with one present, OpenSSL refuses a self-signed certificate as its own issuer unless
 * it also allows keyCertSign, and a client certificate should not claim that.
 */
function extensions(options: CertificateOptions, publicKeyBits: Buffer): Buffer {
  const list = [
    extension(OID.basicConstraints, sequence(), true),
    extension(OID.subjectKeyIdentifier, octetString(createHash('sha1').update(publicKeyBits).digest())),
    extension(OID.extKeyUsage, sequence(oid(OID[options.purpose]))),
  ];
  // GeneralName dNSName is [2] IMPLICIT IA5String: context-specific primitive tag 0x82.
  if (options.dnsNames?.length) list.push(extension(OID.subjectAltName, sequence(...options.dnsNames.map((d) => tlv(0x82, Buffer.from(d, 'ascii'))))));
  return explicit(3, sequence(...list));
}

/** The BIT STRING contents of SubjectPublicKeyInfo (the RSAPublicKey), for the key identifier. */
function publicKeyBits(spki: Buffer): Buffer {
  // spki = SEQUENCE { AlgorithmIdentifier, BIT STRING }; the BIT STRING is its last member. Node
  // encodes a 2048-bit key's SPKI with two-byte lengths, so read the lengths generally.
  const readLength = (at: number): [number, number] => {
    const first = spki[at];
    if (first < 0x80) return [first, at + 1];
    const n = first & 0x7f;
    return [spki.readUIntBE(at + 1, n), at + 1 + n];
  };
  const [, bodyStart] = readLength(1);
  const [algorithmLength, algorithmStart] = readLength(bodyStart + 1);
  const bitStringAt = algorithmStart + algorithmLength;
  const [bitsLength, bitsStart] = readLength(bitStringAt + 1);
  return spki.subarray(bitsStart + 1, bitsStart + bitsLength);
}

/** TBSCertificate (RFC 5280 §4.1): what the issuer signs. Issuer and subject are the same name. */
export function tbsCertificate(options: CertificateOptions, spki: Buffer, serial: Buffer, notBefore: Date, notAfter: Date): Buffer {
  const signatureAlgorithm = sequence(oid(OID.sha256WithRSAEncryption), nullValue());
  const dn = name(options.subject);
  return sequence(
    explicit(0, smallInteger(2)), // version: v3 is encoded as 2
    unsignedInteger(serial),
    signatureAlgorithm,
    dn,
    sequence(certificateTime(notBefore), certificateTime(notAfter)),
    dn,
    spki,
    extensions(options, publicKeyBits(spki)),
  );
}

/** Certificate ::= SEQUENCE { tbsCertificate, signatureAlgorithm, signatureValue BIT STRING }. */
export function signCertificate(tbs: Buffer, privateKey: KeyObject): Buffer {
  const signature = sign('sha256', tbs, privateKey);
  return sequence(tbs, sequence(oid(OID.sha256WithRSAEncryption), nullValue()), bitString(signature));
}

/** A fresh RSA key and a certificate for it, signed by itself. */
export async function createSelfSignedCertificate(options: CertificateOptions): Promise<SelfSignedCertificate> {
  const { publicKey, privateKey } = await generateRsaKeyPair('rsa', { modulusLength: options.modulusLength ?? 2048 });
  const notBefore = new Date(Math.floor((options.notBefore ?? new Date()).getTime() / 1000) * 1000);
  const notAfter = new Date(notBefore.getTime() + options.validityDays * DAY_MS);
  // A positive serial of at most 20 octets (RFC 5280 §4.1.2.2): 16 random bytes, top bit cleared.
  const serial = randomBytes(16);
  serial[0] &= 0x7f;
  const spki = publicKey.export({ type: 'spki', format: 'der' });
  const der = signCertificate(tbsCertificate(options, spki, serial, notBefore, notAfter), privateKey);
  return {
    certificatePem: pem('CERTIFICATE', der),
    privateKeyPem: privateKey.export({ type: 'pkcs8', format: 'pem' }) as string,
    notBefore,
    notAfter,
  };
}
