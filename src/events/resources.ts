// What the EventBridge operations share: their dependencies, the account/region scope of a
// request, ARNs, and how a request names its event bus (name or ARN; absent is `default`).
import type { RequestContext } from '../aws/request-context.js';
import type { EventsScope, EventsStore, StoredRule } from '../store/events-store.js';
import { busNotFound, ruleNotFound, validation } from './errors.js';
import type { EventDispatcher } from './dispatch.js';

export const DEFAULT_BUS = 'default';

export interface EventsDeps {
  store: EventsStore;
  dispatcher: EventDispatcher;
  now(): number;
  /** The scheduler's clock (the wall clock; in tests it may run faster, see scheduler.ts). */
  scheduleClock(): number;
}

export const scopeOf = (ctx: Pick<RequestContext, 'accountId' | 'region'>): EventsScope => ({ accountId: ctx.accountId, region: ctx.region });

export const busArn = (scope: EventsScope, name: string): string => `arn:aws:events:${scope.region}:${scope.accountId}:event-bus/${name}`;
/** A rule's ARN: rules of the default bus have none of the bus's name in it. */
export const ruleArn = (scope: EventsScope, busName: string, name: string): string =>
  `arn:aws:events:${scope.region}:${scope.accountId}:rule/${busName === DEFAULT_BUS ? '' : `${busName}/`}${name}`;

/** The bus name of an EventBusName member (a name or a bus ARN). */
export function busNameOf(nameOrArn: string | undefined): string {
  if (!nameOrArn) return DEFAULT_BUS;
  const m = /^arn:aws[a-z-]*:events:[a-z0-9-]+:\d{12}:event-bus\/(.+)$/.exec(nameOrArn);
  return m ? m[1] : nameOrArn;
}

/** The named bus, checked to exist (`default` always does). */
export async function existingBus(deps: EventsDeps, scope: EventsScope, nameOrArn: string | undefined): Promise<string> {
  const name = busNameOf(nameOrArn);
  if (name !== DEFAULT_BUS && !(await deps.store.getBus(scope, name))) throw busNotFound(name);
  return name;
}

export async function existingRule(deps: EventsDeps, scope: EventsScope, busNameOrArn: string | undefined, name: string): Promise<StoredRule> {
  const bus = await existingBus(deps, scope, busNameOrArn);
  const rule = await deps.store.getRule(scope, bus, name);
  if (!rule) throw ruleNotFound(name, bus);
  return rule;
}

/** A page of name-ordered items after NextToken (the last name given, opaque), with the next token. */
export function page<T>(items: T[], nameOf: (t: T) => string, limit: number | undefined, token: string | undefined): { items: T[]; next?: string } {
  let start = 0;
  if (token !== undefined) {
    const after = Buffer.from(token, 'base64url').toString('utf8');
    if (!token || Buffer.from(after, 'utf8').toString('base64url') !== token) throw validation('The nextToken is not valid.');
    start = items.findIndex((t) => nameOf(t) > after);
    if (start < 0) start = items.length;
  }
  const size = limit ?? 100;
  const slice = items.slice(start, start + size);
  const more = start + size < items.length;
  return { items: slice, ...(more ? { next: Buffer.from(nameOf(slice[slice.length - 1]), 'utf8').toString('base64url') } : {}) };
}
