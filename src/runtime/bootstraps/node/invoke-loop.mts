// The invoke loop: next → invoke the handler → response or error, then the next invocation. The
// handler is called as AWS's Node.js runtime calls it: async or with a callback (first of
// callback/succeed/fail/done/promise wins), or streaming; a handler that never answers is noticed
// when the event loop empties. The client (HTTP or the private channel) is handed in. Response
// streaming is here too: the `awslambda` global and the response stream, whose writes go out as
// they are made when the client can send them (the private channel), and are buffered otherwise.
import { Writable } from 'node:stream';
import { RuntimeError, fatal } from './errors.mjs';
import { logError, setRequestId } from './logging.mjs';

export type Handler = (event: unknown, context: LambdaContext, callback: Callback) => unknown;
export type Callback = (err?: unknown, result?: unknown) => void;

export interface LambdaContext {
  callbackWaitsForEmptyEventLoop: boolean;
  succeed(result?: unknown): void;
  fail(err?: unknown): void;
  done(err?: unknown, result?: unknown): void;
  functionName: string;
  functionVersion: string;
  invokedFunctionArn: string;
  memoryLimitInMB: string;
  awsRequestId: string;
  logGroupName: string;
  logStreamName: string;
  identity: unknown;
  clientContext: unknown;
  getRemainingTimeInMillis(): number;
}

/** One invocation as the client hands it over. */
export interface Invocation {
  requestId: string;
  deadlineMs: number;
  invokedFunctionArn: string;
  traceId: string | undefined;
  clientContext: string | undefined;
  cognitoIdentity: string | undefined;
  body: Buffer;
}

/** The Runtime API, whichever way it travels (channel.mts, http-client.mts). */
export interface RuntimeClient {
  next(): Promise<Invocation>;
  response(requestId: string, body: string | Buffer): Promise<void>;
  /** `final`: the runtime exits next (an uncaught exception), so it does not ask for another invocation. */
  error(requestId: string, error: unknown, final?: boolean): Promise<void>;
  initError(error: unknown): Promise<void>;
  /** Sends part of a streaming response as it is written (absent: streamed responses are buffered). */
  streamChunk?(requestId: string, chunk: Buffer, contentType: string | undefined): void;
}

// ---------------------------------------------------------------------------------------------
// Response streaming (awslambda.streamifyResponse). Each write is sent to the platform at once;
// the platform streams it to the caller (InvokeWithResponseStream, RESPONSE_STREAM function URLs)
// or buffers it, as AWS's RequestResponse Invoke of a streaming function does.

const HANDLER_STREAMING = Symbol.for('aws.lambda.runtime.handler.streaming');

type ChunkSender = (chunk: Buffer, contentType: string | undefined) => void;

class ResponseStream extends Writable {
  /** What was written, when there is no sender. */
  readonly chunks: Buffer[] = [];
  contentType: string | undefined;

  constructor(send: ChunkSender | undefined) {
    super({
      write: (chunk: Buffer | string, _enc, cb) => {
        const bytes = typeof chunk === 'string' ? Buffer.from(chunk) : Buffer.from(chunk);
        if (!send) {
          this.chunks.push(bytes);
          return cb();
        }
        try {
          send(bytes, this.contentType);
          cb();
        } catch (e) {
          cb(e as Error);
        }
      },
    });
  }

  setContentType(contentType: string): void {
    this.contentType = contentType;
  }
}

/** The `awslambda` global handlers use to declare themselves streaming (set before the handler loads). */
export function installAwsLambdaGlobal(): void {
  (globalThis as Record<string, unknown>).awslambda = {
    streamifyResponse<T extends object>(handler: T): T {
      (handler as Record<symbol, unknown>)[HANDLER_STREAMING] = 'response';
      return handler;
    },
    HttpResponseStream: {
      /** Writes the HTTP prelude (status, headers) function URLs expect, then hands the stream back. */
      from(stream: ResponseStream, prelude: Record<string, unknown>): ResponseStream {
        stream.setContentType('application/vnd.awslambda.http-integration-response');
        stream.write(JSON.stringify(prelude));
        stream.write(Buffer.alloc(8));
        return stream;
      },
    },
  };
}

const isStreaming = (handler: object): boolean => (handler as Record<symbol, unknown>)[HANDLER_STREAMING] === 'response';

// ---------------------------------------------------------------------------------------------
// The loop.

function parseJsonHeader(value: string | undefined): unknown {
  if (value === undefined || value === '') return undefined;
  try {
    return JSON.parse(value);
  } catch {
    return undefined;
  }
}

const TRACE_VARIABLE = '_X_AMZN_TRACE_ID';

/**
 * The variables each invocation's context takes from process.env, as AWS's runtime reads them for
 * every invocation. Read through the proxy below, each costs a getenv and a new string, which
 * profiling put at a large share of a quick invocation's CPU; they are kept here instead, and
 * dropped whenever anything sets or deletes a variable (all of that goes through the proxy).
 */
interface ContextVariables {
  functionName: string;
  functionVersion: string;
  memoryLimitInMB: string;
  logGroupName: string;
  logStreamName: string;
}
let contextVariables: ContextVariables | undefined;

function readContextVariables(): ContextVariables {
  const env = process.env;
  return (contextVariables ??= {
    functionName: env.AWS_LAMBDA_FUNCTION_NAME ?? '',
    functionVersion: env.AWS_LAMBDA_FUNCTION_VERSION ?? '',
    memoryLimitInMB: env.AWS_LAMBDA_FUNCTION_MEMORY_SIZE ?? '',
    logGroupName: env.AWS_LAMBDA_LOG_GROUP_NAME ?? '',
    logStreamName: env.AWS_LAMBDA_LOG_STREAM_NAME ?? '',
  });
}
/** The current invocation's trace id, which process.env._X_AMZN_TRACE_ID shows. */
let traceId: string | undefined;

/**
 * Makes process.env._X_AMZN_TRACE_ID show the current invocation's trace id without setting it
 * through the C library: setenv keeps every value it was ever given, so a warm environment would
 * grow by ~180 bytes per invocation until its memory limit killed it. process.env becomes a proxy
 * over the real one that answers for this variable itself (reads, `in`, keys, spreading, and the
 * environment of child processes all see it); every other variable is the real one, with its
 * string coercion. Only native code calling getenv() in this process does not see it.
 */
export function installTraceIdVariable(): void {
  const real = process.env;
  traceId = real[TRACE_VARIABLE];
  delete real[TRACE_VARIABLE];
  const isTrace = (key: string | symbol): boolean => key === TRACE_VARIABLE;
  process.env = new Proxy(real, {
    get: (target, key) => (isTrace(key) ? traceId : Reflect.get(target, key)),
    set: (target, key, value) => {
      contextVariables = undefined;
      if (!isTrace(key)) return Reflect.set(target, key, value);
      traceId = String(value);
      return true;
    },
    has: (target, key) => (isTrace(key) ? traceId !== undefined : Reflect.has(target, key)),
    deleteProperty: (target, key) => {
      contextVariables = undefined;
      if (!isTrace(key)) return Reflect.deleteProperty(target, key);
      traceId = undefined;
      return true;
    },
    ownKeys: (target) => (traceId === undefined ? Reflect.ownKeys(target) : [...Reflect.ownKeys(target), TRACE_VARIABLE]),
    getOwnPropertyDescriptor: (target, key) => {
      if (!isTrace(key)) return Reflect.getOwnPropertyDescriptor(target, key);
      return traceId === undefined ? undefined : { value: traceId, writable: true, enumerable: true, configurable: true };
    },
  });
}

export class Runtime {
  readonly #client: RuntimeClient;
  readonly #handler: Handler;
  readonly #isAsync: boolean;
  /** What to do when the event loop empties during the current invocation. */
  #beforeExit: (() => void) | undefined;
  #currentId: string | undefined;

  constructor(client: RuntimeClient, handler: Handler) {
    this.#client = client;
    this.#handler = handler;
    this.#isAsync = handler.constructor?.name === 'AsyncFunction';
    process.on('beforeExit', () => {
      const action = this.#beforeExit;
      this.#beforeExit = undefined;
      action?.();
    });
  }

  get currentRequestId(): string | undefined {
    return this.#currentId;
  }

  scheduleNext(): void {
    setImmediate(() => {
      this.#handleOne().catch((err) => fatal(err));
    });
  }

  async #handleOne(): Promise<void> {
    const inv = await this.#client.next();
    const requestId = inv.requestId;
    this.#currentId = requestId;
    setRequestId(requestId);
    traceId = inv.traceId;
    const deadline = inv.deadlineMs;

    let settled = false; // first of callback/succeed/fail/done/promise wins
    let waitForEmptyLoop = true;
    const post = (err: unknown, result: unknown, raw?: Buffer): void => {
      this.#beforeExit = undefined;
      const pending = stdioFlushed();
      if (pending) {
        // What the function wrote to stdout/stderr must reach the platform before the answer does.
        pending.then(() => post(err, result, raw), fatal);
        return;
      }
      this.#currentId = undefined;
      let body: string | Buffer | undefined = raw;
      if (body === undefined && (err === undefined || err === null)) {
        try {
          // (a function or a symbol stringifies to undefined: AWS answers null)
          body = JSON.stringify(result === undefined ? null : result) ?? 'null';
        } catch {
          err = new RuntimeError('JSONStringifyError', 'Unable to stringify response body');
        }
      }
      if (body === undefined) logError('Invoke Error', err);
      const sent = body === undefined ? this.#client.error(requestId, err) : this.#client.response(requestId, body);
      sent.then(() => this.scheduleNext(), fatal);
    };
    const done = (err?: unknown, result?: unknown): void => {
      if (settled) return;
      settled = true;
      post(err, result);
    };
    const callback: Callback = (err, result) => {
      if (settled) return;
      settled = true;
      if ((err !== undefined && err !== null) || !waitForEmptyLoop) {
        post(err, result);
      } else {
        this.#beforeExit = () => setImmediate(() => post(null, result));
      }
    };

    const vars = readContextVariables();
    const context: LambdaContext = {
      get callbackWaitsForEmptyEventLoop() {
        return waitForEmptyLoop;
      },
      set callbackWaitsForEmptyEventLoop(v: boolean) {
        waitForEmptyLoop = v;
      },
      succeed: (result?: unknown) => done(null, result),
      fail: (err?: unknown) => done(err === undefined || err === null ? 'handled' : err, null),
      done,
      functionName: vars.functionName,
      functionVersion: vars.functionVersion,
      invokedFunctionArn: inv.invokedFunctionArn,
      memoryLimitInMB: vars.memoryLimitInMB,
      awsRequestId: requestId,
      logGroupName: vars.logGroupName,
      logStreamName: vars.logStreamName,
      identity: parseJsonHeader(inv.cognitoIdentity),
      clientContext: parseJsonHeader(inv.clientContext),
      getRemainingTimeInMillis: () => deadline - Date.now(),
    };

    // The handler never answered and nothing is left to run: AWS answers null for callback
    // style handlers and fails async ones.
    this.#beforeExit = () => {
      if (settled) return;
      settled = true;
      if (this.#isAsync) post(new RuntimeError('NodeJsExit', 'Error: Runtime exited without providing a reason'), undefined);
      else post(null, null);
    };

    try {
      const event = inv.body.length === 0 ? null : JSON.parse(inv.body.toString('utf8'));
      if (isStreaming(this.#handler)) {
        const client = this.#client;
        const stream = new ResponseStream(client.streamChunk && ((chunk, contentType) => client.streamChunk!(requestId, chunk, contentType)));
        const streaming = this.#handler as unknown as (e: unknown, s: ResponseStream, c: LambdaContext) => unknown;
        Promise.resolve(streaming(event, stream, context)).then(
          () => {
            const send = (): void => {
              if (settled) return;
              settled = true;
              post(null, null, Buffer.concat(stream.chunks));
            };
            if (stream.writableFinished) send();
            else stream.end(send);
          },
          (err) => done(err === undefined || err === null ? 'handled' : err, null),
        );
        return;
      }
      const result = this.#handler(event, context, callback);
      if (result && typeof (result as Promise<unknown>).then === 'function') {
        (result as Promise<unknown>).then(
          (value) => done(null, value),
          (err) => done(err === undefined || err === null ? 'handled' : err, null),
        );
      }
    } catch (err) {
      callback(err);
    }
  }
}

/** A promise for stdout/stderr writes still queued in this process, or undefined when there are none. */
function stdioFlushed(): Promise<void> | undefined {
  const waits: Promise<void>[] = [];
  for (const stream of [process.stdout, process.stderr]) {
    if (stream.writableLength > 0) waits.push(new Promise((resolve) => stream.once('drain', () => resolve())));
  }
  return waits.length > 0 ? Promise.all(waits).then(() => undefined) : undefined;
}
