// What every API Gateway handler needs: the store, the per-API write lock, a clock, and the
// lookups that turn ids into records or AWS's NotFound answers.
import type { RequestContext } from '../../aws/request-context.js';
import type { AwsError } from '../../core/errors.js';
import type { ApiGatewayStore, ApiScope, MethodRecord, ResourceRecord, RestApiRecord } from '../../store/apigateway-store.js';
import type { DocumentationStore } from '../../store/apigateway-documentation-store.js';
import type { VpcLinkStore } from '../../store/vpc-link-store.js';
import type { ClientCertificateStore } from '../../store/client-certificate-store.js';
import type { KeyedLock } from '../locks.js';
import type { TestInvoker } from '../../execute-api/test-invoke.js';
import type { AuthorizerTestInvoker } from '../../execute-api/test-invoke-authorizer.js';
import type { UsageCounts } from '../usage-counts.js';
import { apiNotFound, badRequest, methodNotFound, resourceNotFound } from '../errors.js';

export interface Deps {
  store: ApiGatewayStore;
  /** Documentation parts and versions of the REST APIs. */
  documentation: DocumentationStore;
  /** VPC links (without it, the VPC link calls are not served and private integrations' links are not checked). */
  vpcLinks?: VpcLinkStore;
  /** Client certificates (without it, their calls are not served and stages' certificates are not checked). */
  clientCertificates?: ClientCertificateStore;
  locks: KeyedLock;
  /** Epoch milliseconds. */
  now(): number;
  /** TestInvokeMethod's runner (the execute-api chain), when the data plane is wired in. */
  testInvoke?: TestInvoker;
  /** TestInvokeAuthorizer's runner, when the data plane is wired in. */
  testInvokeAuthorizer?: AuthorizerTestInvoker;
  /** Quota counts of API keys (GetUsage, UpdateUsage). */
  usage?: UsageCounts;
  /** Drops a stage's cached authorizer results (FlushStageAuthorizersCache), when the data plane is wired in. */
  flushAuthorizerCache?: (apiId: string, stageName: string) => void | Promise<void>;
  /** Empties a stage's cache of method responses (FlushStageCache), when the data plane is wired in. */
  flushStageCache?: (apiId: string, stageName: string) => void | Promise<void>;
  /** WebSocket APIs (API Gateway v2): usage plans may list their stages; custom domains map them only apart from REST APIs. */
  webSockets?: WebSocketApiLookup;
}

export interface WebSocketApiLookup {
  isApi(scope: ApiScope, apiId: string): Promise<boolean>;
  hasStage(scope: ApiScope, apiId: string, stageName: string): Promise<boolean>;
}

export const scopeOf = (ctx: RequestContext): ApiScope => ({ accountId: ctx.accountId, region: ctx.region });

/** Runs a read-check-write sequence on one API without interleaving with other writes to it. */
export const withApiLock = <T>(deps: Deps, apiId: string, fn: () => Promise<T>): Promise<T> => deps.locks.run(apiId, fn);

/** The API, or AWS's "Invalid API identifier specified <account>:<id>" (or the given error). */
export async function requireApi(deps: Deps, ctx: RequestContext, apiId: string, missing?: () => AwsError): Promise<RestApiRecord> {
  const api = await deps.store.getRestApi(scopeOf(ctx), apiId);
  if (!api) throw missing ? missing() : apiNotFound(ctx.accountId, apiId);
  return api;
}

/** The API and one of its resources; AWS answers "Invalid Resource identifier specified" for either missing. */
export async function requireResource(deps: Deps, ctx: RequestContext, apiId: string, resourceId: string): Promise<{ api: RestApiRecord; resource: ResourceRecord }> {
  const api = await requireApi(deps, ctx, apiId, resourceNotFound);
  const resource = await deps.store.getResource(apiId, resourceId);
  if (!resource) throw resourceNotFound();
  return { api, resource };
}

export async function requireMethod(deps: Deps, ctx: RequestContext, apiId: string, resourceId: string, httpMethod: string, missing = methodNotFound):
  Promise<{ api: RestApiRecord; resource: ResourceRecord; method: MethodRecord }> {
  const { api, resource } = await requireResource(deps, ctx, apiId, resourceId);
  const method = await deps.store.getMethod(apiId, resourceId, httpMethod);
  if (!method) throw missing();
  return { api, resource, method };
}

/** Every method of the API with where AWS's messages say it is ("{path}/{httpMethod}", "//GET" at the root), sorted by that. */
export async function locatedMethods(deps: Deps, apiId: string): Promise<{ where: string; method: MethodRecord }[]> {
  const [methods, resources] = await Promise.all([deps.store.listMethods(apiId), deps.store.listResources(apiId)]);
  const paths = new Map(resources.map((r) => [r.id, r.path]));
  return methods
    .map(({ resourceId, method }) => ({ where: `${paths.get(resourceId) ?? ''}/${method.httpMethod}`, method }))
    .sort((a, b) => (a.where < b.where ? -1 : a.where > b.where ? 1 : 0));
}

/**
 * Offset paging as API Gateway's `position`/`limit` (default 25, at most 500). A position this
 * server did not hand out is refused rather than read as the first page, which would make a
 * client that resumes from it see items twice (Stagecraft's wording: AWS records none).
 */
export function paginate<T>(items: T[], position: string | undefined, limit: number | undefined): { items: T[]; position?: string } {
  const size = Math.min(Math.max(limit ?? 25, 1), 500);
  if (position && !/^\d+$/.test(position)) throw badRequest(`Invalid position: ${position}`);
  const start = position ? Number(position) : 0;
  const page = items.slice(start, start + size);
  return start + size < items.length ? { items: page, position: String(start + size) } : { items: page };
}

/** A Get…s answer: one page of `items` as `view` renders them, with the next position when there is more. */
export function listPage<T, V>(items: T[], input: { position?: string; limit?: number }, view: (item: T) => V): { items: V[]; position?: string } {
  const page = paginate(items, input.position, input.limit);
  return { items: page.items.map(view), ...(page.position ? { position: page.position } : {}) };
}
