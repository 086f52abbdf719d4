// Private integrations of HTTP APIs (ConnectionType VPC_LINK): an HTTP_PROXY integration through a
// VPC link. On AWS its URI names an ALB or NLB listener or a Cloud Map service by ARN; a
// self-hosted server has no VPC to resolve those in, so Stagecraft takes the http(s) URL it should
// call instead (the link must still exist, as on AWS).
import type { RequestContext } from '../aws/request-context.js';
import type { CreateIntegrationRequest } from '../aws/generated/apigatewayv2.js';
import type { IntegrationRecord } from '../store/httpapi-store.js';
import { badRequest, unknownVpcLinkReference } from '../apigateway/errors.js';
import type { Deps } from './context.js';

/** A connection id made of a stage variable reference is resolved per request, not checked here. */
const STAGE_VARIABLE_REFERENCE = /\$\{stageVariables\.[A-Za-z0-9_.-]+\}/;

type ConnectionInput = Pick<CreateIntegrationRequest, 'ConnectionType' | 'ConnectionId' | 'IntegrationUri' | 'TlsConfig'> & { IntegrationType?: CreateIntegrationRequest['IntegrationType'] };
export type Connection = Pick<IntegrationRecord, 'connectionType' | 'connectionId' | 'tlsConfig'>;

/** The connection fields `input` gives an integration (over `base`, its current state), checked for HTTP APIs. */
export function connectionOf(input: ConnectionInput, base: Partial<IntegrationRecord>): Connection {
  const connectionType = input.ConnectionType ?? base.connectionType ?? 'INTERNET';
  if (connectionType !== 'INTERNET' && connectionType !== 'VPC_LINK') {
    throw badRequest(`Invalid connection type ${String(connectionType)}. Valid options are INTERNET, VPC_LINK`);
  }
  const given = input.TlsConfig ? { serverNameToVerify: input.TlsConfig.ServerNameToVerify } : base.tlsConfig;
  const tlsConfig = given?.serverNameToVerify === undefined ? undefined : given;
  if (connectionType === 'INTERNET') {
    if (input.ConnectionId) throw badRequest('ConnectionId is only supported for integrations of connection type VPC_LINK');
    return tlsConfig ? { connectionType, tlsConfig } : { connectionType };
  }
  if ((input.IntegrationType ?? base.integrationType) !== 'HTTP_PROXY') throw badRequest('Connection type VPC_LINK is only supported for HTTP_PROXY integrations');
  const connectionId = input.ConnectionId ?? base.connectionId;
  if (!connectionId) throw badRequest('ConnectionId is required for integrations of connection type VPC_LINK');
  const uri = input.IntegrationUri ?? base.integrationUri ?? '';
  if (uri.startsWith('arn:')) {
    throw badRequest(`Stagecraft cannot resolve ${uri}: it has no VPC to find a load balancer listener or Cloud Map service in. `
      + 'Give the integration the http(s) URL the server should call instead (e.g. http://my-service.internal:8080).');
  }
  return tlsConfig ? { connectionType, connectionId, tlsConfig } : { connectionType, connectionId };
}

/** A private integration must name a VPC link of the account and region (checked when links are kept). */
export async function checkVpcLinkOf(deps: Deps, ctx: RequestContext, integration: IntegrationRecord): Promise<void> {
  const id = integration.connectionId;
  if (integration.connectionType !== 'VPC_LINK' || !id || !deps.vpcLinks || STAGE_VARIABLE_REFERENCE.test(id)) return;
  if (!(await deps.vpcLinks.getVpcLink({ accountId: ctx.accountId, region: ctx.region }, 'http', id))) {
    throw unknownVpcLinkReference(id);
  }
}
