// The API Gateway control plane as a ServiceModule: AWS's REST-JSON API for REST APIs, resources,
// methods, integrations, models, request validators, deployments, stages, API keys and usage plans, custom domain names, documentation parts and versions, VPC links, client certificates, OpenAPI import and export, driven by AWS's service model. It also builds the
// StageRuntime that the execute-api data plane reads stages and deployments through.
import type { IncomingMessage } from 'node:http';
import { loadModel } from '../aws/model.js';
import { RestJsonService, type OperationHandler } from '../aws/protocols/rest-json.js';
import { awsError } from '../core/errors.js';
import type { ServiceModule } from '../server/service-module.js';
import type { ApiGatewayStore } from '../store/apigateway-store.js';
import type { DocumentationStore } from '../store/apigateway-documentation-store.js';
import { KeyedMutex, type KeyedLock } from './locks.js';
import { StageRuntime } from './stage-runtime.js';
import { validateRequest, validationMessage } from './validation.js';
import { serializationError } from './errors.js';
import { checkPatchCount } from './patch.js';
import type { Deps } from './handlers/context.js';
import { restApiHandlers } from './handlers/rest-apis.js';
import { resourceHandlers } from './handlers/resources.js';
import { methodHandlers } from './handlers/methods.js';
import { integrationHandlers } from './handlers/integrations.js';
import { deploymentHandlers } from './handlers/deployments.js';
import { stageHandlers } from './handlers/stages.js';
import { miscHandlers } from './handlers/misc.js';
import { authorizerHandlers } from './handlers/authorizers.js';
import { apiKeyHandlers } from './handlers/api-keys.js';
import { usagePlanHandlers } from './handlers/usage-plans.js';
import { UsageCounts } from './usage-counts.js';
import { usageHandlers } from './handlers/usage.js';
import { importApiKeyHandlers } from './handlers/import-api-keys.js';
import { gatewayResponseHandlers } from './handlers/gateway-responses.js';
import { modelHandlers } from './handlers/models.js';
import { requestValidatorHandlers } from './handlers/request-validators.js';
import { importHandlers } from './handlers/import.js';
import { exportHandlers } from './handlers/export.js';
import { ApiKeyRuntime } from './api-key-runtime.js';
import { domainNameHandlers } from './handlers/domain-names.js';
import { documentationPartHandlers } from './handlers/documentation-parts.js';
import { documentationVersionHandlers } from './handlers/documentation-versions.js';
import { vpcLinkHandlers } from './handlers/vpc-links.js';
import type { VpcLinkStore } from '../store/vpc-link-store.js';
import { clientCertificateHandlers } from './handlers/client-certificates.js';
import type { ClientCertificateStore } from '../store/client-certificate-store.js';

/** Control-plane request bodies above this are refused (AWS caps API definitions at 6 MB). */
export const MAX_CONTROL_PLANE_BODY = 6 * 1024 * 1024;

/** First path segments of the API Gateway control-plane API (requests without a SigV4 scope). */
const CONTROL_PLANE_ROOTS = new Set([
  'restapis', 'apikeys', 'usageplans', 'domainnames', 'account', 'clientcertificates', 'vpclinks', 'sdktypes', 'tags',
  'domainnameaccessassociations', 'rejectdomainnameaccessassociations',
]);

export interface ApiGateway {
  service: ServiceModule;
  /** The data plane's read API: APIs by id, stages with their frozen deployments. */
  stages: StageRuntime;
  /** The data plane's API-key check (methods with apiKeyRequired). */
  apiKeys: ApiKeyRuntime;
  /** Quota counts of API keys (the data plane counts, GetUsage and UpdateUsage read and adjust). */
  usage: UsageCounts;
  /** Stops the caches and writes the quota counts not yet stored. */
  close(): Promise<void>;
}

export interface ApiGatewayOptions {
  store: ApiGatewayStore;
  documentation: DocumentationStore;
  /** VPC links; without it, the VPC link calls are not served. */
  vpcLinks?: VpcLinkStore;
  /** Client certificates; without it, the client certificate calls are not served. */
  clientCertificates?: ClientCertificateStore;
  /** The per-API write lock (default: this process's; a cluster passes one every node shares). */
  locks?: KeyedLock;
  now?: () => number;
  /** What the execute-api data plane lends the control plane (test invokes, the authorizer cache). */
  dataPlane?: Pick<Deps, 'testInvoke' | 'testInvokeAuthorizer' | 'flushAuthorizerCache' | 'flushStageCache'>;
  /** WebSocket APIs, whose stages usage plans may list. */
  webSockets?: Deps['webSockets'];
}

export function createApiGateway(options: ApiGatewayOptions): ApiGateway {
  const model = loadModel('apigateway-2015-07-09');
  const usage = new UsageCounts(options.store);
  const deps: Deps = { store: options.store, documentation: options.documentation, vpcLinks: options.vpcLinks, clientCertificates: options.clientCertificates, locks: options.locks ?? new KeyedMutex(), now: options.now ?? Date.now, usage, webSockets: options.webSockets, ...options.dataPlane };
  const table: Record<string, OperationHandler | undefined> = {
    ...restApiHandlers(deps),
    ...resourceHandlers(deps),
    ...methodHandlers(deps),
    ...authorizerHandlers(deps),
    ...integrationHandlers(deps),
    ...deploymentHandlers(deps),
    ...stageHandlers(deps),
    ...miscHandlers(deps),
    ...apiKeyHandlers(deps),
    ...usagePlanHandlers(deps),
    ...usageHandlers(deps),
    ...importApiKeyHandlers(deps),
    ...gatewayResponseHandlers(deps),
    ...modelHandlers(deps),
    ...requestValidatorHandlers(deps),
    ...importHandlers(deps),
    ...exportHandlers(deps),
    ...domainNameHandlers(deps),
    ...documentationPartHandlers(deps),
    ...documentationVersionHandlers(deps),
    ...(deps.vpcLinks ? vpcLinkHandlers({ ...deps, vpcLinks: deps.vpcLinks }) : {}),
    ...(deps.clientCertificates ? clientCertificateHandlers({ ...deps, clientCertificates: deps.clientCertificates }) : {}),
  };

  // API Gateway validates requests against its model with its own phrasing (see validation.ts),
  // so the engine's generic validation is switched off and each handler validates first.
  const handlers: Record<string, OperationHandler> = {};
  for (const [name, handler] of Object.entries(table)) {
    if (!handler) continue;
    const inputShape = model.operations[name].input?.shape;
    handlers[name] = (input, ctx, raw) => {
      if (inputShape) {
        const violations = validateRequest(model, name, inputShape, input);
        if (violations.length) throw awsError('ValidationException', validationMessage(violations));
      }
      checkPatchCount(input);
      return handler(input, ctx, raw);
    };
  }

  const engine = new RestJsonService(model, handlers, {
    service: 'apigateway',
    maxBody: () => MAX_CONTROL_PLANE_BODY,
    tooLarge: (_operation, limit) => awsError('RequestEntityTooLargeException', `Request body is larger than the ${limit} bytes API Gateway accepts`),
    malformedBody: serializationError,
    invalid: (message) => awsError('ValidationException', message),
    skipValidation: new Set(Object.keys(model.operations)),
  });

  const stages = new StageRuntime(options.store, options.clientCertificates);
  const apiKeys = new ApiKeyRuntime(options.store);
  return {
    service: {
      signingNames: ['apigateway'],
      claims(_req: IncomingMessage, url: URL) {
        const [, root, , , marker] = url.pathname.split('/');
        // /restapis/{id}/{stage}/_user_request_/… is an API invocation, not a control-plane call.
        return CONTROL_PLANE_ROOTS.has(root) && marker !== '_user_request_';
      },
      handle: (req, res, url, ctx) => engine.handle(req, res, url, ctx),
    },
    stages,
    apiKeys,
    usage,
    close: async () => {
      stages.close();
      apiKeys.close();
      await usage.close();
    },
  };
}
