// The Lambda Runtime API (2018-06-01) on a loopback listener that is not the public port.
//
// Every environment gets an unguessable path prefix: AWS_LAMBDA_RUNTIME_API is
// `127.0.0.1:<port>/<secret>`, so a request reaches only the environment that owns the secret and
// one function can neither fetch nor answer another's invocations. (Clients that build URLs as
// `http://${AWS_LAMBDA_RUNTIME_API}/2018-06-01/…`, as AWS's runtime clients do, keep working.)
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomBytes } from 'node:crypto';
import { MAX_RESPONSE_BYTES } from './aws-format.js';
import { checkRegistration, EXTENSION_EVENT_IDENTIFIER, EXTENSION_IDENTIFIER, type ExtensionAnswer, type ExtensionPoll, type ExtensionsApi } from './extensions-api.js';
import type { Poll, Refusal, RuntimeApiRequests } from './runtime-api.js';

/** What an environment does with the requests its runtime sends. */
export interface RuntimeApiHandler {
  /** GET …/invocation/next: answer when there is an invocation (long poll). */
  next(res: http.ServerResponse): void;
  /** POST …/invocation/{id}/response; `tooLarge` when the body passed AWS's limit (not kept). */
  response(requestId: string, body: Buffer, tooLarge: boolean, res: http.ServerResponse): void;
  /** Part of a streamed …/response (`Lambda-Runtime-Function-Response-Mode: streaming`), as it arrives. */
  responseChunk(requestId: string, chunk: Buffer, contentType: string | undefined): void;
  /** POST …/invocation/{id}/error */
  error(requestId: string, body: Buffer, errorType: string | undefined, res: http.ServerResponse): void;
  /** POST …/init/error */
  initError(body: Buffer, errorType: string | undefined, res: http.ServerResponse): void;
  /** The Extensions API (`/2020-01-01/extension/…`), when the environment has extensions. */
  readonly extensions: ExtensionsApi | undefined;
  /**
   * The Extensions API a registration goes to: the environment's, or, while the runtime may still
   * take internal extensions (init, before its first …/invocation/next), one made for them then, so
   * that an environment nothing registers with has none. Absent: `extensions`.
   */
  registering?(): ExtensionsApi | undefined;
}

const PREFIX = '/2018-06-01/runtime/';
const EXTENSION = '/2020-01-01/extension/';
const TELEMETRY = '/2022-07-01/telemetry';
const LOGS = '/2020-08-15/logs';
const INVOCATION = '/2018-06-01/runtime/invocation/';
/** Error and init-error bodies are small; anything beyond this is cut. */
const MAX_ERROR_BYTES = 1024 * 1024;

export function sendJson(res: http.ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(text) });
  res.end(text);
}

export const accepted = (res: http.ServerResponse): void => sendJson(res, 202, { status: 'OK' });

export const rapidError = (res: http.ServerResponse, status: number, errorType: string, errorMessage: string): void =>
  sendJson(res, status, { errorMessage, errorType });

/** Answers a runtime's POST: 202 when the environment accepted it, else its refusal. */
export function answer(res: http.ServerResponse, refusal: Refusal | undefined): void {
  if (refusal) rapidError(res, ...refusal);
  else accepted(res);
}

/** A held GET …/invocation/next: answered with the invocation's headers and payload, or refused. */
export function httpPoll(res: http.ServerResponse): Poll {
  return {
    deliver: (h, payload) => {
      const headers: http.OutgoingHttpHeaders = {
        'Content-Type': 'application/json',
        'Content-Length': payload.length,
        'Lambda-Runtime-Aws-Request-Id': headerSafe(h.requestId),
        'Lambda-Runtime-Deadline-Ms': String(h.deadlineMs),
        'Lambda-Runtime-Invoked-Function-Arn': headerSafe(h.invokedFunctionArn),
        'Lambda-Runtime-Trace-Id': h.traceId,
      };
      if (h.clientContext) headers['Lambda-Runtime-Client-Context'] = h.clientContext;
      res.writeHead(200, headers);
      res.end(payload);
    },
    refuse: (message) => (res.writableEnded ? undefined : rapidError(res, 403, 'InvalidStateTransition', message)),
  };
}

const headerSafe = (v: string): string => v.replace(/[^\x20-\x7e]/g, '');

/** An environment's Runtime API requests as both transports make them (runtime-api.ts), and what only HTTP has. */
export interface HttpRuntimeApiRequests extends RuntimeApiRequests {
  /** Part of a streamed response, as it arrives. */
  chunk(requestId: string, body: Buffer, contentType: string | undefined): void;
  /** A held …/invocation/next request's connection closed before it was answered. */
  abandoned(poll: Poll): void;
}

/** One environment's Runtime API over HTTP: each request becomes the environment's, its answer the HTTP response. */
export class HttpRuntimeApi implements RuntimeApiHandler {
  readonly #requests: HttpRuntimeApiRequests;
  readonly #extensions: { current(): ExtensionsApi | undefined; registering(): ExtensionsApi | undefined };

  /** `extensions`: the environment's Extensions API now, and the one a registration goes to (RuntimeApiHandler.registering). */
  constructor(requests: HttpRuntimeApiRequests, extensions: { current(): ExtensionsApi | undefined; registering(): ExtensionsApi | undefined }) {
    this.#requests = requests;
    this.#extensions = extensions;
  }

  get extensions(): ExtensionsApi | undefined {
    return this.#extensions.current();
  }

  registering(): ExtensionsApi | undefined {
    return this.#extensions.registering();
  }

  next(res: http.ServerResponse): void {
    const poll = httpPoll(res);
    res.once('close', () => this.#requests.abandoned(poll));
    const refusal = this.#requests.next(poll);
    if (refusal) rapidError(res, ...refusal);
  }

  response(requestId: string, body: Buffer, tooLarge: boolean, res: http.ServerResponse): void {
    answer(res, this.#requests.response(requestId, body, tooLarge));
  }

  responseChunk(requestId: string, chunk: Buffer, contentType: string | undefined): void {
    this.#requests.chunk(requestId, chunk, contentType);
  }

  error(requestId: string, body: Buffer, errorType: string | undefined, res: http.ServerResponse): void {
    answer(res, this.#requests.error(requestId, body, errorType));
  }

  initError(body: Buffer, errorType: string | undefined, res: http.ServerResponse): void {
    answer(res, this.#requests.initError(body, errorType));
  }
}

export class RuntimeApiServer {
  readonly #server: http.Server;
  readonly #handlers = new Map<string, RuntimeApiHandler>();
  #port = 0;

  constructor() {
    this.#server = http.createServer({ noDelay: true, keepAlive: true }, (req, res) => this.#route(req, res));
    // Long polls may wait for hours; only half-sent requests are cut.
    this.#server.requestTimeout = 0;
    this.#server.headersTimeout = 60_000;
    this.#server.keepAliveTimeout = 60_000;
  }

  async start(): Promise<void> {
    await new Promise<void>((resolve, reject) => {
      this.#server.once('error', reject);
      this.#server.listen(0, '127.0.0.1', () => {
        this.#server.off('error', reject);
        resolve();
      });
    });
    this.#port = (this.#server.address() as AddressInfo).port;
  }

  get port(): number {
    return this.#port;
  }

  /** Registers an environment; returns the value for its AWS_LAMBDA_RUNTIME_API. */
  register(handler: RuntimeApiHandler): { secret: string; endpoint: string } {
    const secret = randomBytes(18).toString('base64url');
    this.#handlers.set(secret, handler);
    return { secret, endpoint: `127.0.0.1:${this.#port}/${secret}` };
  }

  unregister(secret: string): void {
    this.#handlers.delete(secret);
  }

  async close(): Promise<void> {
    this.#handlers.clear();
    await new Promise<void>((resolve) => {
      this.#server.close(() => resolve());
      this.#server.closeAllConnections();
    });
  }

  #route(req: http.IncomingMessage, res: http.ServerResponse): void {
    const url = req.url ?? '';
    const slash = url.indexOf('/', 1);
    const handler = slash > 1 ? this.#handlers.get(url.slice(1, slash)) : undefined;
    if (!handler) {
      req.resume();
      rapidError(res, 403, 'AccessDeniedException', 'Unknown runtime endpoint');
      return;
    }
    const path = url.slice(slash);
    if (path.startsWith(EXTENSION)) return routeExtension(handler, path.slice(EXTENSION.length), req, res);
    if (path === TELEMETRY || path === TELEMETRY + '/' || path === LOGS || path === LOGS + '/') return routeSubscription(handler.extensions, path.startsWith(LOGS), req, res);
    if (!path.startsWith(PREFIX)) return this.#notFound(req, res);

    if (path.startsWith(INVOCATION)) {
      const rest = path.slice(INVOCATION.length);
      if (rest === 'next') {
        if (req.method !== 'GET') return this.#notFound(req, res);
        req.resume();
        handler.next(res);
        return;
      }
      if (req.method !== 'POST') return this.#notFound(req, res);
      const end = rest.lastIndexOf('/');
      const action = rest.slice(end + 1);
      let requestId: string;
      try {
        requestId = decodeURIComponent(rest.slice(0, end));
      } catch {
        return this.#notFound(req, res);
      }
      if (end <= 0) return this.#notFound(req, res);
      if (action === 'response' && headerValue(req, 'lambda-runtime-function-response-mode')?.toLowerCase() === 'streaming') {
        readStreamedResponse(req, res, requestId, handler);
        return;
      }
      if (action === 'response') {
        readBody(req, MAX_RESPONSE_BYTES, (body, tooLarge) => handler.response(requestId, body, tooLarge, res));
        return;
      }
      if (action === 'error') {
        readBody(req, MAX_ERROR_BYTES, (body) => handler.error(requestId, body, headerValue(req, 'lambda-runtime-function-error-type'), res));
        return;
      }
      return this.#notFound(req, res);
    }
    if (path === PREFIX + 'init/error' && req.method === 'POST') {
      readBody(req, MAX_ERROR_BYTES, (body) => handler.initError(body, headerValue(req, 'lambda-runtime-function-error-type'), res));
      return;
    }
    this.#notFound(req, res);
  }

  #notFound(req: http.IncomingMessage, res: http.ServerResponse): void {
    req.resume();
    rapidError(res, 404, 'NotFound', 'Unknown Runtime API path');
  }
}

/** The Extensions API's four requests. An environment without extensions has none but a registration (internal extensions). */
function routeExtension(handler: RuntimeApiHandler, rest: string, req: http.IncomingMessage, res: http.ServerResponse): void {
  const id = headerValue(req, EXTENSION_IDENTIFIER.toLowerCase());
  if (rest === 'event/next' && req.method === 'GET') {
    req.resume();
    const api = handler.extensions;
    if (!api) return sendExtensionAnswer(res, REGISTRATION_CLOSED);
    const poll = extensionPoll(res);
    const refusal = api.next(id, poll);
    if (refusal) sendExtensionAnswer(res, refusal);
    return;
  }
  if (req.method !== 'POST' || !['register', 'init/error', 'exit/error'].includes(rest)) {
    req.resume();
    return rapidError(res, 404, 'NotFound', 'Unknown Extensions API path');
  }
  readBody(req, MAX_ERROR_BYTES, (body) => {
    // Only now: the runtime may have asked for its first invocation meanwhile (registration closed).
    const api = rest === 'register' && handler.registering ? handler.registering() : handler.extensions;
    if (rest === 'register') {
      const name = headerValue(req, 'lambda-extension-name');
      if (api) return sendExtensionAnswer(res, api.register(name, body, headerValue(req, 'lambda-extension-accept-feature')));
      // No extensions, after init: any name would be internal; AWS checks the request before the closed registration.
      const checked = checkRegistration(name, body, true);
      return sendExtensionAnswer(res, 'status' in checked ? checked : REGISTRATION_CLOSED);
    }
    if (!api) return sendExtensionAnswer(res, REGISTRATION_CLOSED);
    sendExtensionAnswer(res, api.reportError(id, headerValue(req, 'lambda-extension-function-error-type'), rest === 'init/error' ? 'init' : 'exit'));
  });
}

/** The Telemetry API's (and the Logs API's) subscribe request. */
function routeSubscription(api: ExtensionsApi | undefined, logs: boolean, req: http.IncomingMessage, res: http.ServerResponse): void {
  if (req.method !== 'PUT') {
    req.resume();
    return rapidError(res, 404, 'NotFound', 'Unknown Telemetry API path');
  }
  const id = headerValue(req, EXTENSION_IDENTIFIER.toLowerCase());
  readBody(req, MAX_ERROR_BYTES, (body) => {
    if (!api) return sendExtensionAnswer(res, { status: 403, body: { errorMessage: `Unknown extension ${id ?? ''}`.trim(), errorType: 'Extension.UnknownExtensionIdentifier' } });
    sendExtensionAnswer(res, logs ? api.subscribeLogs(id) : api.subscribeTelemetry(id, body));
  });
}

const REGISTRATION_CLOSED: ExtensionAnswer = { status: 403, body: { errorMessage: 'Extension registration closed already', errorType: 'Extension.RegistrationClosed' } };

function sendExtensionAnswer(res: http.ServerResponse, a: ExtensionAnswer): void {
  if (res.writableEnded) return;
  for (const [k, v] of Object.entries(a.headers ?? {})) res.setHeader(k, v);
  if (typeof a.body !== 'string') return sendJson(res, a.status, a.body);
  res.writeHead(a.status, { 'Content-Type': 'text/plain', 'Content-Length': Buffer.byteLength(a.body) });
  res.end(a.body);
}

/** A held GET …/extension/event/next. */
function extensionPoll(res: http.ServerResponse): ExtensionPoll {
  return {
    deliver: (eventId, event) => sendExtensionAnswer(res, { status: 200, headers: { [EXTENSION_EVENT_IDENTIFIER]: eventId }, body: event }),
    refuse: (answer) => sendExtensionAnswer(res, answer),
  };
}

function headerValue(req: http.IncomingMessage, name: string): string | undefined {
  const v = req.headers[name];
  return typeof v === 'string' && v !== '' ? v : undefined;
}

/**
 * A streamed response: each part goes to the environment as it arrives; at the end, an error the
 * runtime reported in the trailers (`Lambda-Runtime-Function-Error-Type`, and
 * `Lambda-Runtime-Function-Error-Body` in base64) fails the invocation, else it succeeds.
 */
function readStreamedResponse(req: http.IncomingMessage, res: http.ServerResponse, requestId: string, handler: RuntimeApiHandler): void {
  const contentType = headerValue(req, 'content-type');
  req.on('data', (chunk: Buffer) => handler.responseChunk(requestId, chunk, contentType));
  req.on('end', () => {
    const errorType = req.trailers['lambda-runtime-function-error-type'];
    if (!errorType) return handler.response(requestId, Buffer.alloc(0), false, res);
    const body = Buffer.from(req.trailers['lambda-runtime-function-error-body'] ?? '', 'base64');
    handler.error(requestId, body, errorType, res);
  });
  req.on('error', () => {
    /* the connection died: the environment notices through its process */
  });
}

/** Reads a body up to `limit` bytes; past it, drains the rest and reports tooLarge. */
function readBody(req: http.IncomingMessage, limit: number, done: (body: Buffer, tooLarge: boolean) => void): void {
  const declared = Number(req.headers['content-length']);
  let tooLarge = Number.isFinite(declared) && declared > limit;
  const chunks: Buffer[] = [];
  let size = 0;
  req.on('data', (chunk: Buffer) => {
    if (tooLarge) return;
    size += chunk.length;
    if (size > limit) {
      tooLarge = true;
      chunks.length = 0;
      return;
    }
    chunks.push(chunk);
  });
  req.on('end', () => done(chunks.length === 1 ? chunks[0] : Buffer.concat(chunks), tooLarge));
  req.on('error', () => {
    /* the connection died: the environment notices through its process */
  });
}
