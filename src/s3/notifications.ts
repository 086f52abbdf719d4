// Event notifications: a bucket's configurations checked against their destinations when put, and
// each object event sent to the configurations it matches once the operation has succeeded. The
// destinations are other services' (Lambda now; SQS and SNS plug in the same way through
// `deliverTo`): S3 only knows this small interface.
import type { RequestContext } from '../aws/request-context.js';
import { logger } from '../core/logger.js';
import type { S3Store } from '../store/s3-store.js';
import { s3Error } from './errors.js';
import type { DestinationKind, NotificationConfiguration } from './notification-configuration.js';
import { nextSequencer, s3EventMessage, targetMatches, type S3EventName, type S3EventOccurrence } from './notification-events.js';
import { eventBridgeEvent, testEventMessage, type S3EventBus } from './eventbridge-events.js';

/** The bucket sending: its ARN (the source a destination's policy names) and its owner's account. */
export interface NotificationSource {
  bucketArn: string;
  ownerAccountId: string;
}

/** What a destination answers PutBucketNotificationConfiguration's check. */
export type DestinationCheck = 'allowed' | 'missing' | 'refused';

/** A kind of destination (a Lambda function, an SQS queue, an SNS topic) as S3 sends to it. */
export interface NotificationDestination {
  /** Whether the destination exists and its policy lets S3 send from this source. */
  check(arn: string, source: NotificationSource): Promise<DestinationCheck>;
  /** Sends one event message; resolves once it is durably accepted (queued), rejects when refused. */
  deliver(arn: string, source: NotificationSource, message: Buffer): Promise<void>;
}

/** What S3 answers, per kind, for a destination it cannot use: InvalidArgument's ArgumentName and ArgumentValue. */
const REFUSALS: Record<DestinationKind, (arn: string, check: DestinationCheck) => [string, string]> = {
  // A missing function is "not authorized" too; the ", null" is S3's.
  lambda: (arn) => [`${arn}, null`, `Not authorized to invoke function [${arn}]`],
  queue: (arn, check) => [arn, check === 'missing' ? 'The destination queue does not exist' : 'Permissions on the destination queue do not allow S3 to publish notifications from this bucket'],
  topic: (arn, check) => [arn, check === 'missing' ? 'The destination topic does not exist' : 'Permissions on the destination topic do not allow S3 to publish notifications from this bucket'],
};

/** The object an event is about: created objects carry their size and ETag, tagged ones their ETag. */
export interface EventObject {
  key: string;
  size?: number;
  etag?: string;
}

export class S3Notifications {
  readonly #destinations: Partial<Record<DestinationKind, NotificationDestination>> = {};
  #bus: S3EventBus | undefined;

  constructor(private readonly store: S3Store) {}

  /** Events for configurations of this kind go to `destination` (until then they are stored, not sent). */
  deliverTo(kind: DestinationKind, destination: NotificationDestination): void {
    this.#destinations[kind] = destination;
  }

  /** Buckets with EventBridgeConfiguration send every object event to the default bus through `bus`. */
  sendEventsTo(bus: S3EventBus): void {
    this.#bus = bus;
  }

  /** Once a configuration is stored: S3's s3:TestEvent message to each queue and topic it names (functions get none). */
  async sendTestEvents(ctx: RequestContext, bucket: string, c: NotificationConfiguration): Promise<void> {
    const source = { bucketArn: `arn:aws:s3:::${bucket}`, ownerAccountId: ctx.accountId };
    const message = testEventMessage(bucket, ctx.requestId, Date.now());
    const arns = new Set(c.targets.filter((t) => t.kind !== 'lambda' && this.#destinations[t.kind]).map((t) => `${t.kind} ${t.arn}`));
    await Promise.all([...arns].map(async (kindArn) => {
      const [kind, arn] = kindArn.split(' ') as [DestinationKind, string];
      await this.#destinations[kind]!.deliver(arn, source, message).catch((e: unknown) =>
        logger.warn('S3 test event not delivered', { bucket, destination: arn, error: e instanceof Error ? e.message : String(e) }));
    }));
  }

  /** S3's destination check: every destination of a wired kind must exist and allow the bucket, else InvalidArgument naming each one refused. */
  async validate(bucket: string, ownerAccountId: string, c: NotificationConfiguration): Promise<void> {
    const source = { bucketArn: `arn:aws:s3:::${bucket}`, ownerAccountId };
    const refused: Record<string, string> = {};
    let n = 0;
    for (const t of c.targets) {
      const destination = this.#destinations[t.kind];
      const check = destination ? await destination.check(t.arn, source) : 'allowed';
      if (check === 'allowed') continue;
      n += 1;
      [refused[`ArgumentName${n}`], refused[`ArgumentValue${n}`]] = REFUSALS[t.kind](t.arn, check);
    }
    if (n) throw s3Error('InvalidArgument', refused, 'Unable to validate the following destination configurations');
  }

  /**
   * Sends the event on each object (DeleteObjects: several) to every matching configuration of the
   * bucket. Called after the operation succeeded and before the caller is answered (a delivered
   * event is queued durably); a failure is logged, never the request's.
   */
  async notify(ctx: RequestContext, bucket: string, eventName: S3EventName, ...objects: EventObject[]): Promise<void> {
    try {
      const configuration = await this.store.getBucketNotification(ctx.accountId, bucket);
      const targets = configuration?.targets.filter((t) => this.#destinations[t.kind]) ?? [];
      const bus = configuration?.eventBridge ? this.#bus : undefined;
      if (!targets.length && !bus) return;
      const region = (await this.store.getBucket(ctx.accountId, bucket))?.region ?? ctx.region;
      const source = { bucketArn: `arn:aws:s3:::${bucket}`, ownerAccountId: ctx.accountId };
      for (const object of objects) {
        const matching = targets.filter((t) => targetMatches(t, eventName, object.key));
        if (!matching.length && !bus) continue;
        const occurrence = {
          eventName, region, bucket, ownerAccountId: ctx.accountId, key: object.key, size: object.size, etag: object.etag,
          principalId: `AWS:${ctx.accountId}`, sourceIp: ctx.sourceIp, requestId: ctx.requestId, timeMs: Date.now(),
          sequencer: eventName.startsWith('s3:ObjectTagging:') ? undefined : nextSequencer(),
        };
        if (bus) await this.#putEvent(bus, occurrence);
        await Promise.all(matching.map(async (t) => {
          try {
            await this.#destinations[t.kind]!.deliver(t.arn, source, Buffer.from(JSON.stringify(s3EventMessage(occurrence, t.id))));
          } catch (e) {
            logger.warn('S3 event notification not delivered', { bucket, key: object.key, eventName, destination: t.arn, error: e instanceof Error ? e.message : String(e) });
          }
        }));
      }
    } catch (e) {
      logger.error('S3 event notifications failed', { bucket, eventName, error: e instanceof Error ? e.stack : String(e) });
    }
  }

  async #putEvent(bus: S3EventBus, o: S3EventOccurrence): Promise<void> {
    const { detailType, detail } = eventBridgeEvent(o);
    try {
      await bus.putEvent({ accountId: o.ownerAccountId, region: o.region }, { source: 'aws.s3', detailType, detail, resources: [`arn:aws:s3:::${o.bucket}`], timeMs: o.timeMs });
    } catch (e) {
      logger.warn('S3 event not sent to EventBridge', { bucket: o.bucket, key: o.key, error: e instanceof Error ? e.message : String(e) });
    }
  }
}
