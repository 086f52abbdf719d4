// A bucket's notification configuration (PutBucketNotificationConfiguration's document): parsed,
// checked as S3 checks it before looking at destinations (known event names, filter rules, no two
// configurations sharing an event type over overlapping keys), and written back as S3 answers it.
import { randomUUID } from 'node:crypto';
import type { NotificationDestinationKind as DestinationKind, S3NotificationConfiguration as NotificationConfiguration, S3NotificationTarget as NotificationTarget } from '../store/s3-store.js';
import { s3Error } from './errors.js';
import { elements, escapeXml, text, unescapeXml } from './xml.js';

/** The event names S3 accepts in a configuration (S3's Event enumeration). */
export const NOTIFICATION_EVENTS: ReadonlySet<string> = new Set([
  's3:ReducedRedundancyLostObject',
  's3:ObjectCreated:*', 's3:ObjectCreated:Put', 's3:ObjectCreated:Post', 's3:ObjectCreated:Copy', 's3:ObjectCreated:CompleteMultipartUpload',
  's3:ObjectRemoved:*', 's3:ObjectRemoved:Delete', 's3:ObjectRemoved:DeleteMarkerCreated',
  's3:ObjectRestore:*', 's3:ObjectRestore:Post', 's3:ObjectRestore:Completed', 's3:ObjectRestore:Delete',
  's3:Replication:*', 's3:Replication:OperationFailedReplication', 's3:Replication:OperationNotTracked',
  's3:Replication:OperationMissedThreshold', 's3:Replication:OperationReplicatedAfterThreshold',
  's3:LifecycleExpiration:*', 's3:LifecycleExpiration:Delete', 's3:LifecycleExpiration:DeleteMarkerCreated',
  's3:LifecycleTransition', 's3:IntelligentTiering', 's3:ObjectTagging:*', 's3:ObjectTagging:Put', 's3:ObjectTagging:Delete',
  's3:ObjectAcl:Put', 's3:ObjectRetention:Put', 's3:ObjectAnnotation:*', 's3:ObjectAnnotation:Put', 's3:ObjectAnnotation:Delete',
]);

/** Each kind's element and ARN element: S3's XML names (the SDKs' LambdaFunctionConfiguration is sent as CloudFunctionConfiguration). */
const ELEMENTS: Record<DestinationKind, { element: string; alternative?: string; arn: string; arnAlternative?: string }> = {
  topic: { element: 'TopicConfiguration', arn: 'Topic' },
  queue: { element: 'QueueConfiguration', arn: 'Queue' },
  lambda: { element: 'CloudFunctionConfiguration', alternative: 'LambdaFunctionConfiguration', arn: 'CloudFunction', arnAlternative: 'LambdaFunctionArn' },
};
const KINDS: DestinationKind[] = ['topic', 'queue', 'lambda'];

/** An ARN's shape: arn:partition:service:region:account:resource. */
const ARN = /^arn:[a-z-]+:[a-z0-9-]+:[a-z0-9-]*:\d*:.+$/;

/** S3's generated Id for a configuration without one. */
const generatedId = (): string => Buffer.from(randomUUID()).toString('base64').replace(/=+$/, '');

const invalid = (message: string, fields: Record<string, string> = {}) => s3Error('InvalidArgument', fields, message);

function parseFilter(block: string): { prefix?: string; suffix?: string } {
  const filter: { prefix?: string; suffix?: string } = {};
  const filterXml = elements(block, 'Filter')[0];
  if (filterXml === undefined) return filter;
  for (const rule of elements(filterXml, 'FilterRule')) {
    const name = (text(rule, 'Name') ?? '').toLowerCase();
    const value = text(rule, 'Value') ?? '';
    if (name !== 'prefix' && name !== 'suffix') throw invalid('filter rule name must be either prefix or suffix', { ArgumentName: 'FilterRule.Name', ArgumentValue: text(rule, 'Name') ?? '' });
    if (filter[name] !== undefined) throw invalid(`Cannot specify more than one ${name} rule in a filter.`, { ArgumentName: 'FilterRule', ArgumentValue: name });
    filter[name] = value;
  }
  return filter;
}

/** The document's configurations, events and filters checked (destinations are checked by the caller). */
export function parseNotificationConfiguration(xml: string): NotificationConfiguration {
  const targets: NotificationTarget[] = [];
  for (const kind of KINDS) {
    const spec = ELEMENTS[kind];
    const blocks = [...elements(xml, spec.element), ...(spec.alternative ? elements(xml, spec.alternative) : [])];
    for (const block of blocks) {
      const arn = text(block, spec.arn) ?? (spec.arnAlternative ? text(block, spec.arnAlternative) : undefined);
      if (!arn) throw s3Error('MalformedXML');
      // Refused even when destination validation is skipped.
      if (!ARN.test(arn)) throw invalid('The ARN could not be parsed', { ArgumentName: spec.arn, ArgumentValue: arn });
      const events = elements(block, 'Event').map((e) => unescapeXml(e.trim()));
      if (!events.length) throw s3Error('MalformedXML');
      for (const event of events) {
        if (!NOTIFICATION_EVENTS.has(event)) throw invalid('The event is not supported for notifications', { ArgumentName: 'Event', ArgumentValue: event });
      }
      const id = text(block, 'Id') || generatedId();
      targets.push({ kind, id, arn, events: [...new Set(events)], ...parseFilter(block) });
    }
  }
  checkOverlaps(targets);
  return { targets, eventBridge: /<(?:\w+:)?EventBridgeConfiguration[\s/>]/.test(xml) };
}

/** Two event names share a type when equal or when one is the other's wildcard (s3:ObjectCreated:* and s3:ObjectCreated:Put). */
function shareType(a: string, b: string): boolean {
  if (a === b) return true;
  const family = (e: string) => (e.endsWith(':*') ? e.slice(0, -1) : undefined);
  const fa = family(a);
  const fb = family(b);
  return (fa !== undefined && b.startsWith(fa)) || (fb !== undefined && a.startsWith(fb));
}

const overlapping = (a = '', b = '', at: 'start' | 'end') => (at === 'start' ? a.startsWith(b) || b.startsWith(a) : a.endsWith(b) || b.endsWith(a));

/** S3 refuses two configurations that could both match one event: a shared event type over overlapping prefixes and suffixes. */
function checkOverlaps(targets: NotificationTarget[]): void {
  for (const [i, a] of targets.entries()) {
    for (const b of targets.slice(i + 1)) {
      const shared = a.events.flatMap((ea) => b.events.filter((eb) => shareType(ea, eb)).map((eb) => [ea, eb] as const))[0];
      if (!shared) continue;
      if (!overlapping(a.prefix, b.prefix, 'start') || !overlapping(a.suffix, b.suffix, 'end')) continue;
      const unfiltered = (t: NotificationTarget) => !t.prefix && !t.suffix;
      if (unfiltered(a) && unfiltered(b)) {
        throw invalid('Configurations overlap. Configurations on the same bucket cannot share a common event type.', { ArgumentName: 'Event', ArgumentValue: `${shared[0]}, ${shared[1]}` });
      }
      throw invalid('Configuration is ambiguously defined. Cannot have overlapping suffixes in two rules if the prefixes are overlapping for the same event type.');
    }
  }
}

/** The configuration as GetBucketNotificationConfiguration answers it (its inner XML). */
export function notificationConfigurationXml(c: NotificationConfiguration): string {
  const parts: string[] = [];
  for (const kind of KINDS) {
    const { element, arn } = ELEMENTS[kind];
    for (const t of c.targets.filter((x) => x.kind === kind)) {
      const rules = [['Prefix', t.prefix], ['Suffix', t.suffix]].filter(([, v]) => v !== undefined)
        .map(([n, v]) => `<FilterRule><Name>${n}</Name><Value>${escapeXml(v!)}</Value></FilterRule>`).join('');
      parts.push(`<${element}><Id>${escapeXml(t.id)}</Id><${arn}>${escapeXml(t.arn)}</${arn}>${t.events.map((e) => `<Event>${escapeXml(e)}</Event>`).join('')}`
        + `${rules ? `<Filter><S3Key>${rules}</S3Key></Filter>` : ''}</${element}>`);
    }
  }
  if (c.eventBridge) parts.push('<EventBridgeConfiguration></EventBridgeConfiguration>');
  return parts.join('');
}

export type { DestinationKind, NotificationConfiguration, NotificationTarget };
