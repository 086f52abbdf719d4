// The EventBridge service module: the JSON 1.1 API on the edge port (signing name `events`,
// `X-Amz-Target: AWSEvents.*`), the dispatcher that routes events to targets, the scheduler of
// scheduled rules, and the two doors other modules use: `publisher` (put events from another
// service) and `targets` (register how a kind of target, SQS or SNS, is delivered to).
import type { IncomingMessage } from 'node:http';
import { randomUUID } from 'node:crypto';
import type { ServiceModule } from '../server/service-module.js';
import type { EventsStore } from '../store/events-store.js';
import { loadModel } from '../aws/model.js';
import { JsonRpcService, type OperationHandler } from '../aws/protocols/json-rpc.js';
import { awsError } from '../core/errors.js';
import { validation } from './errors.js';
import { DeliveryTargets } from './delivery-targets.js';
import { EventDispatcher } from './dispatch.js';
import { TargetRetries } from './target-retries.js';
import { busHandlers } from './buses.js';
import { ruleHandlers } from './rules.js';
import { targetHandlers } from './targets.js';
import { tagHandlers } from './tags.js';
import { publisher, putEventsHandlers, type EventsPublisher } from './put-events.js';
import { EventScheduler, scheduleClock, type ScheduleClockSettings } from './scheduler.js';
import type { EventsDeps } from './resources.js';

export interface EventsModule {
  service: ServiceModule;
  /** Puts events on buses from other services. */
  publisher: EventsPublisher;
  /** Where target kinds register their delivery (`targets.register('sqs', …)`). */
  targets: DeliveryTargets;
  /** Starts the scheduler and the target retries (once the target kinds are registered). */
  start(): void;
  close(): Promise<void>;
}

/** PutEvents takes up to 256 KB of entries; JSON adds escaping and field names. */
const MAX_BODY = 1024 * 1024;

export interface EventsOptions {
  now?: () => number;
  /** `--events-clock`: schedules, retry backoff and event age run `scale` times faster (tests). */
  clock?: ScheduleClockSettings;
  /** The scheduler's poll. */
  pollMs?: number;
  /** This node, for claiming target retries (default: one of its own). */
  nodeId?: string;
  /** In a cluster: how often to look for target retries other nodes queued or let go. */
  retryPollMs?: number;
}

export function createEventsModule(store: EventsStore, options: EventsOptions = {}): EventsModule {
  const now = options.now ?? Date.now;
  const targets = new DeliveryTargets();
  const retries = new TargetRetries(store, targets, { nodeId: options.nodeId ?? `events-${randomUUID()}`, pollMs: options.retryPollMs, scale: options.clock?.scale });
  const dispatcher = new EventDispatcher(store, retries);
  const clock = scheduleClock(options.clock, now);
  const deps: EventsDeps = { store, dispatcher, now, scheduleClock: clock };
  const handlers = {
    ...busHandlers(deps), ...ruleHandlers(deps), ...targetHandlers(deps), ...tagHandlers(deps), ...putEventsHandlers(deps),
  } as Record<string, OperationHandler>;
  const api = new JsonRpcService(loadModel('events-2015-10-07'), handlers, {
    service: 'events',
    maxBody: MAX_BODY,
    tooLarge: (limit) => awsError('RequestEntityTooLargeException', `Request must be smaller than ${limit} bytes.`),
    invalid: (message) => validation(message),
  });
  // A scaled test clock polls often enough to see each (shortened) minute.
  const pollMs = options.pollMs ?? (options.clock ? Math.max(50, Math.floor(5_000 / options.clock.scale)) : undefined);
  const scheduler = new EventScheduler(store, dispatcher, clock, pollMs);
  return {
    service: {
      signingNames: ['events'],
      authErrorStyle: 'json-rpc',
      claims: (req: IncomingMessage) => api.claims(req),
      handle: (req, res, url, ctx) => api.handle(req, res, url, ctx),
    },
    publisher: publisher(deps),
    targets,
    start: () => {
      retries.start();
      scheduler.start();
    },
    close: async () => {
      await scheduler.close();
      await retries.close();
    },
  };
}
