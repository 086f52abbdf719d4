// The API Gateway v2 control plane (HTTP and WebSocket APIs) as a ServiceModule: AWS's REST-JSON API under
// /v2/apis for APIs (OpenAPI import and export included), routes, route responses, integrations and their responses, authorizers, stages and deployments, /v2/domainnames for custom domain names and API mappings, and /v2/vpclinks for VPC links, driven by AWS's service model.
// It signs as `apigateway`, like the REST API control plane; the edge tells them apart by path.
import type { IncomingMessage } from 'node:http';
import { loadModel } from '../aws/model.js';
import { RestJsonService, type OperationHandler } from '../aws/protocols/rest-json.js';
import { awsError } from '../core/errors.js';
import type { ServiceModule } from '../server/service-module.js';
import type { HttpApiStore } from '../store/httpapi-store.js';
import { KeyedMutex, type KeyedLock } from '../apigateway/locks.js';
import { MAX_CONTROL_PLANE_BODY } from '../apigateway/module.js';
import type { Deps } from './context.js';
import { apiHandlers } from './handlers/apis.js';
import { routeHandlers } from './handlers/routes.js';
import { routeResponseHandlers } from './handlers/route-responses.js';
import { modelHandlers } from './handlers/models.js';
import { integrationHandlers } from './handlers/integrations.js';
import { integrationResponseHandlers } from './handlers/integration-responses.js';
import { stageHandlers } from './handlers/stages.js';
import { deploymentHandlers } from './handlers/deployments.js';
import { authorizerHandlers } from './handlers/authorizers.js';
import { domainNameHandlers } from './handlers/domain-names.js';
import { tagHandlers } from './handlers/tags.js';
import { importExportHandlers } from './handlers/import-export.js';
import type { DomainStore } from '../apigateway/handlers/domain-names.js';
import type { VpcLinkStore } from '../store/vpc-link-store.js';
import { vpcLinkHandlers } from './handlers/vpc-links.js';

export interface HttpApiModuleOptions {
  store: HttpApiStore;
  /** The per-API write lock (default: this process's; a cluster passes one every node shares). */
  locks?: KeyedLock;
  now?: () => number;
  /** Where domain names and their mappings are kept (the REST API store: the two kinds of API share them); without it, the domain name calls are not served. */
  domains?: DomainStore;
  /** Where VPC links are kept; without it, the VPC link calls are not served. */
  vpcLinks?: VpcLinkStore;
}

export function createHttpApiModule(options: HttpApiModuleOptions): ServiceModule {
  const model = loadModel('apigatewayv2-2018-11-29');
  const deps: Deps = { store: options.store, vpcLinks: options.vpcLinks, locks: options.locks ?? new KeyedMutex(), now: options.now ?? Date.now };
  const handlers = {
    ...apiHandlers(deps), ...routeHandlers(deps), ...routeResponseHandlers(deps), ...integrationHandlers(deps), ...integrationResponseHandlers(deps), ...stageHandlers(deps), ...deploymentHandlers(deps), ...authorizerHandlers(deps), ...modelHandlers(deps),
    ...tagHandlers(deps), ...importExportHandlers(deps),
    ...(options.domains ? domainNameHandlers({ ...deps, domains: options.domains }) : {}),
    ...(options.vpcLinks ? vpcLinkHandlers({ ...deps, vpcLinks: options.vpcLinks }) : {}),
  } as Record<string, OperationHandler>;
  const engine = new RestJsonService(model, handlers, {
    service: 'apigatewayv2',
    maxBody: () => MAX_CONTROL_PLANE_BODY,
    tooLarge: (_operation, limit) => awsError('RequestEntityTooLargeException', `Request body is larger than the ${limit} bytes API Gateway accepts`),
    // ApiGatewayV2 answers malformed and invalid input alike with BadRequestException.
    malformedBody: (detail) => awsError('BadRequestException', detail),
    invalid: (message) => awsError('BadRequestException', message),
  });
  return {
    signingNames: ['apigateway'],
    claims: (_req: IncomingMessage, url: URL) => url.pathname.startsWith('/v2/'),
    handle: (req, res, url, ctx) => engine.handle(req, res, url, ctx),
  };
}
