// CreateVpcLink, GetVpcLink, GetVpcLinks, UpdateVpcLink and DeleteVpcLink of REST APIs, and the
// check that a private integration (connectionType VPC_LINK) names a link that exists. A
// self-hosted server has no VPC: a link is a record, available at once (AWS starts it PENDING for
// a few minutes), and a private integration calls its URI directly from the server.
import type { HandlerTable } from '../../aws/protocols/rest-json.js';
import type { RequestContext } from '../../aws/request-context.js';
import type { Integration, Operations, VpcLink } from '../../aws/generated/apigateway.js';
import type { VpcLinkRecord, VpcLinkStore } from '../../store/vpc-link-store.js';
import { newShortId } from '../../core/ids.js';
import { substituteStageVariables } from '../../execute-api/integration-uri.js';
import {
  emptyVpcLinkName, invalidPatchPath, malformedArn, noTargetArns, onlyReplace, targetArnsFixed, tooManyTargetArns, unknownVpcLinkReference,
  vpcLinkInUse, vpcLinkNotFound,
} from '../errors.js';
import { listPage, scopeOf, type Deps } from './context.js';

/** What GetVpcLink answers on AWS once a link is ready (recorded). */
export const VPC_LINK_READY = 'Your vpc link is ready for use';
/** arn:{partition}:{service}:{region}:{account}:{resource}, as AWS parses an ARN. */
const ARN = /^arn:[a-z0-9-]+:[a-z0-9-]+:[a-z0-9-]*:\d*:.+$/;
/** A connection id made of one stage variable, resolved per stage (recorded: AWS takes these unchecked). */
const STAGE_VARIABLE_REFERENCE = /\$\{stageVariables\.[A-Za-z0-9_.-]+\}/;

/** A link as AWS renders it: `tags` always on GetVpcLink and UpdateVpcLink (recorded as `{}`), elsewhere only when there are some. */
export function vpcLinkView(link: VpcLinkRecord, options: { tagsAlways?: boolean } = {}): VpcLink {
  const view: VpcLink = { id: link.id, name: link.name };
  if (link.description !== undefined) view.description = link.description;
  view.targetArns = [...link.targetArns];
  view.status = 'AVAILABLE';
  view.statusMessage = VPC_LINK_READY;
  if (options.tagsAlways || Object.keys(link.tags).length) view.tags = { ...link.tags };
  return view;
}

/** AWS's checks of CreateVpcLink's target ARNs: exactly one, well formed. */
export function checkTargetArns(arns: string[]): void {
  if (arns.length === 0) throw noTargetArns();
  if (arns.length > 1) throw tooManyTargetArns();
  if (!ARN.test(arns[0])) throw malformedArn(arns[0]);
}

/** The stores a link's calls use. */
export type VpcLinkDeps = Deps & { vpcLinks: VpcLinkStore };

async function requireVpcLink(deps: VpcLinkDeps, ctx: RequestContext, id: string): Promise<VpcLinkRecord> {
  const link = await deps.vpcLinks.getVpcLink(scopeOf(ctx), 'rest', id);
  if (!link) throw vpcLinkNotFound();
  return link;
}

/**
 * A private integration must name an existing link; a stage variable reference is resolved at
 * request time instead (AWS keeps it as given). Without a link store there is nothing to check.
 */
export async function checkVpcLinkReference(deps: Deps, ctx: RequestContext, integration: Integration): Promise<void> {
  if (integration.connectionType !== 'VPC_LINK' || !deps.vpcLinks || !integration.connectionId) return;
  if (STAGE_VARIABLE_REFERENCE.test(integration.connectionId)) return;
  if (!(await deps.vpcLinks.getVpcLink(scopeOf(ctx), 'rest', integration.connectionId))) throw unknownVpcLinkReference(integration.connectionId);
}

/** Where deployed stages use the link, as AWS lists them: "{restApiId}:{httpMethod}:{resourceId}:{stageName}". */
async function deployedReferences(deps: Deps, ctx: RequestContext, linkId: string): Promise<string[]> {
  const references: string[] = [];
  for (const api of await deps.store.listRestApis(scopeOf(ctx))) {
    for (const stage of await deps.store.listStages(api.id)) {
      const deployment = await deps.store.getDeployment(api.id, stage.deploymentId);
      for (const resource of deployment?.snapshot.resources ?? []) {
        for (const method of Object.values(resource.resourceMethods)) {
          const integration = method.methodIntegration;
          if (integration?.connectionType !== 'VPC_LINK' || !integration.connectionId) continue;
          if (substituteStageVariables(integration.connectionId, stage.variables ?? null) === linkId) {
            references.push(`${api.id}:${method.httpMethod}:${resource.id}:${stage.stageName}`);
          }
        }
      }
    }
  }
  return references;
}

export function vpcLinkHandlers(deps: VpcLinkDeps): HandlerTable<Operations> {
  return {
    async CreateVpcLink(input, ctx) {
      if (!input.name) throw emptyVpcLinkName();
      checkTargetArns(input.targetArns);
      const link: VpcLinkRecord = {
        ...scopeOf(ctx), kind: 'rest', id: newShortId(6), name: input.name, targetArns: [...input.targetArns], subnetIds: [], securityGroupIds: [],
        tags: { ...input.tags }, createdDate: deps.now(),
      };
      if (input.description !== undefined) link.description = input.description;
      while (!(await deps.vpcLinks.createVpcLink(link))) link.id = newShortId(6);
      return vpcLinkView(link);
    },

    async GetVpcLink(input, ctx) {
      return vpcLinkView(await requireVpcLink(deps, ctx, input.vpcLinkId), { tagsAlways: true });
    },

    async GetVpcLinks(input, ctx) {
      return listPage(await deps.vpcLinks.listVpcLinks(scopeOf(ctx), 'rest'), input, (l) => vpcLinkView(l));
    },

    async UpdateVpcLink(input, ctx) {
      const link = structuredClone(await requireVpcLink(deps, ctx, input.vpcLinkId));
      for (const op of input.patchOperations ?? []) {
        if (op.path === '/targetArns' || op.path?.startsWith('/targetArns/')) throw targetArnsFixed();
        if (op.path !== '/name' && op.path !== '/description') throw invalidPatchPath(op.path);
        if (op.op !== 'replace') throw onlyReplace();
        if (op.path === '/name') {
          if (!op.value) throw emptyVpcLinkName();
          link.name = op.value;
        } else if (op.value === undefined || op.value === '') {
          delete link.description;
        } else {
          link.description = op.value;
        }
      }
      if (!(await deps.vpcLinks.updateVpcLink(link))) throw vpcLinkNotFound();
      return vpcLinkView(link, { tagsAlways: true });
    },

    async DeleteVpcLink(input, ctx) {
      await requireVpcLink(deps, ctx, input.vpcLinkId);
      const references = await deployedReferences(deps, ctx, input.vpcLinkId);
      if (references.length) throw vpcLinkInUse(input.vpcLinkId, references, 'RESTApiId:Method:Resource:Stage');
      if (!(await deps.vpcLinks.deleteVpcLink(scopeOf(ctx), 'rest', input.vpcLinkId))) throw vpcLinkNotFound();
    },
  };
}
