// Tagging rules and event buses by ARN: TagResource, UntagResource, ListTagsForResource.
import type { HandlerTable } from '../aws/protocols/json-rpc.js';
import type { Operations } from '../aws/generated/events.js';
import type { EventsScope, Tag } from '../store/events-store.js';
import { busNotFound, resourceNotFound, ruleNotFound } from './errors.js';
import { DEFAULT_BUS, scopeOf, type EventsDeps } from './resources.js';

const RESOURCE_ARN = /^arn:aws[a-z-]*:events:([a-z0-9-]+):(\d{12}):(rule|event-bus)\/(.+)$/;

interface Tagged {
  tags: Tag[];
  save(tags: Tag[]): Promise<void>;
}

async function resource(deps: EventsDeps, ctxScope: EventsScope, arn: string): Promise<Tagged> {
  const m = RESOURCE_ARN.exec(arn);
  if (!m || m[1] !== ctxScope.region || m[2] !== ctxScope.accountId) throw resourceNotFound(`Resource ${arn} does not exist.`);
  const scope = ctxScope;
  if (m[3] === 'event-bus') {
    const name = m[4];
    let bus = await deps.store.getBus(scope, name);
    if (!bus && name === DEFAULT_BUS) {
      // The default bus is stored once it has tags.
      await deps.store.createBus(scope, { name, tags: [], createdMs: deps.now(), lastModifiedMs: deps.now() });
      bus = await deps.store.getBus(scope, name);
    }
    if (!bus) throw busNotFound(name);
    return { tags: bus.tags, save: (tags) => deps.store.updateBusTags(scope, name, tags) };
  }
  const path = m[4].split('/');
  const [busName, name] = path.length > 1 ? [path[0], path.slice(1).join('/')] : [DEFAULT_BUS, path[0]];
  const rule = await deps.store.getRule(scope, busName, name);
  if (!rule) throw ruleNotFound(name, busName);
  return { tags: rule.tags, save: (tags) => deps.store.putRule(scope, { ...rule, tags }) };
}

export function tagHandlers(deps: EventsDeps): HandlerTable<Operations> {
  return {
    async TagResource(input, ctx) {
      const r = await resource(deps, scopeOf(ctx), input.ResourceARN);
      const merged = new Map(r.tags.map((t) => [t.Key, t.Value]));
      for (const t of input.Tags) merged.set(t.Key, t.Value);
      await r.save([...merged].map(([Key, Value]) => ({ Key, Value })));
    },
    async UntagResource(input, ctx) {
      const r = await resource(deps, scopeOf(ctx), input.ResourceARN);
      await r.save(r.tags.filter((t) => !input.TagKeys.includes(t.Key)));
    },
    async ListTagsForResource(input, ctx) {
      const r = await resource(deps, scopeOf(ctx), input.ResourceARN);
      return { Tags: r.tags };
    },
  };
}
