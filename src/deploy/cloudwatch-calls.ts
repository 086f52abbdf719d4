// The few CloudWatch calls a deploy makes (the template's alarms, alarms that stop traffic shifts,
// the stack's alarms that `stagecraft delete` removes), over CloudWatch's
// AWS JSON 1.0 protocol, signed like any AWS call. (The CLI ships without the CloudWatch SDK
// client; these two calls do not need it.)
import { signedFetch, type ConnectionSettings } from './clients.js';
import { NotAnAwsAnswerError } from './errors.js';
import { parentsFirst } from './alarm-order.js';

export interface AlarmStateView {
  AlarmName: string;
  AlarmArn: string;
  StateValue: 'OK' | 'ALARM' | 'INSUFFICIENT_DATA';
  StateReason?: string;
}

/** Calls a CloudWatch operation; a failure is thrown shaped as the SDK's errors are (name: the query error code). */
export async function cloudWatchCall<T>(settings: ConnectionSettings, operation: string, input: Record<string, unknown>): Promise<T> {
  const url = new URL('/', settings.endpoint);
  const res = await signedFetch(settings, 'monitoring', url, {
    method: 'POST',
    body: JSON.stringify(input),
    headers: { 'content-type': 'application/x-amz-json-1.0', 'x-amz-target': `GraniteServiceVersion20100801.${operation}` },
  });
  const text = await res.text();
  let body: Record<string, unknown> = {};
  try {
    body = text ? (JSON.parse(text) as Record<string, unknown>) : {};
  } catch {
    // not JSON: reported below with the status
  }
  if (res.status !== 200) {
    const type = res.headers.get('x-amzn-query-error')?.split(';')[0] ?? (typeof body.__type === 'string' ? body.__type : undefined);
    // No AWS error type: whatever answered is not a Stagecraft server (or not this version of one).
    if (!type) throw new NotAnAwsAnswerError(res.status, res.headers.get('content-type') ?? undefined);
    const code = type;
    throw Object.assign(new Error(String(body.message ?? body.Message ?? text)), { name: code, $metadata: { httpStatusCode: res.status } });
  }
  return body as T;
}

/** DescribeAlarms lists composite alarms only when asked for them. */
const BOTH_TYPES = ['MetricAlarm', 'CompositeAlarm'];

/** The named alarms, metric and composite, as they are now (at most 100 names, as DescribeAlarms takes). */
export async function describeAlarmStates(settings: ConnectionSettings, names: string[]): Promise<AlarmStateView[]> {
  const out = await cloudWatchCall<{ MetricAlarms?: AlarmStateView[]; CompositeAlarms?: AlarmStateView[] }>(settings, 'DescribeAlarms', { AlarmNames: names, AlarmTypes: BOTH_TYPES, MaxRecords: 100 });
  return [...(out.MetricAlarms ?? []), ...(out.CompositeAlarms ?? [])];
}

type Tag = { Key: string; Value: string };

/** Gives an existing alarm exactly `wanted` tags: PutMetricAlarm and PutCompositeAlarm set tags only when they create it. */
export async function replaceAlarmTags(settings: ConnectionSettings, arn: string, wanted: Tag[]): Promise<void> {
  const { Tags: current = [] } = await cloudWatchCall<{ Tags?: Tag[] }>(settings, 'ListTagsForResource', { ResourceARN: arn });
  const keys = new Set(wanted.map((t) => t.Key));
  const gone = current.filter((t) => !keys.has(t.Key)).map((t) => t.Key);
  if (gone.length) await cloudWatchCall(settings, 'UntagResource', { ResourceARN: arn, TagKeys: gone });
  if (wanted.length) await cloudWatchCall(settings, 'TagResource', { ResourceARN: arn, Tags: wanted });
}

interface ListedAlarm { AlarmName: string; AlarmArn: string; AlarmRule?: string; ActionsSuppressor?: string }

/**
 * Every alarm's name and tags (DescribeAlarms pages, then ListTagsForResource for each), in an
 * order they can be deleted in: each composite alarm before the alarms its rule and suppressor name.
 */
export async function alarmsWithTags(settings: ConnectionSettings): Promise<{ name: string; tags: Record<string, string> }[]> {
  const listed: ListedAlarm[] = [];
  let NextToken: string | undefined;
  do {
    const page = await cloudWatchCall<{ MetricAlarms?: ListedAlarm[]; CompositeAlarms?: ListedAlarm[]; NextToken?: string }>(settings, 'DescribeAlarms', { MaxRecords: 100, AlarmTypes: BOTH_TYPES, NextToken });
    listed.push(...(page.CompositeAlarms ?? []), ...(page.MetricAlarms ?? []));
    NextToken = page.NextToken;
  } while (NextToken);
  return Promise.all(parentsFirst(listed).map(async ({ AlarmName: name, AlarmArn: arn }) => {
    const { Tags } = await cloudWatchCall<{ Tags?: { Key: string; Value: string }[] }>(settings, 'ListTagsForResource', { ResourceARN: arn });
    return { name, tags: Object.fromEntries((Tags ?? []).map((t) => [t.Key, t.Value])) };
  }));
}

export async function deleteAlarm(settings: ConnectionSettings, name: string): Promise<void> {
  await cloudWatchCall(settings, 'DeleteAlarms', { AlarmNames: [name] });
}
