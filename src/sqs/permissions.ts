// AddPermission and RemovePermission: statements added to or removed from the queue's Policy
// attribute as AWS writes them (Sid = Label, Principal {"AWS": account roots}, Action "SQS:<name>",
// Resource = the queue), with AWS's checks. Each edit is a compare-and-set on the attributes as read,
// so edits racing on several nodes all land.
import type { RequestContext } from '../aws/request-context.js';
import type * as sqs from '../aws/generated/sqs.js';
import type { SqsStore, StoredQueue } from '../store/sqs-store.js';
import { awsError, throttlingError } from '../core/errors.js';
import { invalidParameter, missingParameter, queueDoesNotExist } from './errors.js';
import { queueByUrl } from './queue-directory.js';

/** AWS's limit of actions in one AddPermission. */
const MAX_ACTIONS = 7;
const LABEL = /^[A-Za-z0-9_-]{1,80}$/;
/** Actions AddPermission may grant (the batch forms come with SendMessage, DeleteMessage, ChangeMessageVisibility). */
const GRANTABLE = new Set(['*', 'SendMessage', 'ReceiveMessage', 'DeleteMessage', 'ChangeMessageVisibility', 'GetQueueAttributes', 'GetQueueUrl', 'ListDeadLetterSourceQueues', 'PurgeQueue']);
/** Actions only the queue's owner may call: AWS refuses to grant them. */
const OWNER_ONLY = new Set(['AddPermission', 'CancelMessageMoveTask', 'CreateQueue', 'DeleteQueue', 'ListMessageMoveTasks', 'ListQueues', 'ListQueueTags', 'RemovePermission', 'SetQueueAttributes', 'StartMessageMoveTask', 'TagQueue', 'UntagQueue']);
const ATTEMPTS = 5;

interface PolicyDocument { Version?: string; Id?: string; Statement: unknown[] }

/** A statement's Sid (statements are kept as written, whatever their shape). */
const sidOf = (statement: unknown): unknown => (statement !== null && typeof statement === 'object' ? (statement as { Sid?: unknown }).Sid : undefined);

const single = (values: string[]): string | string[] => (values.length === 1 ? values[0] : values);

function checkLabel(label: string): void {
  if (!LABEL.test(label)) throw invalidParameter(`Value ${label} for parameter Label is invalid. Reason: Must be at most 80 letters, digits, hyphens and underscores.`);
}

function checkActions(actions: string[]): string[] {
  if (!actions.length) throw missingParameter('Actions');
  if (actions.length > MAX_ACTIONS) throw awsError('OverLimit', `${actions.length} Actions were found, maximum allowed is ${MAX_ACTIONS}.`);
  return actions.map((a) => {
    const name = a.replace(/^sqs:/i, '');
    if (OWNER_ONLY.has(name)) throw invalidParameter(`Value SQS:${name} for parameter ActionName is invalid. Reason: Only the queue owner is allowed to invoke this action.`);
    if (!GRANTABLE.has(name)) throw invalidParameter(`Value SQS:${name} for parameter ActionName is invalid. Reason: Please refer to the appropriate WSDL for a list of valid actions.`);
    return `SQS:${name}`;
  });
}

function readPolicy(queue: StoredQueue): PolicyDocument {
  if (!queue.attributes.Policy) return { Version: '2012-10-17', Id: `${queue.arn}/SQSDefaultPolicy`, Statement: [] };
  // SetQueueAttributes only checks that a Policy is JSON: one that is no policy document cannot be edited.
  const doc = JSON.parse(queue.attributes.Policy) as unknown;
  if (doc === null || typeof doc !== 'object' || Array.isArray(doc)) throw invalidParameter('The queue\'s Policy attribute is not a policy document.');
  const { Statement: given } = doc as { Statement?: unknown };
  const statements = (given === undefined ? [] : Array.isArray(given) ? given : [given]) as unknown[];
  return { ...(doc as PolicyDocument), Statement: statements };
}

/** Edits the queue's policy by `change` (null: no policy left), retrying when another edit landed first. */
async function editPolicy(store: SqsStore, ctx: RequestContext, queueUrl: string, change: (policy: PolicyDocument, queue: StoredQueue) => PolicyDocument | null, now: () => number): Promise<void> {
  for (let attempt = 0; ; attempt++) {
    const queue = await queueByUrl(store, ctx, queueUrl);
    const next = change(readPolicy(queue), queue);
    const attributes = { ...queue.attributes };
    if (next) attributes.Policy = JSON.stringify(next);
    else delete attributes.Policy;
    if (await store.replaceAttributesIf(queue.arn, queue.attributes, attributes, now())) return;
    if (!(await store.getQueueByArn(queue.arn))) throw queueDoesNotExist();
    if (attempt >= ATTEMPTS) throw throttlingError('sqs'); // SDKs retry it
  }
}

export function permissionHandlers(store: SqsStore, now: () => number) {
  return {
    async AddPermission(input: sqs.AddPermissionRequest, ctx: RequestContext) {
      checkLabel(input.Label);
      const accounts = input.AWSAccountIds ?? [];
      if (!accounts.length) throw missingParameter('AWSAccountIds');
      const actions = checkActions(input.Actions ?? []);
      await editPolicy(store, ctx, input.QueueUrl, (policy, queue) => {
        if (policy.Statement.some((s) => sidOf(s) === input.Label)) throw invalidParameter(`Value ${input.Label} for parameter Label is invalid. Reason: Already exists.`);
        const statement = {
          Sid: input.Label, Effect: 'Allow', Principal: { AWS: single(accounts.map((a) => `arn:aws:iam::${a}:root`)) }, Action: single(actions), Resource: queue.arn,
        };
        return { ...policy, Statement: [...policy.Statement, statement] };
      }, now);
      return {};
    },
    async RemovePermission(input: sqs.RemovePermissionRequest, ctx: RequestContext) {
      await editPolicy(store, ctx, input.QueueUrl, (policy) => {
        const rest = policy.Statement.filter((s) => sidOf(s) !== input.Label);
        if (rest.length === policy.Statement.length) throw invalidParameter(`Value ${input.Label} for parameter Label is invalid. Reason: can't find label on existing policy.`);
        return rest.length ? { ...policy, Statement: rest } : null;
      }, now);
      return {};
    },
  };
}
