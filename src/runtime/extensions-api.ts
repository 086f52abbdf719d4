// The Lambda Extensions API (2020-01-01) as one environment serves it to its extensions:
// registration, the event/next long poll, init/error and exit/error, and which extensions are
// still busy with the event they were handed (INVOKE, SHUTDOWN). External extensions are the
// executables in /opt/extensions; any other name registering is an internal extension (code in the
// runtime process), as AWS tells them apart: it may register until the runtime asks for its first
// invocation, for INVOKE only. Transport-free: the HTTP side is in runtime-api-server.ts; the
// environment decides when init is over and when an invocation's environment is free again.
import { randomUUID } from 'node:crypto';
import { parseSubscription, TelemetryStream, type TelemetryDelivery } from './telemetry-api.js';

/** Events an extension may register for (an internal one: INVOKE only). */
export type ExtensionEventType = 'INVOKE' | 'SHUTDOWN';

/** An answer to an Extensions API request: status, headers and a JSON body. */
export interface ExtensionAnswer {
  status: number;
  headers?: Record<string, string>;
  body: unknown;
}

/** An extension waiting in …/event/next: answered with an event, or refused. */
export interface ExtensionPoll {
  deliver(eventId: string, event: unknown): void;
  refuse(answer: ExtensionAnswer): void;
}

/** What the register answer says about the function (AWS's body). */
export interface ExtensionFunctionInfo {
  functionName: string;
  functionVersion: string;
  handler: string;
  accountId: string;
}

interface Registered {
  name: string;
  id: string;
  events: Set<ExtensionEventType>;
  /** Called …/event/next and has not been handed an event since. */
  idle: boolean;
  poll: ExtensionPoll | undefined;
  /** An event handed over while the extension was not polling. */
  queued: unknown;
  error: string | undefined;
  /** Not a file in /opt/extensions: code in the runtime process. */
  internal: boolean;
}

export const EXTENSION_IDENTIFIER = 'Lambda-Extension-Identifier';
export const EXTENSION_EVENT_IDENTIFIER = 'Lambda-Extension-Event-Identifier';

const forbidden = (errorType: string, errorMessage: string): ExtensionAnswer => ({ status: 403, body: { errorMessage, errorType } });
const ACCEPTED: ExtensionAnswer = { status: 202, body: { status: 'OK' } };
/** Extensions a function may have, external and internal together (AWS: 10). */
export const MAX_EXTENSIONS = 10;

/**
 * The checks a registration passes before the environment's state matters, in the order of AWS's
 * runtime interface emulator: a name, a JSON body, known events, and for an internal extension
 * (`internal`) no SHUTDOWN. Also what an environment without extensions answers after init.
 */
export function checkRegistration(name: string | undefined, body: Buffer, internal: boolean): { name: string; events: ExtensionEventType[] } | ExtensionAnswer {
  if (!name) return forbidden('Extension.InvalidExtensionName', 'Empty extension name');
  let events: unknown;
  try {
    events = (JSON.parse(body.toString('utf8')) as { events?: unknown }).events ?? [];
  } catch (e) {
    return forbidden('InvalidRequestFormat', (e as Error).message);
  }
  if (!Array.isArray(events)) return forbidden('InvalidRequestFormat', 'events must be an array');
  for (const e of events) {
    if (e !== 'INVOKE' && e !== 'SHUTDOWN') return forbidden('Extension.InvalidEventType', `${String(e)}: invalid event type`);
  }
  if (internal && events.includes('SHUTDOWN')) return forbidden('Extension.InvalidEventType', 'SHUTDOWN: ShutdownEventNotSupportedForInternalExtension');
  return { name, events: events as ExtensionEventType[] };
}

/**
 * The extensions of one environment. `expected` are the executables found in /opt/extensions:
 * init is over for them once each has registered and called …/event/next (and so has every
 * internal extension that registered).
 */
export class ExtensionsApi {
  readonly expected: readonly string[];
  readonly #info: ExtensionFunctionInfo;
  readonly #byId = new Map<string, Registered>();
  readonly #byName = new Map<string, Registered>();
  /** Called whenever an extension becomes idle (init may be complete, an invocation's extensions done). */
  readonly #onIdle: () => void;
  /** Called once every extension expected has registered (the runtime may start). */
  readonly #onRegistered: () => void;
  #closed = false;
  /** The runtime asked for its first invocation: internal extensions may no longer register. */
  #registrationClosed = false;
  /** How many of `expected` have registered. */
  #externals = 0;
  /** The Telemetry API's subscriptions and events (telemetry-api.ts). */
  readonly telemetry: TelemetryStream;

  /** `telemetry`: how telemetry batches reach a listener in the environment (telemetry-api.ts). */
  constructor(expected: readonly string[], info: ExtensionFunctionInfo, hooks: { idle: () => void; registered: () => void }, telemetry?: TelemetryDelivery) {
    this.telemetry = new TelemetryStream(telemetry);
    this.expected = expected;
    this.#info = info;
    this.#onIdle = hooks.idle;
    this.#onRegistered = hooks.registered;
  }

  /** POST …/extension/register */
  register(name: string | undefined, body: Buffer, acceptFeature: string | undefined): ExtensionAnswer {
    const internal = name !== undefined && !this.expected.includes(name);
    const checked = checkRegistration(name, body, internal);
    if ('status' in checked) return checked;
    const { name: named, events } = checked;
    if (this.#closed || (internal && this.#registrationClosed)) return forbidden('Extension.RegistrationClosed', 'Extension registration closed already');
    if (this.#byName.has(named)) return forbidden('Extension.InvalidExtensionState', 'Extension with this name already registered');
    if (internal && this.expected.length + this.#byName.size - this.#externals >= MAX_EXTENSIONS) {
      return forbidden('Extension.TooManyExtensions', `Extension limit (${MAX_EXTENSIONS}) reached`);
    }
    const ext: Registered = { name: named, id: randomUUID(), events: new Set(events), idle: false, poll: undefined, queued: undefined, error: undefined, internal };
    this.#byId.set(ext.id, ext);
    this.#byName.set(named, ext);
    const info = this.#info;
    const answer: Record<string, string> = { functionName: info.functionName, functionVersion: info.functionVersion, handler: info.handler };
    if (acceptFeature?.split(',').some((f) => f.trim() === 'accountId')) answer.accountId = info.accountId;
    if (!internal && ++this.#externals === this.expected.length) this.#onRegistered();
    return { status: 200, headers: { [EXTENSION_IDENTIFIER]: ext.id }, body: answer };
  }

  /** GET …/extension/event/next: undefined when the poll is held (or answered at once), else the refusal. */
  next(id: string | undefined, poll: ExtensionPoll): ExtensionAnswer | undefined {
    const found = this.#find(id);
    if ('status' in found) return found;
    const ext = found;
    if (this.#closed && ext.queued === undefined) return forbidden('Extension.InvalidExtensionState', 'Environment is shutting down');
    ext.poll?.refuse(forbidden('Extension.InvalidExtensionState', 'Superseded by another event/next request'));
    ext.poll = poll;
    if (ext.queued !== undefined) {
      const event = ext.queued;
      ext.queued = undefined;
      this.#hand(ext, event);
      return undefined;
    }
    if (!ext.idle) {
      ext.idle = true;
      this.#onIdle();
    }
    return undefined;
  }

  /** POST …/extension/init/error and …/extension/exit/error */
  reportError(id: string | undefined, errorType: string | undefined, kind: 'init' | 'exit'): ExtensionAnswer {
    const found = this.#find(id);
    if ('status' in found) return found;
    if (!errorType) return forbidden('Extension.MissingHeader', 'Lambda-Extension-Function-Error-Type not found');
    found.error ??= kind === 'init' ? 'Extension.InitError' : 'Extension.ExitError';
    return ACCEPTED;
  }

  /** PUT /2022-07-01/telemetry: only a registered extension may subscribe. */
  subscribeTelemetry(id: string | undefined, body: Buffer): ExtensionAnswer {
    const found = this.#find(id);
    if ('status' in found) return found;
    const sub = parseSubscription(body);
    return 'status' in sub ? sub : this.telemetry.subscribe(found.name, sub);
  }

  /**
   * PUT /2020-08-15/logs: the Logs API, superseded by the Telemetry API, is accepted and delivers
   * nothing (as AWS's runtime interface emulator answers it): 202 with a body that says so.
   */
  subscribeLogs(id: string | undefined): ExtensionAnswer {
    const found = this.#find(id);
    if ('status' in found) return found;
    return { status: 202, body: { errorMessage: 'The Logs API is not supported here: subscribe with the Telemetry API (PUT /2022-07-01/telemetry)', errorType: 'Logs.NotSupported' } };
  }

  /** The runtime asked for its first invocation: from now on only names in /opt/extensions may register (none do, by then). */
  closeRegistration(): void {
    this.#registrationClosed = true;
  }

  /** Some internal extension registered (the runtime's part of the Shutdown phase is 500 ms then). */
  get hasInternal(): boolean {
    for (const ext of this.#byId.values()) if (ext.internal) return true;
    return false;
  }

  /** The registered extensions and the events each registered for (platform.extension events). */
  registered(): { name: string; state: 'Ready'; events: ExtensionEventType[] }[] {
    return [...this.#byId.values()].map((e) => ({ name: e.name, state: 'Ready', events: [...e.events] }));
  }

  /** What the platform calls the error an extension reported before it ended (init/error, exit/error), if it did. */
  reportedError(name: string): string | undefined {
    return this.#byName.get(name)?.error;
  }

  /** Init is over for the extensions: every one found, and every internal one, has registered and called …/event/next. */
  get initialised(): boolean {
    if (this.#externals < this.expected.length) return false;
    for (const ext of this.#byId.values()) if (!ext.idle) return false;
    return true;
  }

  /** Every registered extension has called …/event/next since its last event. */
  get idle(): boolean {
    for (const ext of this.#byId.values()) if (!ext.idle) return false;
    return true;
  }

  /** Hands an INVOKE event to every extension registered for it; returns how many got it. */
  invoke(event: { requestId: string; deadlineMs: number; invokedFunctionArn: string; traceId: string }): number {
    return this.#broadcast('INVOKE', {
      eventType: 'INVOKE',
      deadlineMs: event.deadlineMs,
      requestId: event.requestId,
      invokedFunctionArn: event.invokedFunctionArn,
      tracing: { type: 'X-Amzn-Trace-Id', value: event.traceId },
    });
  }

  /** Hands SHUTDOWN to every extension registered for it (registration closes); returns how many got it. */
  shutdown(deadlineMs: number): number {
    this.#closed = true;
    return this.#broadcast('SHUTDOWN', { eventType: 'SHUTDOWN', shutdownReason: 'spindown', deadlineMs });
  }

  /** An extension's process ended: it will call nothing any more. */
  exited(name: string): void {
    const ext = this.#byName.get(name);
    if (!ext) return;
    ext.poll = undefined;
    if (!ext.idle) {
      ext.idle = true;
      this.#onIdle();
    }
  }

  /** The environment is gone: held polls are refused. */
  close(): void {
    this.#closed = true;
    this.telemetry.close();
    for (const ext of this.#byId.values()) {
      ext.poll?.refuse(forbidden('Extension.InvalidExtensionState', 'Environment is shutting down'));
      ext.poll = undefined;
    }
  }

  /** The `EXTENSION` log lines AWS writes once init is over. */
  readyLines(): string[] {
    return [...this.#byId.values()].map((e) => `EXTENSION\tName: ${e.name}\tState: Ready\tEvents: [${[...e.events].join(',')}]`);
  }

  #broadcast(type: ExtensionEventType, event: unknown): number {
    let count = 0;
    for (const ext of this.#byId.values()) {
      if (!ext.events.has(type)) continue;
      count++;
      ext.idle = false;
      if (ext.poll) this.#hand(ext, event);
      else ext.queued = event;
    }
    return count;
  }

  #hand(ext: Registered, event: unknown): void {
    const poll = ext.poll!;
    ext.poll = undefined;
    ext.idle = false;
    poll.deliver(randomUUID(), event);
  }

  #find(id: string | undefined): Registered | ExtensionAnswer {
    if (!id) return forbidden('Extension.MissingExtensionIdentifier', 'Missing Lambda-Extension-Identifier header');
    const ext = this.#byId.get(id);
    if (!ext) return forbidden('Extension.UnknownExtensionIdentifier', `Unknown extension ${id}`);
    return ext;
  }
}
