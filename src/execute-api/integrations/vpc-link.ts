// Private integrations (connectionType VPC_LINK) on the data plane: there is no VPC to cross, so
// the integration's URI is called directly from the server, as INTERNET ones are; what remains of
// the link is that it must exist when the request comes (its id may be a stage variable). A
// missing link answers 500, as AWS answers a private integration whose link is broken.
import type { VpcLinkKind, VpcLinkStore } from '../../store/vpc-link-store.js';
import type { InvocationContext, InvocationResponse } from '../context.js';
import { configurationError } from '../errors.js';
import { substituteStageVariables } from '../integration-uri.js';

export type VpcLinkLookup = Pick<VpcLinkStore, 'getVpcLink'>;

/** Calls `invoke` once the integration's link is found (every link is found without a lookup to ask). */
export async function throughVpcLink(ctx: InvocationContext, links: VpcLinkLookup | undefined, kind: VpcLinkKind,
  invoke: (ctx: InvocationContext) => Promise<InvocationResponse> | InvocationResponse): Promise<InvocationResponse> {
  if (links) {
    const id = substituteStageVariables(ctx.integration?.connectionId ?? '', ctx.stageVariables);
    const api = ctx.resolved!.api;
    if (!id || !(await links.getVpcLink({ accountId: api.accountId, region: api.region }, kind, id))) {
      throw configurationError(`Invalid VPC link identifier specified ${id || '(none)'}`);
    }
  }
  return invoke(ctx);
}

/** True for an integration that goes through a VPC link. */
export const isPrivate = (ctx: InvocationContext): boolean => ctx.integration?.connectionType === 'VPC_LINK';
