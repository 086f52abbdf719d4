// Stagecraft's Node.js runtime: the process that runs inside an execution environment for the
// nodejs* runtimes. It speaks the Lambda Runtime API (next -> invoke -> response/error) and loads
// the handler the way AWS's Node.js runtime interface client does.
//
// Self-contained on purpose: only this directory is mounted at /var/runtime in the sandbox, so it
// imports nothing but Node's built-in modules.
//
// Two transports to the platform:
//  - the private channel (fds named by _STAGECRAFT_IN_FD / _STAGECRAFT_OUT_FD): frames
//    `TYPE LENGTH META-JSON\n BODY` (see src/runtime/channel.ts; this file keeps its own copy);
//  - the HTTP Runtime API at AWS_LAMBDA_RUNTIME_API, as on AWS.
// Log records written by console.* go as 'L' frames when _STAGECRAFT_OUT_FD is set (so a record
// with newlines stays one log event), else to stdout with newlines replaced by '\r' as AWS does.

import type * as Http from 'node:http';
import * as fs from 'node:fs';
import * as net from 'node:net';
import { Writable } from 'node:stream';
import * as path from 'node:path';
import { createRequire } from 'node:module';
import { format, types } from 'node:util';
import { pathToFileURL } from 'node:url';

type Handler = (event: unknown, context: LambdaContext, callback: Callback) => unknown;
type Callback = (err?: unknown, result?: unknown) => void;

interface LambdaContext {
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

interface RapidError {
  errorType: string;
  errorMessage: string;
  trace: string[];
}

// ---------------------------------------------------------------------------------------------
// Errors the runtime itself raises, named as AWS names them.

class RuntimeError extends Error {
  constructor(type: string, message: string) {
    super(message);
    this.name = `Runtime.${type}`;
  }
}
const importModuleError = (cause: unknown): RuntimeError => new RuntimeError('ImportModuleError', String(cause));
function userCodeSyntaxError(cause: Error): RuntimeError {
  const e = new RuntimeError('UserCodeSyntaxError', String(cause));
  e.stack = cause.stack;
  return e;
}

function isErrorLike(e: unknown): e is Error {
  if (types.isNativeError(e)) return true;
  const o = e as { name?: unknown; message?: unknown; stack?: unknown } | null;
  return !!o && typeof o.name === 'string' && typeof o.message === 'string' && typeof o.stack === 'string';
}

/** The body posted to /invocation/{id}/error and /init/error. */
function toRapidError(error: unknown): RapidError {
  try {
    if (isErrorLike(error)) {
      return { errorType: error.name, errorMessage: error.message, trace: (error.stack ?? '').split('\n') };
    }
    return { errorType: typeof error, errorMessage: String(error), trace: [] };
  } catch {
    return {
      errorType: 'handled',
      errorMessage: 'callback called with Error argument, but there was a problem while retrieving one or more of its message, name, and stack',
      trace: [],
    };
  }
}

/** The JSON AWS prints after "Invoke Error" / "Uncaught Exception" in the function's log. */
function toLoggedError(error: unknown): string {
  const replacer = (_k: string, v: unknown): unknown => {
    if (v instanceof Error) {
      const out: Record<string, unknown> = { errorType: v.name, errorMessage: v.message, code: (v as { code?: unknown }).code };
      Object.assign(out, v);
      if (typeof v.stack === 'string') out.stack = v.stack.split('\n');
      return out;
    }
    return v;
  };
  try {
    return '\t' + JSON.stringify(error, replacer);
  } catch {
    return '\t' + JSON.stringify(toRapidError(error));
  }
}

const intoError = (e: unknown): unknown => (e instanceof Error ? e : new Error(String(e)));

// ---------------------------------------------------------------------------------------------
// Logging: console.* becomes `time \t requestId \t LEVEL \t message`.

let currentRequestId: string | undefined;

function takeFd(name: string): number | undefined {
  const raw = process.env[name];
  delete process.env[name];
  const fd = raw === undefined ? NaN : Number(raw);
  return Number.isInteger(fd) && fd > 2 ? fd : undefined;
}
const outFd = takeFd('_STAGECRAFT_OUT_FD');
const inFd = takeFd('_STAGECRAFT_IN_FD');
/** A pre-started generic process: its function's variables and code come with a specialise frame. */
const isCell = process.env._STAGECRAFT_CELL === '1';
delete process.env._STAGECRAFT_CELL;

/** This process's peak resident memory in bytes (one getrusage call), for REPORT's Max Memory Used. */
const peakRss = (): number => process.resourceUsage().maxRSS * 1024;

const encodeFrame = (type: string, meta: Record<string, unknown>, body?: Buffer): Buffer[] => {
  const header = Buffer.from(`${type} ${body ? body.length : 0} ${JSON.stringify(meta)}\n`, 'utf8');
  return body && body.length > 0 ? [header, body] : [header];
};
const NEXT_FRAME = Buffer.from('N 0 {}\n');

/** Writes frames to the platform in one write, synchronously (nothing is lost if the process exits next). */
function writeFrame(type: string, meta: Record<string, unknown>, body?: Buffer, alsoNext = false): void {
  const parts = encodeFrame(type, meta, body);
  if (alsoNext) parts.push(NEXT_FRAME);
  const frame = parts.length === 1 ? parts[0] : Buffer.concat(parts);
  let offset = 0;
  while (offset < frame.length) {
    try {
      offset += fs.writeSync(outFd!, frame, offset);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EAGAIN') throw e;
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 1);
    }
  }
}

function writeRecord(text: string): void {
  if (outFd !== undefined) {
    try {
      writeFrame('L', {}, Buffer.from(text, 'utf8'));
      return;
    } catch {
      // The channel is gone (platform shutting down): fall back to stdout.
    }
  }
  process.stdout.write(text.replace(/\n/g, '\r') + '\n');
}

const LEVELS = ['TRACE', 'DEBUG', 'INFO', 'WARN', 'ERROR', 'FATAL'] as const;
type Level = (typeof LEVELS)[number];

function patchConsole(): void {
  const minimum = Math.max(0, LEVELS.indexOf((process.env.AWS_LAMBDA_LOG_LEVEL ?? 'TRACE').toUpperCase() as Level));
  const logger = (level: Level) => {
    if (LEVELS.indexOf(level) < minimum) return () => {};
    return (...args: unknown[]): void => {
      writeRecord(`${new Date().toISOString()}\t${currentRequestId}\t${level}\t${format(...args)}`);
    };
  };
  const c = console as unknown as Record<string, unknown>;
  c.trace = logger('TRACE');
  c.debug = logger('DEBUG');
  c.info = logger('INFO');
  c.log = c.info;
  c.warn = logger('WARN');
  c.error = logger('ERROR');
  c.fatal = logger('FATAL');
}

const logError = (title: string, error: unknown): void => console.error(title, toLoggedError(intoError(error)));

// ---------------------------------------------------------------------------------------------
// Runtime API client (HTTP/1.1 keep-alive on loopback).

interface Invocation {
  requestId: string;
  deadlineMs: number;
  invokedFunctionArn: string;
  traceId: string | undefined;
  clientContext: string | undefined;
  cognitoIdentity: string | undefined;
  body: Buffer;
}

interface RuntimeClient {
  next(): Promise<Invocation>;
  response(requestId: string, body: string | Buffer): Promise<void>;
  error(requestId: string, error: unknown): Promise<void>;
  initError(error: unknown): Promise<void>;
}

/** The Runtime API over HTTP/1.1 keep-alive, as AWS's runtime clients use it. */
class HttpRuntimeClient implements RuntimeClient {
  readonly #http: typeof Http;
  readonly #host: string;
  readonly #port: number;
  readonly #prefix: string;
  readonly #agent: Http.Agent;

  constructor(http: typeof Http, endpoint: string) {
    this.#http = http;
    this.#agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
    const slash = endpoint.indexOf('/');
    const hostPort = slash === -1 ? endpoint : endpoint.slice(0, slash);
    this.#prefix = slash === -1 ? '' : endpoint.slice(slash).replace(/\/+$/, '');
    const colon = hostPort.lastIndexOf(':');
    this.#host = hostPort.slice(0, colon);
    this.#port = Number(hostPort.slice(colon + 1));
  }

  async next(): Promise<Invocation> {
    const res = await this.#request('GET', '/2018-06-01/runtime/invocation/next');
    const h = res.headers;
    const str = (v: string | string[] | undefined): string | undefined => (typeof v === 'string' ? v : undefined);
    const requestId = str(h['lambda-runtime-aws-request-id']);
    if (!requestId) throw new Error('Runtime API returned an invocation without a request id');
    return {
      requestId,
      deadlineMs: Number(h['lambda-runtime-deadline-ms']),
      invokedFunctionArn: str(h['lambda-runtime-invoked-function-arn']) ?? '',
      traceId: str(h['lambda-runtime-trace-id']),
      clientContext: str(h['lambda-runtime-client-context']),
      cognitoIdentity: str(h['lambda-runtime-cognito-identity']),
      body: res.body,
    };
  }

  async response(requestId: string, body: string | Buffer): Promise<void> {
    await this.#request('POST', `/2018-06-01/runtime/invocation/${encodeURIComponent(requestId)}/response`, body);
  }

  async error(requestId: string, error: unknown): Promise<void> {
    const body = toRapidError(error);
    await this.#request('POST', `/2018-06-01/runtime/invocation/${encodeURIComponent(requestId)}/error`, JSON.stringify(body), {
      'Lambda-Runtime-Function-Error-Type': headerSafe(body.errorType),
    });
  }

  async initError(error: unknown): Promise<void> {
    const body = toRapidError(error);
    await this.#request('POST', '/2018-06-01/runtime/init/error', JSON.stringify(body), {
      'Lambda-Runtime-Function-Error-Type': headerSafe(body.errorType),
    });
  }

  #request(method: string, p: string, body?: string | Buffer, extra?: Record<string, string>): Promise<{ headers: Http.IncomingHttpHeaders; body: Buffer }> {
    return new Promise((resolve, reject) => {
      const headers: Record<string, string | number> = { ...extra };
      const payload = body === undefined ? undefined : typeof body === 'string' ? Buffer.from(body, 'utf8') : body;
      if (payload) {
        headers['Content-Type'] = 'application/json';
        headers['Content-Length'] = payload.length;
      }
      const req = this.#http.request(
        { host: this.#host, port: this.#port, path: this.#prefix + p, method, headers, agent: this.#agent },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => {
            const status = res.statusCode ?? 0;
            if (status >= 500 || (method === 'GET' && status !== 200)) {
              reject(new Error(`Runtime API ${method} ${p} answered ${status}`));
            } else {
              resolve({ headers: res.headers, body: chunks.length === 1 ? chunks[0] : Buffer.concat(chunks) });
            }
          });
          res.on('error', reject);
        },
      );
      req.on('socket', (s) => s.setNoDelay(true));
      req.on('error', reject);
      req.end(payload);
    });
  }
}

const headerSafe = (v: string): string => v.replace(/[^\x20-\x7e]/g, '');

/** The private channel: invocations arrive as 'V' frames on inFd; everything else goes out on outFd. */
class ChannelRuntimeClient implements RuntimeClient {
  readonly #in: net.Socket;
  #parts: Buffer[] = [];
  #size = 0;
  #frame: { type: string; length: number; meta: Record<string, unknown> } | undefined;
  #waiting: ((inv: Invocation) => void) | undefined;
  /** Invocations that arrived before the loop asked (the platform may answer 'N' early). */
  readonly #queued: Invocation[] = [];
  /** 'N' already went out with the last response (one write, one wake-up of the platform). */
  #nextSent = false;
  #onSpecialise: ((meta: Record<string, unknown>) => void) | undefined;

  constructor(fd: number) {
    this.#in = new net.Socket({ fd, readable: true, writable: false });
    this.#in.on('data', (chunk: Buffer) => this.#receive(chunk));
    // The platform went away: nothing more will come.
    this.#in.on('close', () => process.exit(0));
    this.#in.on('error', () => process.exit(0));
    // Only a pending next() may keep the process alive (an empty event loop ends invocations).
    this.#in.unref();
  }

  /** A cell: tells the platform it is ready, then waits for the specialise frame's metadata. */
  awaitSpecialise(): Promise<Record<string, unknown>> {
    return new Promise((resolve) => {
      this.#onSpecialise = resolve;
      this.#in.ref();
      writeFrame('N', { cell: true });
    });
  }

  next(): Promise<Invocation> {
    const sendNext = !this.#nextSent;
    this.#nextSent = false;
    const queued = this.#queued.shift();
    if (queued) return Promise.resolve(queued);
    return new Promise((resolve) => {
      this.#waiting = resolve;
      this.#in.ref();
      if (sendNext) writeFrame('N', {});
    });
  }

  // The loop always asks for the next invocation right after answering one, so the answer carries
  // the 'N' frame with it.
  async response(requestId: string, body: string | Buffer): Promise<void> {
    writeFrame('R', { id: requestId, rss: peakRss() }, typeof body === 'string' ? Buffer.from(body, 'utf8') : body, true);
    this.#nextSent = true;
  }

  async error(requestId: string, error: unknown): Promise<void> {
    const body = toRapidError(error);
    writeFrame('E', { id: requestId, type: body.errorType, rss: peakRss() }, Buffer.from(JSON.stringify(body), 'utf8'), true);
    this.#nextSent = true;
  }

  async initError(error: unknown): Promise<void> {
    const body = toRapidError(error);
    writeFrame('I', { type: body.errorType }, Buffer.from(JSON.stringify(body), 'utf8'));
  }

  #receive(chunk: Buffer): void {
    this.#parts.push(chunk);
    this.#size += chunk.length;
    for (;;) {
      let buf = this.#parts.length === 1 ? this.#parts[0] : Buffer.concat(this.#parts);
      this.#parts = [buf];
      if (!this.#frame) {
        const nl = buf.indexOf(0x0a);
        if (nl === -1) return;
        const header = buf.subarray(0, nl).toString('utf8');
        const s1 = header.indexOf(' ');
        const s2 = header.indexOf(' ', s1 + 1);
        this.#frame = { type: header.slice(0, s1), length: Number(header.slice(s1 + 1, s2)), meta: JSON.parse(header.slice(s2 + 1)) };
        buf = buf.subarray(nl + 1);
        this.#parts = [buf];
        this.#size = buf.length;
      }
      const { type, length, meta } = this.#frame;
      if (this.#size < length) return;
      const body = buf.subarray(0, length);
      const rest = buf.subarray(length);
      this.#parts = rest.length > 0 ? [rest] : [];
      this.#size = rest.length;
      this.#frame = undefined;
      if (type === 'S') {
        const specialise = this.#onSpecialise;
        this.#onSpecialise = undefined;
        this.#in.unref();
        specialise?.(meta);
        if (this.#parts.length === 0) return;
        continue;
      }
      const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);
      const inv: Invocation = {
        requestId: String(meta.id),
        deadlineMs: Number(meta.deadline),
        invokedFunctionArn: str(meta.arn) ?? '',
        traceId: str(meta.trace),
        clientContext: str(meta.cc),
        cognitoIdentity: str(meta.identity),
        body,
      };
      const waiting = this.#waiting;
      this.#waiting = undefined;
      this.#in.unref();
      if (waiting) waiting(inv);
      else this.#queued.push(inv);
      if (this.#parts.length === 0) return;
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Handler resolution, as AWS's runtime interface client does it.

/** Where the function's code is: read when the handler is loaded, not when this module is. */
const appRoot = (): string => process.env.LAMBDA_TASK_ROOT ?? '/var/task';
const runtimeDir = process.env.LAMBDA_RUNTIME_DIR ?? '/var/runtime';
// Require stacks in error messages name /var/runtime/index.mjs, as they do on AWS.
const runtimeRequire = createRequire(path.join(runtimeDir, 'index.mjs'));

function hasTypeModule(folder: string): boolean {
  for (let dir = folder; ; dir = path.dirname(dir)) {
    if (dir.endsWith('/node_modules')) return false;
    const pj = path.join(dir, 'package.json');
    if (fs.existsSync(pj)) {
      try {
        return JSON.parse(fs.readFileSync(pj, 'utf8'))?.type === 'module';
      } catch (e) {
        console.warn(`${pj} cannot be read, it will be ignored for ES module detection purposes.`, e);
        return false;
      }
    }
    if (dir === '/' || dir === path.dirname(dir)) return false;
  }
}

const tryRequire = (file: string): unknown => (fs.existsSync(file) ? runtimeRequire(file) : undefined);
const tryImport = async (file: string): Promise<unknown> => (fs.existsSync(file) ? await import(pathToFileURL(file).href) : undefined);

async function loadModule(moduleRoot: string, moduleName: string): Promise<unknown> {
  const base = path.resolve(appRoot(), moduleRoot, moduleName);
  const extensionless = tryRequire(base);
  if (extensionless) return extensionless;
  const esm = hasTypeModule(path.dirname(base));
  if (!esm) {
    const cjs = tryRequire(base + '.js');
    if (cjs) return cjs;
  }
  const loaded = (esm && (await tryImport(base + '.js'))) || (await tryImport(base + '.mjs')) || tryRequire(base + '.cjs');
  if (loaded) return loaded;
  // Not a file under the task root: resolve it like Node would (node_modules, NODE_PATH).
  return runtimeRequire(runtimeRequire.resolve(moduleName, { paths: [appRoot(), moduleRoot] }));
}

async function loadHandler(fullHandler: string): Promise<Handler> {
  if (fullHandler.includes('..')) {
    throw new RuntimeError(
      'MalformedHandlerName',
      `'${fullHandler}' is not a valid handler name. Use absolute paths when specifying root directories in handler names.`,
    );
  }
  const handlerString = path.basename(fullHandler);
  const moduleRoot = fullHandler.substring(0, fullHandler.indexOf(handlerString));
  const match = /^([^.]*)\.(.*)$/.exec(handlerString);
  if (!match) throw new RuntimeError('MalformedHandlerName', 'Bad handler');
  const [, moduleName, handlerPath] = match;

  let userModule: unknown;
  try {
    userModule = await loadModule(moduleRoot, moduleName);
  } catch (e) {
    if (e instanceof SyntaxError) throw userCodeSyntaxError(e);
    const code = (e as { code?: unknown } | null)?.code;
    if (code === 'MODULE_NOT_FOUND' || code === 'ERR_MODULE_NOT_FOUND') throw importModuleError(e);
    throw e;
  }

  const fn = handlerPath.split('.').reduce<unknown>((obj, key) => (obj as Record<string, unknown> | undefined)?.[key], userModule);
  if (!fn) throw new RuntimeError('HandlerNotFound', `${fullHandler} is undefined or not exported`);
  if (typeof fn !== 'function') throw new RuntimeError('HandlerNotFound', `${fullHandler} is not a function`);
  return fn as Handler;
}

// ---------------------------------------------------------------------------------------------
// Response streaming (awslambda.streamifyResponse). Invocations here are buffered, as AWS's
// RequestResponse Invoke of a streaming function is: the body is everything the handler wrote.

const HANDLER_STREAMING = Symbol.for('aws.lambda.runtime.handler.streaming');

class ResponseStream extends Writable {
  readonly chunks: Buffer[] = [];
  contentType: string | undefined;

  constructor() {
    super({
      write: (chunk: Buffer | string, _enc, cb) => {
        this.chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : Buffer.from(chunk));
        cb();
      },
    });
  }

  setContentType(contentType: string): void {
    this.contentType = contentType;
  }
}

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

const isStreaming = (handler: Handler): boolean => (handler as unknown as Record<symbol, unknown>)[HANDLER_STREAMING] === 'response';

// ---------------------------------------------------------------------------------------------
// The invoke loop.

const CALLBACK_REMOVED =
  'ERROR: AWS Lambda has removed support for callback-based function handlers starting with Node.js 24. You need to modify this function to use a supported handler signature to use Node.js 24 or later. For more information see https://docs.aws.amazon.com/lambda/latest/dg/nodejs-handler.html.';

function parseJsonHeader(value: string | undefined): unknown {
  if (value === undefined || value === '') return undefined;
  try {
    return JSON.parse(value);
  } catch {
    return undefined;
  }
}

class Runtime {
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
    currentRequestId = requestId;
    if (inv.traceId) process.env._X_AMZN_TRACE_ID = inv.traceId;
    else delete process.env._X_AMZN_TRACE_ID;
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
      functionName: process.env.AWS_LAMBDA_FUNCTION_NAME ?? '',
      functionVersion: process.env.AWS_LAMBDA_FUNCTION_VERSION ?? '',
      invokedFunctionArn: inv.invokedFunctionArn,
      memoryLimitInMB: process.env.AWS_LAMBDA_FUNCTION_MEMORY_SIZE ?? '',
      awsRequestId: requestId,
      logGroupName: process.env.AWS_LAMBDA_LOG_GROUP_NAME ?? '',
      logStreamName: process.env.AWS_LAMBDA_LOG_STREAM_NAME ?? '',
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
        const stream = new ResponseStream();
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

// ---------------------------------------------------------------------------------------------
// Process-level wiring.

let client: RuntimeClient | undefined;
let runtime: Runtime | undefined;

function fatal(err: unknown): void {
  try {
    process.stderr.write(`Stagecraft runtime error: ${String((err as Error)?.stack ?? err)}\n`);
  } finally {
    process.exit(1);
  }
}

/** Reports an error to the platform (as an init or an invocation error), then exits. */
function failAndExit(title: string, error: unknown, code: number): void {
  logError(title, error);
  const id = runtime?.currentRequestId;
  // Between invocations there is nobody to tell: the platform sees the exit.
  const report = !client || (runtime && !id) ? Promise.resolve() : id ? client.error(id, error) : client.initError(error);
  report.then(
    () => process.exit(code),
    () => process.exit(code),
  );
}

/** Becomes the function's process: its variables replace the generic ones before its code loads. */
function specialise(meta: Record<string, unknown>): void {
  // The platform's variables for the function; the cell's own generic ones are all among them, and
  // what the launcher added (bubblewrap's PWD) stays, as in a fresh process.
  const env = (meta.env ?? {}) as Record<string, string>;
  for (const [k, v] of Object.entries(env)) process.env[k] = String(v);
  // NODE_PATH is read at start; read it again (the platform's value, the same as a fresh process's).
  (runtimeRequire('node:module') as { _initPaths?: () => void })._initPaths?.();
  patchConsole();
}

async function main(): Promise<void> {
  patchConsole();
  process.on('uncaughtException', (error) => failAndExit('Uncaught Exception', error, 129));
  process.on('unhandledRejection', (reason) => {
    const error = new RuntimeError('UnhandledPromiseRejection', String(reason));
    failAndExit('Unhandled Promise Rejection', error, 128);
  });

  if (inFd !== undefined && outFd !== undefined) {
    const channel = new ChannelRuntimeClient(inFd);
    client = channel;
    if (isCell) specialise(await channel.awaitSpecialise());
  } else {
    const endpoint = process.env.AWS_LAMBDA_RUNTIME_API;
    if (!endpoint) throw new Error('AWS_LAMBDA_RUNTIME_API is not set');
    // Loaded only when needed: the private channel spares every cold start its cost.
    client = new HttpRuntimeClient(await import('node:http'), endpoint);
  }

  let handler: Handler;
  try {
    handler = await loadHandler(process.env._HANDLER ?? '');
    if (process.env.AWS_EXECUTION_ENV === 'AWS_Lambda_nodejs24.x' && handler.length >= 3) {
      throw new RuntimeError('CallbackHandlerDeprecated', CALLBACK_REMOVED);
    }
  } catch (error) {
    failAndExit('Uncaught Exception', error, 129);
    return;
  }
  runtime = new Runtime(client, handler);
  runtime.scheduleNext();
}

main().catch(fatal);
