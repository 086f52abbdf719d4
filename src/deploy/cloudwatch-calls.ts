// The few CloudWatch calls a deploy makes (the template's alarms, alarms that stop traffic shifts,
// the stack's alarms that `stagecraft delete` removes), over CloudWatch's
// AWS JSON 1.0 protocol, signed like any AWS call. (The CLI ships without the CloudWatch SDK
// client; these two calls do not need it.)
import { signedFetch, type ConnectionSettings } from './clients.js';
import { NotAnAwsAnswerError } from './errors.js';

export interface AlarmStateView {
  AlarmName: string;
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

/** The named metric alarms as they are now (at most 100 names, as DescribeAlarms takes). */
export async function describeAlarmStates(settings: ConnectionSettings, names: string[]): Promise<AlarmStateView[]> {
  const out = await cloudWatchCall<{ MetricAlarms?: AlarmStateView[] }>(settings, 'DescribeAlarms', { AlarmNames: names, MaxRecords: 100 });
  return out.MetricAlarms ?? [];
}

/** Every metric alarm's name and tags (DescribeAlarms pages, then ListTagsForResource for each). */
export async function alarmsWithTags(settings: ConnectionSettings): Promise<{ name: string; tags: Record<string, string> }[]> {
  const names: { name: string; arn: string }[] = [];
  let NextToken: string | undefined;
  do {
    const page = await cloudWatchCall<{ MetricAlarms?: { AlarmName: string; AlarmArn: string }[]; NextToken?: string }>(settings, 'DescribeAlarms', { MaxRecords: 100, NextToken });
    names.push(...(page.MetricAlarms ?? []).map((a) => ({ name: a.AlarmName, arn: a.AlarmArn })));
    NextToken = page.NextToken;
  } while (NextToken);
  return Promise.all(names.map(async ({ name, arn }) => {
    const { Tags } = await cloudWatchCall<{ Tags?: { Key: string; Value: string }[] }>(settings, 'ListTagsForResource', { ResourceARN: arn });
    return { name, tags: Object.fromEntries((Tags ?? []).map((t) => [t.Key, t.Value])) };
  }));
}

export async function deleteAlarm(settings: ConnectionSettings, name: string): Promise<void> {
  await cloudWatchCall(settings, 'DeleteAlarms', { AlarmNames: [name] });
}
