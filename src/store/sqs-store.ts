// Persistence contract for SQS queues and their messages. Messages live in the database: a
// receive claims each one with a compare-and-set on its receive count, so on one SQLite file or on
// several nodes sharing PostgreSQL a message is handed to one receiver at a time.

export interface QueueKey {
  accountId: string;
  region: string;
  name: string;
}

export interface StoredQueue extends QueueKey {
  arn: string;
  /** The queue's attributes as set (AWS's names, string values), defaults filled in at creation. */
  attributes: Record<string, string>;
  tags: Record<string, string>;
  createdMs: number;
  modifiedMs: number;
}

export interface NewMessage {
  queueArn: string;
  messageId: string;
  body: string;
  /** Message attributes as JSON text (their wire shape, binary values in base64). */
  attributes: string;
  /** AWSTraceHeader and other message system attributes as JSON text. */
  systemAttributes: string;
  md5OfBody: string;
  md5OfAttributes?: string;
  md5OfSystemAttributes?: string;
  senderId: string;
  sentMs: number;
  /** When it may first be received (sentMs plus its delay). */
  visibleMs: number;
  groupId?: string;
  deduplicationId?: string;
}

export interface StoredMessage extends NewMessage {
  /** Queue order, unique across queues; a FIFO queue's SequenceNumber. */
  seq: number;
  receiveCount: number;
  firstReceiveMs?: number;
  /** The queue it was in before its queue's RedrivePolicy moved it to this dead-letter queue. */
  originArn?: string;
}

export type MoveTaskStatus = 'RUNNING' | 'COMPLETED' | 'CANCELLED' | 'FAILED';

export interface StoredMoveTask {
  taskId: string;
  sourceArn: string;
  destinationArn?: string;
  maxPerSecond?: number;
  status: MoveTaskStatus;
  moved: number;
  toMove: number;
  failureReason?: string;
  startedMs: number;
}

/** Message move tasks (StartMessageMoveTask): run by one node at a time under a lease. */
export interface MoveTaskStore {
  /** False when a task of the source queue is running. */
  create(task: StoredMoveTask, leaseUntilMs: number): Promise<boolean>;
  get(taskId: string): Promise<StoredMoveTask | undefined>;
  /** The source queue's tasks, the latest first. */
  list(sourceArn: string, limit: number): Promise<StoredMoveTask[]>;
  /** Takes a running task whose lease ran out (its node died or stopped), or that this node held before it restarted (a node runs one task at a time); undefined when there is none. */
  claim(nodeId: string, nowMs: number, leaseUntilMs: number): Promise<StoredMoveTask | undefined>;
  /** Records progress (and the end, with a status other than RUNNING) while this node holds the task; false when it was cancelled or taken. */
  update(taskId: string, nodeId: string, moved: number, status: MoveTaskStatus, leaseUntilMs: number, failureReason?: string): Promise<boolean>;
  /** Cancels a running task; false when it is not running. */
  cancel(taskId: string): Promise<boolean>;
}

/** What a deduplicated send answers: the message the first send stored. */
export interface SendOutcome {
  seq: number;
  messageId: string;
  duplicate: boolean;
}

export interface QueueCounts {
  visible: number;
  inFlight: number;
  delayed: number;
}

export interface SqsStore {
  /** False when a queue of that name exists. */
  createQueue(queue: StoredQueue): Promise<boolean>;
  getQueue(key: QueueKey): Promise<StoredQueue | undefined>;
  getQueueByArn(arn: string): Promise<StoredQueue | undefined>;
  /** Queues of an account and region whose name starts with `prefix`, by name. */
  listQueues(accountId: string, region: string, prefix: string): Promise<StoredQueue[]>;
  /** Replaces attributes and tags; false when the queue is gone. */
  updateQueue(queue: StoredQueue): Promise<boolean>;
  /** Replaces the attributes only if they are still `expected` (a compare-and-set, for edits of the Policy racing across nodes); false otherwise. */
  replaceAttributesIf(arn: string, expected: Record<string, string>, attributes: Record<string, string>, modifiedMs: number): Promise<boolean>;
  /** Deletes the queue and its messages; false when it did not exist. */
  deleteQueue(key: QueueKey): Promise<boolean>;
  purgeMessages(queueArn: string): Promise<void>;
  /** Removes messages sent at or before `sentBeforeMs` (past the retention period). */
  expireMessages(queueArn: string, sentBeforeMs: number): Promise<void>;
  counts(queueArn: string, nowMs: number): Promise<QueueCounts>;
  /**
   * Stores a message. With a deduplication id, a message with the same id stored within the window
   * (since `dedupSinceMs`) wins: nothing is stored and the first one's id is answered.
   */
  send(message: NewMessage, dedupSinceMs?: number): Promise<SendOutcome>;
  /**
   * Messages a receive may claim now, in queue order. FIFO: only messages with no earlier message
   * of their group in flight or delayed.
   */
  candidates(queueArn: string, nowMs: number, limit: number, fifo: boolean): Promise<StoredMessage[]>;
  /** Claims a visible message still at `receiveCount`; false when another receiver took it first. */
  claim(seq: number, receiveCount: number, nowMs: number, visibleUntilMs: number): Promise<boolean>;
  /** Moves a visible message still at `receiveCount` to the dead-letter queue (receive count reset). */
  moveToDeadLetter(seq: number, receiveCount: number, nowMs: number, deadLetterArn: string): Promise<boolean>;
  deleteMessage(queueArn: string, seq: number): Promise<boolean>;
  /** Sets when an in-flight message becomes visible; false when it is not in flight (or gone). */
  changeVisibility(queueArn: string, seq: number, nowMs: number, visibleUntilMs: number): Promise<boolean>;
  /** Moves a visible message to another queue as a move task does (receive count reset, origin forgotten); false when it was received or moved meanwhile. */
  moveMessage(seq: number, fromArn: string, toArn: string, nowMs: number): Promise<boolean>;
  moveTasks: MoveTaskStore;
  /** Queues whose RedrivePolicy names `deadLetterArn`. */
  deadLetterSources(accountId: string, region: string, deadLetterArn: string): Promise<StoredQueue[]>;
}
