// StartMessageMoveTask, ListMessageMoveTasks, CancelMessageMoveTask: tasks moving the messages of a
// dead-letter queue back to their source queues (or to a destination queue), stored in the
// database and run by the MessageMover; answered as AWS answers them.
import { randomUUID } from 'node:crypto';
import type { RequestContext } from '../aws/request-context.js';
import type * as sqs from '../aws/generated/sqs.js';
import type { SqsStore, StoredMoveTask } from '../store/sqs-store.js';
import { awsError, type AwsError } from '../core/errors.js';
import { invalidParameter } from './errors.js';
import type { MessageMover } from './message-mover.js';

const MAX_RATE = 500;
const notFound = (message: string): AwsError => awsError('ResourceNotFoundException', message, { status: 400 });

/** The opaque handle AWS answers: base64 of the task id and its source queue. */
const handleOf = (t: StoredMoveTask): string => Buffer.from(JSON.stringify({ taskId: t.taskId, sourceArn: t.sourceArn })).toString('base64');

function taskIdOf(handle: string): string | undefined {
  try {
    const parsed = JSON.parse(Buffer.from(handle, 'base64').toString('utf8')) as { taskId?: unknown };
    return typeof parsed.taskId === 'string' ? parsed.taskId : undefined;
  } catch {
    return undefined;
  }
}

export function moveTaskHandlers(store: SqsStore, mover: Pick<MessageMover, 'kick'>, now: () => number) {
  return {
    async StartMessageMoveTask(input: sqs.StartMessageMoveTaskRequest, ctx: RequestContext) {
      const source = await store.getQueueByArn(input.SourceArn);
      if (!source || source.accountId !== ctx.accountId) throw notFound('The resource that you specified for the SourceArn parameter doesn\'t exist.');
      if (!(await store.deadLetterSources(source.accountId, source.region, source.arn)).length) throw invalidParameter('Source queue must be configured as a Dead Letter Queue.');
      if (input.DestinationArn !== undefined) {
        const destination = await store.getQueueByArn(input.DestinationArn);
        if (!destination || destination.accountId !== ctx.accountId) throw notFound('The resource that you specified for the DestinationArn parameter doesn\'t exist.');
      }
      const rate = input.MaxNumberOfMessagesPerSecond;
      if (rate !== undefined && (!Number.isInteger(rate) || rate < 1 || rate > MAX_RATE)) {
        throw invalidParameter(`Value ${rate} for parameter MaxNumberOfMessagesPerSecond is invalid. Reason: Must be between 1 and ${MAX_RATE}.`);
      }
      const counts = await store.counts(source.arn, now());
      const task: StoredMoveTask = {
        taskId: randomUUID(), sourceArn: source.arn, status: 'RUNNING', moved: 0, toMove: counts.visible + counts.inFlight + counts.delayed, startedMs: now(),
        ...(input.DestinationArn !== undefined ? { destinationArn: input.DestinationArn } : {}), ...(rate !== undefined ? { maxPerSecond: rate } : {}),
      };
      // The lease starts out expired, so any node's mover takes the task at once.
      if (!(await store.moveTasks.create(task, 0))) {
        throw invalidParameter('There is already a task running. Only one active task is allowed for a source queue arn at a given time.');
      }
      mover.kick();
      return { TaskHandle: handleOf(task) };
    },

    async ListMessageMoveTasks(input: sqs.ListMessageMoveTasksRequest, ctx: RequestContext) {
      const source = await store.getQueueByArn(input.SourceArn);
      if (!source || source.accountId !== ctx.accountId) throw notFound('The resource that you specified for the SourceArn parameter doesn\'t exist.');
      const max = input.MaxResults ?? 1;
      if (!Number.isInteger(max) || max < 1 || max > 10) throw invalidParameter(`Value ${max} for parameter MaxResults is invalid. Reason: You must enter a number that's between 1 and 10.`);
      const tasks = await store.moveTasks.list(source.arn, max);
      return {
        Results: tasks.map((t) => ({
          ...(t.status === 'RUNNING' ? { TaskHandle: handleOf(t) } : {}),
          Status: t.status, SourceArn: t.sourceArn,
          ...(t.destinationArn !== undefined ? { DestinationArn: t.destinationArn } : {}),
          ...(t.maxPerSecond !== undefined ? { MaxNumberOfMessagesPerSecond: t.maxPerSecond } : {}),
          ApproximateNumberOfMessagesMoved: t.moved, ApproximateNumberOfMessagesToMove: t.toMove,
          ...(t.failureReason !== undefined ? { FailureReason: t.failureReason } : {}),
          StartedTimestamp: t.startedMs,
        })),
      };
    },

    async CancelMessageMoveTask(input: sqs.CancelMessageMoveTaskRequest) {
      const taskId = taskIdOf(input.TaskHandle);
      const task = taskId === undefined ? undefined : await store.moveTasks.get(taskId);
      if (!task) throw notFound('Task does not exist.');
      if (!(await store.moveTasks.cancel(task.taskId))) throw invalidParameter('Only active tasks can be cancelled.');
      const moved = (await store.moveTasks.get(task.taskId))?.moved ?? task.moved;
      return { ApproximateNumberOfMessagesMoved: moved };
    },
  };
}
