// The Lambda service on the edge port: AWS's REST-JSON API (operation table from the model),
// plus the download URL GetFunction hands out for code.
import { invokeWithResponseStream } from './invoke-with-response-stream.js';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createReadStream, statSync } from 'node:fs';
import { loadModel } from '../aws/model.js';
import { withCurrentPatterns } from './current-patterns.js';
import { RestJsonService, type HandlerTable, type OperationHandler } from '../aws/protocols/rest-json.js';
import type { Operations } from '../aws/generated/lambda.js';
import { awsError } from '../core/errors.js';
import type { ServiceModule } from '../server/service-module.js';
import type { FrontHandler } from '../server/edge.js';
import type { LambdaDeps } from './deps.js';
import { functionHandlers } from './functions.js';
import { versionHandlers } from './versions.js';
import { aliasHandlers } from './aliases.js';
import { permissionHandlers } from './permissions.js';
import { concurrencyHandlers } from './concurrency.js';
import { tagHandlers, withTagConstraints } from './tags.js';
import { eventInvokeConfigHandlers } from './event-invoke-config.js';
import { functionUrlHandlers, withFunctionUrlConstraints } from './function-urls.js';
import { layerHandlers, SELF_VALIDATING_LAYER_OPERATIONS, withLayerConstraints } from './layers.js';
import { Invoker, SYNC_PAYLOAD_LIMIT, type InvokeOutcome } from './invoke.js';
import { AsyncQueue } from './async-queue.js';
import { Provisioning } from './provisioning.js';
import { provisionedConcurrencyHandlers } from './provisioned-concurrency.js';
import { resolveRef } from './names.js';
import { codeSigningHandlers } from './code-signing.js';
import { functionSettingsHandlers, withFunctionSettingsConstraints } from './function-settings.js';
import { eventSourceMappingHandlers } from './event-source-mappings/handlers.js';
import { MappingPollers } from './event-source-mappings/pollers.js';
import { mappingTags } from './event-source-mappings/tags.js';

const CODE_UPLOAD_LIMIT = 70_167_211;
const DEFAULT_BODY_LIMIT = SYNC_PAYLOAD_LIMIT;

export interface LambdaModule {
  service: ServiceModule;
  codeDownloads: FrontHandler;
  invoker: Invoker;
  /** Runs Event invocations; start() it once environments can run, close() it before they stop. */
  asyncQueue: AsyncQueue;
  /** Keeps provisioned environments as the settings say; reconcile() once at start. */
  provisioning: Provisioning;
  /** Polls the queues of enabled event source mappings; start() it with the async queue, close() it before. */
  eventSourceMappings?: MappingPollers;
}

export function createLambdaModule(deps: LambdaDeps): LambdaModule {
  const asyncQueue: AsyncQueue = new AsyncQueue({
    store: deps.asyncEvents,
    lambda: deps.store,
    workers: deps.config.asyncWorkers,
    retryDelaysMs: deps.config.asyncRetryDelaysMs,
    pollMs: deps.asyncPollMs,
    run: (event): Promise<InvokeOutcome> => invoker.runQueued(event),
    metrics: deps.cloudWatch?.async,
    // The version that ran; for an event that never ran, its qualifier when that is a version (an alias's: $LATEST's, Stagecraft's choice).
    deadLetterTarget: async (event, executedVersion) => {
      const version = executedVersion ?? (/^\d+$/.test(event.qualifier ?? '') ? event.qualifier : undefined);
      const config = version && version !== '$LATEST' ? await deps.cache.getVersion(event, version) : (await deps.cache.getFunction(event))?.latest;
      return config?.DeadLetterConfig?.TargetArn;
    },
  });
  const invoker: Invoker = new Invoker(deps, asyncQueue);
  const provisioning = new Provisioning(deps);
  const { mappings } = deps;
  const pollers = mappings && new MappingPollers({ store: mappings.store, queues: mappings.queues, invoker: { invoke: (input) => invoker.invoke(input) }, cache: deps.cache, feed: mappings.feed });
  const handlers: HandlerTable<Operations> = {
    ...functionHandlers(deps),
    ...versionHandlers(deps),
    ...aliasHandlers(deps),
    ...permissionHandlers(deps),
    ...concurrencyHandlers(deps),
    ...tagHandlers(deps, mappings && mappingTags(mappings.store)),
    ...(mappings && pollers ? eventSourceMappingHandlers({ lambda: deps, store: mappings.store, queues: mappings.queues, changed: () => pollers.changed() }) : {}),
    ...eventInvokeConfigHandlers(deps),
    ...provisionedConcurrencyHandlers(deps, provisioning),
    ...functionUrlHandlers(deps),
    ...layerHandlers(deps),
    ...functionSettingsHandlers(deps),
    ...codeSigningHandlers(deps),
    async Invoke(input, ctx) {
      const outcome = await invoker.invoke({
        ref: resolveRef(ctx, input.FunctionName, input.Qualifier),
        payload: input.Payload ?? Buffer.alloc(0),
        invocationType: input.InvocationType,
        logType: input.LogType,
        clientContext: input.ClientContext,
        requestId: ctx.requestId,
      });
      return {
        StatusCode: outcome.statusCode,
        ExecutedVersion: outcome.executedVersion,
        FunctionError: outcome.functionError,
        LogResult: outcome.logResult,
        Payload: outcome.payload,
      };
    },
    // AWS's deprecated form of an Event invocation (`POST /2014-11-13/functions/{name}/invoke-async/`):
    // queued exactly as Invoke with InvocationType Event, answered `202 {"Status":202}`.
    async InvokeAsync(input, ctx) {
      const outcome = await invoker.invoke({
        ref: resolveRef(ctx, input.FunctionName, undefined),
        payload: input.InvokeArgs ?? Buffer.alloc(0),
        invocationType: 'Event',
        requestId: ctx.requestId,
      });
      return { Status: outcome.statusCode };
    },
    async InvokeWithResponseStream(input, ctx) {
      const output = await invokeWithResponseStream(invoker, {
        ref: resolveRef(ctx, input.FunctionName, input.Qualifier),
        payload: input.Payload ?? Buffer.alloc(0),
        invocationType: input.InvocationType === 'DryRun' ? 'DryRun' : 'RequestResponse',
        logType: input.LogType,
        clientContext: input.ClientContext,
        requestId: ctx.requestId,
      });
      return output as never;
    },
  };
  const model = withTagConstraints(withCurrentPatterns(withFunctionSettingsConstraints(withFunctionUrlConstraints(withLayerConstraints(loadModel('lambda-2015-03-31'))))));
  const codeUploads = new Set(['CreateFunction', 'UpdateFunctionCode', 'PublishLayerVersion']);
  const api = new RestJsonService(model, handlers as Record<string, OperationHandler>, {
    service: 'lambda',
    maxBody: (op) => (codeUploads.has(op) ? CODE_UPLOAD_LIMIT : DEFAULT_BODY_LIMIT),
    tooLarge: (op, limit) => awsError('RequestEntityTooLargeException', `Request must be smaller than ${limit} bytes for the ${op === 'Invoke' ? 'InvokeFunction' : op} operation`),
    malformedBody: (detail) => awsError('InvalidRequestContentException', `Could not parse request body into json: ${detail}`),
    invalid: (message) => awsError('ValidationException', message),
    skipEnumFor: new Set(['Runtime']),
    skipValidation: SELF_VALIDATING_LAYER_OPERATIONS,
  });

  const service: ServiceModule = {
    signingNames: ['lambda'],
    claims: (_req, url) => /^\/20\d\d-\d\d-\d\d\//.test(url.pathname) && api.knowsPath(url.pathname),
    handle: (req, res, url, ctx) => api.handle(req, res, url, ctx),
  };

  const codeDownloads: FrontHandler = {
    claims: (_req, url) => url.pathname.startsWith('/_stagecraft/code/'),
    async handle(req: IncomingMessage, res: ServerResponse, url: URL) {
      req.resume();
      const m = /^\/_stagecraft\/code\/([0-9a-f]{64})\.zip$/.exec(url.pathname);
      const path = m ? await deps.blobs.localZip(m[1]) : undefined;
      if (!path) {
        res.writeHead(404, { 'Content-Type': 'application/xml' }).end('<Error><Code>NoSuchKey</Code><Message>The specified key does not exist.</Message></Error>');
        return;
      }
      res.writeHead(200, { 'Content-Type': 'application/zip', 'Content-Length': statSync(path).size });
      createReadStream(path).pipe(res);
    },
  };

  return { service, codeDownloads, invoker, asyncQueue, provisioning, ...(pollers ? { eventSourceMappings: pollers } : {}) };
}
