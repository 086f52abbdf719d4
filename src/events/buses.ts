// Event bus operations: CreateEventBus, DescribeEventBus, ListEventBuses, DeleteEventBus. The
// `default` bus exists in every account and region without being created.
import type { HandlerTable } from '../aws/protocols/json-rpc.js';
import type { Operations } from '../aws/generated/events.js';
import { busExists, busNotFound, validation } from './errors.js';
import { busArn, busNameOf, DEFAULT_BUS, page, scopeOf, type EventsDeps } from './resources.js';

export function busHandlers(deps: EventsDeps): HandlerTable<Operations> {
  const { store } = deps;
  return {
    async CreateEventBus(input, ctx) {
      const scope = scopeOf(ctx);
      const arn = busArn(scope, input.Name);
      if (input.Name === DEFAULT_BUS) throw busExists(arn);
      if (input.EventSourceName !== undefined) throw validation('Partner event sources are not supported by Stagecraft.');
      const now = deps.now();
      const created = await store.createBus(scope, {
        name: input.Name, tags: input.Tags ?? [], createdMs: now, lastModifiedMs: now, ...(input.Description !== undefined ? { description: input.Description } : {}),
      });
      if (!created) throw busExists(arn);
      return { EventBusArn: arn, ...(input.Description !== undefined ? { Description: input.Description } : {}) };
    },

    async DescribeEventBus(input, ctx) {
      const scope = scopeOf(ctx);
      const name = busNameOf(input.Name);
      if (name === DEFAULT_BUS) return { Name: DEFAULT_BUS, Arn: busArn(scope, DEFAULT_BUS) };
      const bus = await store.getBus(scope, name);
      if (!bus) throw busNotFound(name);
      return {
        Name: name, Arn: busArn(scope, name), ...(bus.description !== undefined ? { Description: bus.description } : {}),
        CreationTime: new Date(bus.createdMs), LastModifiedTime: new Date(bus.lastModifiedMs),
      };
    },

    async ListEventBuses(input, ctx) {
      const scope = scopeOf(ctx);
      const created = (await store.listBuses(scope)).filter((b) => b.name !== DEFAULT_BUS);
      const all = [{ name: DEFAULT_BUS, createdMs: undefined as number | undefined, lastModifiedMs: undefined as number | undefined, description: undefined as string | undefined }, ...created]
        .filter((b) => !input.NamePrefix || b.name.startsWith(input.NamePrefix))
        .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
      const { items, next } = page(all, (b) => b.name, input.Limit, input.NextToken);
      return {
        EventBuses: items.map((b) => ({
          Name: b.name, Arn: busArn(scope, b.name), ...(b.description !== undefined ? { Description: b.description } : {}),
          ...(b.createdMs !== undefined ? { CreationTime: new Date(b.createdMs), LastModifiedTime: new Date(b.lastModifiedMs!) } : {}),
        })),
        ...(next ? { NextToken: next } : {}),
      };
    },

    async DeleteEventBus(input, ctx) {
      if (input.Name === DEFAULT_BUS) throw validation('Cannot delete event bus default.');
      await store.deleteBus(scopeOf(ctx), input.Name);
    },
  };
}
