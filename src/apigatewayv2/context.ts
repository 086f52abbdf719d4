// What every HTTP API handler needs: the store, the per-API write lock, a clock, the lookups that
// turn ids into records or AWS's NotFound answers, and paging.
import type { RequestContext } from '../aws/request-context.js';
import type { KeyedLock } from '../apigateway/locks.js';
import { apiNotFound, badRequest, notFound } from '../apigateway/errors.js';
import type { HttpApiItemKind, HttpApiItems, HttpApiRecord, HttpApiStore } from '../store/httpapi-store.js';
import type { VpcLinkStore } from '../store/vpc-link-store.js';

export interface Deps {
  store: HttpApiStore;
  /** VPC links (without it, the VPC link calls are not served and private integrations' links are not checked). */
  vpcLinks?: VpcLinkStore;
  locks: KeyedLock;
  /** Epoch milliseconds. */
  now(): number;
}

/** AWS's words for a missing record of each kind ("Invalid Route identifier specified abc123"). */
const NAMES: Record<HttpApiItemKind, string> = { route: 'Route', integration: 'Integration', stage: 'Stage', deployment: 'Deployment', authorizer: 'Authorizer', routeResponse: 'RouteResponse', integrationResponse: 'IntegrationResponse', model: 'Model' };
export const itemNotFound = (kind: HttpApiItemKind, id: string) => notFound(`Invalid ${NAMES[kind]} identifier specified ${id}`);

/** Runs a read-check-write sequence on one API without interleaving with other writes to it (locks are shared with REST APIs: ids never collide). */
export const withApiLock = <T>(deps: Deps, apiId: string, fn: () => Promise<T>): Promise<T> => deps.locks.run(`v2:${apiId}`, fn);

export async function requireApi(deps: Deps, ctx: RequestContext, apiId: string): Promise<HttpApiRecord> {
  const api = await deps.store.getApi({ accountId: ctx.accountId, region: ctx.region }, apiId);
  if (!api) throw apiNotFound(ctx.accountId, apiId);
  return api;
}

export async function requireItem<K extends HttpApiItemKind>(deps: Deps, ctx: RequestContext, apiId: string, kind: K, id: string): Promise<HttpApiItems[K]> {
  await requireApi(deps, ctx, apiId);
  const item = await deps.store.getItem(apiId, kind, id);
  if (!item) throw itemNotFound(kind, id);
  return item;
}

/**
 * One page of a Get…s answer: `maxResults` items from the offset `nextToken` names. A token this
 * server did not hand out is refused, not read as the first page (Stagecraft's wording).
 */
export function page<T, V>(items: T[], input: { MaxResults?: string; NextToken?: string }, view: (item: T) => V): { Items: V[]; NextToken?: string } {
  const size = input.MaxResults && /^\d+$/.test(input.MaxResults) ? Math.max(Number(input.MaxResults), 1) : items.length || 1;
  if (input.NextToken && !/^\d+$/.test(input.NextToken)) throw badRequest(`Invalid NextToken: ${input.NextToken}`);
  const start = input.NextToken ? Number(input.NextToken) : 0;
  const end = start + size;
  return { Items: items.slice(start, end).map(view), ...(end < items.length ? { NextToken: String(end) } : {}) };
}
