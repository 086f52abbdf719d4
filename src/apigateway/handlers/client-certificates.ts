// GenerateClientCertificate, GetClientCertificate, GetClientCertificates, UpdateClientCertificate
// and DeleteClientCertificate, and the check that a stage names a certificate that exists. A
// certificate is self-signed (RSA 2048, SHA-256, valid 365 days); its private key stays in the
// store, for the data plane to present to HTTP backends, and is never returned.
import type { HandlerTable } from '../../aws/protocols/rest-json.js';
import type { RequestContext } from '../../aws/request-context.js';
import type { ClientCertificate, Operations, PatchOperation } from '../../aws/generated/apigateway.js';
import type { ClientCertificateRecord, ClientCertificateStore } from '../../store/client-certificate-store.js';
import { newShortId } from '../../core/ids.js';
import { createSelfSignedCertificate } from '../../core/self-signed-certificate.js';
import { clientCertificateNotFound, invalidPatchPath, onlyReplace } from '../errors.js';
import { listPage, scopeOf, type Deps } from './context.js';
import { toStageClientCertificate, type StageClientCertificate } from '../stage-runtime.js';

/** How long a generated certificate is valid, as AWS's are. */
export const CLIENT_CERTIFICATE_VALIDITY_DAYS = 365;
/** The subject (and issuer) of generated certificates: Stagecraft's choice, AWS does not document its own. */
export const CLIENT_CERTIFICATE_SUBJECT = { commonName: 'ApiGateway' };

/** A certificate as AWS renders it: `tags` always on a single certificate, in lists only when there are some. */
export function clientCertificateView(c: ClientCertificateRecord, options: { tagsAlways?: boolean } = {}): ClientCertificate {
  const view: ClientCertificate = { clientCertificateId: c.id };
  if (c.description !== undefined) view.description = c.description;
  view.pemEncodedCertificate = c.pemEncodedCertificate;
  view.createdDate = new Date(c.createdDate);
  view.expirationDate = new Date(c.expirationDate);
  if (options.tagsAlways || Object.keys(c.tags).length) view.tags = { ...c.tags };
  return view;
}

/** The stores a certificate's calls use. */
export type ClientCertificateDeps = Deps & { clientCertificates: ClientCertificateStore };

async function requireClientCertificate(deps: ClientCertificateDeps, ctx: RequestContext, id: string): Promise<ClientCertificateRecord> {
  const certificate = await deps.clientCertificates.getClientCertificate(scopeOf(ctx), id);
  if (!certificate) throw clientCertificateNotFound();
  return certificate;
}

/** UpdateStage's `/clientCertificateId` values must name certificates of the account and region ("" clears it). */
export async function checkStageCertificates(deps: Deps, ctx: RequestContext, ops: PatchOperation[] | undefined): Promise<void> {
  if (!deps.clientCertificates) return;
  for (const op of ops ?? []) {
    if (op.path !== '/clientCertificateId' || !op.value || (op.op !== 'replace' && op.op !== 'add')) continue;
    if (!(await deps.clientCertificates.getClientCertificate(scopeOf(ctx), op.value))) throw clientCertificateNotFound();
  }
}

/** TestInvokeMethod's clientCertificateId: the certificate and key to present, or AWS's 404. */
export async function stageClientCertificate(deps: Deps, ctx: RequestContext, id: string): Promise<StageClientCertificate | undefined> {
  if (!deps.clientCertificates) return undefined;
  return toStageClientCertificate(await requireClientCertificate({ ...deps, clientCertificates: deps.clientCertificates }, ctx, id));
}

export function clientCertificateHandlers(deps: ClientCertificateDeps): HandlerTable<Operations> {
  return {
    async GenerateClientCertificate(input, ctx) {
      const now = deps.now();
      const generated = await createSelfSignedCertificate({
        subject: CLIENT_CERTIFICATE_SUBJECT, notBefore: new Date(now), validityDays: CLIENT_CERTIFICATE_VALIDITY_DAYS, purpose: 'clientAuth',
      });
      const certificate: ClientCertificateRecord = {
        ...scopeOf(ctx), id: newShortId(6), pemEncodedCertificate: generated.certificatePem, privateKeyPem: generated.privateKeyPem,
        tags: { ...input.tags }, createdDate: now, expirationDate: generated.notAfter.getTime(),
      };
      if (input.description !== undefined) certificate.description = input.description;
      while (!(await deps.clientCertificates.createClientCertificate(certificate))) certificate.id = newShortId(6);
      return clientCertificateView(certificate, { tagsAlways: true });
    },

    async GetClientCertificate(input, ctx) {
      return clientCertificateView(await requireClientCertificate(deps, ctx, input.clientCertificateId), { tagsAlways: true });
    },

    async GetClientCertificates(input, ctx) {
      return listPage(await deps.clientCertificates.listClientCertificates(scopeOf(ctx)), input, (c) => clientCertificateView(c));
    },

    async UpdateClientCertificate(input, ctx) {
      const certificate = structuredClone(await requireClientCertificate(deps, ctx, input.clientCertificateId));
      for (const op of input.patchOperations ?? []) {
        if (op.path !== '/description') throw invalidPatchPath(op.path);
        if (op.op !== 'replace') throw onlyReplace();
        if (op.value === undefined || op.value === '') delete certificate.description;
        else certificate.description = op.value;
      }
      if (!(await deps.clientCertificates.updateClientCertificate(certificate))) throw clientCertificateNotFound();
      return clientCertificateView(certificate, { tagsAlways: true });
    },

    async DeleteClientCertificate(input, ctx) {
      if (!(await deps.clientCertificates.deleteClientCertificate(scopeOf(ctx), input.clientCertificateId))) throw clientCertificateNotFound();
    },
  };
}
