// API Gateway client certificates (GenerateClientCertificate): self-signed certificates of an
// account and region that stages present to HTTP backends. The private key is kept with the
// record (unencrypted, like the rest of the state under the data dir or in the database) and is
// never part of an API answer. Implemented on SQLite and PostgreSQL
// (src/store/{sqlite,postgres}/client-certificate-store.ts).
import type { ApiScope } from './apigateway-store.js';

export interface ClientCertificateRecord extends ApiScope {
  id: string;
  description?: string;
  /** The certificate, PEM-encoded. */
  pemEncodedCertificate: string;
  /** Its private key as PKCS #8 PEM: server-side only. */
  privateKeyPem: string;
  tags: Record<string, string>;
  /** Epoch milliseconds. */
  createdDate: number;
  /** Epoch milliseconds: the certificate's notAfter. */
  expirationDate: number;
}

export interface ClientCertificateStore {
  /** Inserts a certificate; false when the scope already has one with that id. */
  createClientCertificate(certificate: ClientCertificateRecord): Promise<boolean>;
  getClientCertificate(scope: ApiScope, id: string): Promise<ClientCertificateRecord | undefined>;
  /** The scope's certificates, oldest first. */
  listClientCertificates(scope: ApiScope): Promise<ClientCertificateRecord[]>;
  /** Replaces a certificate's description and tags (its id, scope and key material stay); false when there is none. */
  updateClientCertificate(certificate: ClientCertificateRecord): Promise<boolean>;
  deleteClientCertificate(scope: ApiScope, id: string): Promise<boolean>;
}
