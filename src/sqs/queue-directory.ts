// Queues by URL, name or ARN, scoped by account and region. A queue URL is
// `<scheme>://<host>:<port>/<accountId>/<queueName>`, built from the host the caller reached.
import type { RequestContext } from '../aws/request-context.js';
import type { SqsStore, StoredQueue } from '../store/sqs-store.js';
import { awsError } from '../core/errors.js';
import { queueDoesNotExist } from './errors.js';

export const queueArn = (region: string, accountId: string, name: string): string => `arn:aws:sqs:${region}:${accountId}:${name}`;
export const queueUrl = (ctx: Pick<RequestContext, 'baseUrl'>, queue: { accountId: string; name: string }): string => `${ctx.baseUrl}/${queue.accountId}/${queue.name}`;

/** The account and name a queue URL names (its last two path segments). */
export function parseQueueUrl(url: string, ctx: Pick<RequestContext, 'accountId'>): { accountId: string; name: string } {
  let path: string;
  try {
    path = /^[a-z]+:\/\//i.test(url) ? new URL(url).pathname : url;
  } catch {
    throw awsError('InvalidAddress', `The address ${url} is not valid for this endpoint.`);
  }
  const parts = path.split('/').filter(Boolean);
  if (parts.length === 1) return { accountId: ctx.accountId, name: parts[0] };
  if (parts.length !== 2) throw awsError('InvalidAddress', `The address ${url} is not valid for this endpoint.`);
  return { accountId: parts[0], name: parts[1] };
}

export async function queueByUrl(store: SqsStore, ctx: Pick<RequestContext, 'accountId' | 'region'>, url: string): Promise<StoredQueue> {
  const { accountId, name } = parseQueueUrl(url, ctx);
  const queue = await store.getQueue({ accountId, region: ctx.region, name });
  if (!queue) throw queueDoesNotExist();
  return queue;
}
