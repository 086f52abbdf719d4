// CreateVpcLink, GetVpcLink, GetVpcLinks, UpdateVpcLink and DeleteVpcLink of HTTP APIs (VPC links
// V2). A self-hosted server has no VPC: a link is a record of its name, subnets and security
// groups, available at once, that private integrations (private-integrations.ts) must name.
import type { HandlerTable } from '../../aws/protocols/rest-json.js';
import type { RequestContext } from '../../aws/request-context.js';
import type { Operations, VpcLink } from '../../aws/generated/apigatewayv2.js';
import type { ApiScope } from '../../store/apigateway-store.js';
import type { VpcLinkRecord, VpcLinkStore } from '../../store/vpc-link-store.js';
import { newShortId } from '../../core/ids.js';
import { emptyVpcLinkName, httpVpcLinkNotFound, vpcLinkInUse } from '../../apigateway/errors.js';
import { page, type Deps } from '../context.js';

/** What AWS reports of a V2 link that is ready. */
export const HTTP_VPC_LINK_READY = 'VPC link is ready to route traffic';

export const httpVpcLinkView = (l: VpcLinkRecord): VpcLink => ({
  CreatedDate: new Date(l.createdDate),
  Name: l.name,
  SecurityGroupIds: [...l.securityGroupIds],
  SubnetIds: [...l.subnetIds],
  Tags: { ...l.tags },
  VpcLinkId: l.id,
  VpcLinkStatus: 'AVAILABLE',
  VpcLinkStatusMessage: HTTP_VPC_LINK_READY,
  VpcLinkVersion: 'V2',
});

type VpcLinkDeps = Deps & { vpcLinks: VpcLinkStore };
const scopeOf = (ctx: RequestContext): ApiScope => ({ accountId: ctx.accountId, region: ctx.region });

async function requireVpcLink(deps: VpcLinkDeps, ctx: RequestContext, id: string): Promise<VpcLinkRecord> {
  const link = await deps.vpcLinks.getVpcLink(scopeOf(ctx), 'http', id);
  if (!link) throw httpVpcLinkNotFound(id);
  return link;
}

/** Routes whose integration goes through the link, as AWS lists them: "{integration method}:{routeId}". */
async function routeReferences(deps: Deps, ctx: RequestContext, linkId: string): Promise<string[]> {
  const references: string[] = [];
  for (const api of await deps.store.listApis(scopeOf(ctx))) {
    const linked = (await deps.store.listItems(api.apiId, 'integration')).filter((i) => i.connectionType === 'VPC_LINK' && i.connectionId === linkId);
    if (!linked.length) continue;
    const methods = new Map(linked.map((i) => [`integrations/${i.integrationId}`, i.integrationMethod ?? 'ANY']));
    for (const route of await deps.store.listItems(api.apiId, 'route')) {
      const method = route.target === undefined ? undefined : methods.get(route.target);
      if (method) references.push(`${method}:${route.routeId}`);
    }
  }
  return references;
}

export function vpcLinkHandlers(deps: VpcLinkDeps): HandlerTable<Operations> {
  return {
    async CreateVpcLink(input, ctx) {
      if (!input.Name) throw emptyVpcLinkName();
      const link: VpcLinkRecord = {
        ...scopeOf(ctx), kind: 'http', id: newShortId(6), name: input.Name, targetArns: [], subnetIds: [...input.SubnetIds],
        securityGroupIds: [...(input.SecurityGroupIds ?? [])], tags: { ...input.Tags }, createdDate: deps.now(),
      };
      while (!(await deps.vpcLinks.createVpcLink(link))) link.id = newShortId(6);
      return httpVpcLinkView(link);
    },

    async GetVpcLink(input, ctx) {
      return httpVpcLinkView(await requireVpcLink(deps, ctx, input.VpcLinkId));
    },

    async GetVpcLinks(input, ctx) {
      return page(await deps.vpcLinks.listVpcLinks(scopeOf(ctx), 'http'), input, httpVpcLinkView);
    },

    async UpdateVpcLink(input, ctx) {
      const link = await requireVpcLink(deps, ctx, input.VpcLinkId);
      if (input.Name !== undefined) {
        if (!input.Name) throw emptyVpcLinkName();
        link.name = input.Name;
      }
      if (!(await deps.vpcLinks.updateVpcLink(link))) throw httpVpcLinkNotFound(input.VpcLinkId);
      return httpVpcLinkView(link);
    },

    async DeleteVpcLink(input, ctx) {
      await requireVpcLink(deps, ctx, input.VpcLinkId);
      const references = await routeReferences(deps, ctx, input.VpcLinkId);
      if (references.length) throw vpcLinkInUse(input.VpcLinkId, references, 'Method:Resource');
      if (!(await deps.vpcLinks.deleteVpcLink(scopeOf(ctx), 'http', input.VpcLinkId))) throw httpVpcLinkNotFound(input.VpcLinkId);
    },
  };
}
