// The Extensions API's requests over HTTP, as the runtime listener serves them: registration and
// its refusals, internal extensions (names not in /opt/extensions, until the runtime's first
// …/invocation/next, INVOKE only), event/next (held until an event, refusals for a missing or
// unknown identifier), init/error and exit/error, and an environment without extensions.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { ExtensionsApi } from './extensions-api.js';
import { RuntimeApiServer, type RuntimeApiHandler } from './runtime-api-server.js';

const server = new RuntimeApiServer();
before(() => server.start());
after(() => server.close());

const INFO = { functionName: 'fn', functionVersion: '$LATEST', handler: 'index.handler', accountId: '123456789012' };

/** An environment stand-in whose only part is its Extensions API. */
function endpointFor(extensions: ExtensionsApi | undefined, registering?: () => ExtensionsApi | undefined): string {
  const unused = (): never => {
    throw new Error('not a Runtime API test');
  };
  const handler: RuntimeApiHandler = { next: unused, response: unused, responseChunk: unused, error: unused, initError: unused, extensions, registering };
  return `http://${server.register(handler).endpoint}/2020-01-01/extension`;
}

async function register(base: string, name: string | undefined, events: unknown = ['INVOKE', 'SHUTDOWN'], feature?: string): Promise<Response> {
  const headers: Record<string, string> = {};
  if (name !== undefined) headers['Lambda-Extension-Name'] = name;
  if (feature) headers['Lambda-Extension-Accept-Feature'] = feature;
  return fetch(`${base}/register`, { method: 'POST', headers, body: JSON.stringify({ events }) });
}

const next = (base: string, id?: string): Promise<Response> => fetch(`${base}/event/next`, { headers: id ? { 'Lambda-Extension-Identifier': id } : {} });

describe('Extensions API', () => {
  it('registers the extensions found in /opt/extensions, answering with the function and, when asked, the account', async () => {
    let registered = 0;
    const api = new ExtensionsApi(['a', 'b'], INFO, { idle: () => {}, registered: () => registered++ });
    const base = endpointFor(api);
    const a = await register(base, 'a');
    assert.equal(a.status, 200);
    assert.match(a.headers.get('lambda-extension-identifier')!, /^[0-9a-f-]{36}$/);
    assert.deepEqual(await a.json(), { functionName: 'fn', functionVersion: '$LATEST', handler: 'index.handler' });
    assert.equal(registered, 0);
    const b = await register(base, 'b', ['INVOKE'], 'accountId');
    assert.deepEqual(await b.json(), { ...INFO });
    assert.equal(registered, 1, 'once every extension has registered, the runtime may start');

    const refusals = [
      [await register(base, undefined), 'Extension.InvalidExtensionName', 'Empty extension name'],
      [await register(base, 'c', ['INVOKE', 'BOGUS']), 'Extension.InvalidEventType', 'BOGUS: invalid event type'],
      [await register(base, 'a'), 'Extension.InvalidExtensionState', 'Extension with this name already registered'],
    ] as const;
    for (const [res, errorType, errorMessage] of refusals) {
      assert.equal(res.status, 403);
      assert.deepEqual(await res.json(), { errorMessage, errorType });
    }
    const notJson = await fetch(`${base}/register`, { method: 'POST', headers: { 'Lambda-Extension-Name': 'b' }, body: '{' });
    assert.equal(notJson.status, 403);
    assert.equal(((await notJson.json()) as { errorType: string }).errorType, 'InvalidRequestFormat');
  });

  it('takes internal extensions (other names) until the runtime asks for its first invocation, for INVOKE only, up to 10 in all', async () => {
    let registered = 0;
    const api = new ExtensionsApi(['a'], INFO, { idle: () => {}, registered: () => registered++ });
    const base = endpointFor(api);
    assert.equal((await register(base, 'a')).status, 200);
    assert.equal(api.hasInternal, false);
    const shutdown = await register(base, 'inside', ['INVOKE', 'SHUTDOWN']);
    assert.equal(shutdown.status, 403);
    assert.deepEqual(await shutdown.json(), { errorMessage: 'SHUTDOWN: ShutdownEventNotSupportedForInternalExtension', errorType: 'Extension.InvalidEventType' });
    const inside = await register(base, 'inside', ['INVOKE'], 'accountId');
    assert.equal(inside.status, 200);
    assert.deepEqual(await inside.json(), INFO);
    assert.equal(registered, 1, "the runtime's go-ahead counts the external extensions only");
    assert.equal(api.hasInternal, true);
    assert.deepEqual(api.registered(), [
      { name: 'a', state: 'Ready', events: ['INVOKE', 'SHUTDOWN'] },
      { name: 'inside', state: 'Ready', events: ['INVOKE'] },
    ]);
    assert.equal(((await (await register(base, 'inside', ['INVOKE'])).json()) as { errorType: string }).errorType, 'Extension.InvalidExtensionState');
    for (let i = 0; i < 8; i++) assert.equal((await register(base, `more-${i}`, [])).status, 200);
    const eleventh = await register(base, 'eleventh', []);
    assert.equal(eleventh.status, 403);
    assert.deepEqual(await eleventh.json(), { errorMessage: 'Extension limit (10) reached', errorType: 'Extension.TooManyExtensions' });

    // Init waits for the internal extensions' event/next too; INVOKE reaches them.
    const fresh = new ExtensionsApi([], INFO, { idle: () => {}, registered: () => {} });
    const freshBase = endpointFor(fresh);
    const insideId = (await register(freshBase, 'inside', ['INVOKE'])).headers.get('lambda-extension-identifier')!;
    assert.equal(fresh.initialised, false);
    const held = next(freshBase, insideId);
    for (let i = 0; i < 50 && !fresh.initialised; i++) await new Promise((r) => setTimeout(r, 10));
    assert.equal(fresh.initialised, true);
    fresh.closeRegistration();
    const late = await register(freshBase, 'late', ['INVOKE']);
    assert.equal(late.status, 403);
    assert.deepEqual(await late.json(), { errorMessage: 'Extension registration closed already', errorType: 'Extension.RegistrationClosed' });
    assert.equal(fresh.invoke({ requestId: 'req-9', deadlineMs: 1, invokedFunctionArn: 'arn:x', traceId: 'Root=1' }), 1);
    assert.equal(((await (await held).json()) as { requestId: string }).requestId, 'req-9');
    assert.equal(fresh.idle, false, 'busy until it calls event/next again');
  });

  it('holds event/next until an event; init is over once every extension has polled', async () => {
    let idleCalls = 0;
    const api = new ExtensionsApi(['a'], INFO, { idle: () => idleCalls++, registered: () => {} });
    const base = endpointFor(api);
    const id = (await register(base, 'a')).headers.get('lambda-extension-identifier')!;
    assert.equal(api.initialised, false);

    const missing = await next(base);
    assert.equal(missing.status, 403);
    assert.deepEqual(await missing.json(), { errorMessage: 'Missing Lambda-Extension-Identifier header', errorType: 'Extension.MissingExtensionIdentifier' });
    const unknown = await next(base, '00000000-0000-0000-0000-000000000000');
    assert.equal(((await unknown.json()) as { errorType: string }).errorType, 'Extension.UnknownExtensionIdentifier');

    const held = next(base, id);
    for (let i = 0; i < 50 && !api.initialised; i++) await new Promise((r) => setTimeout(r, 10));
    assert.equal(api.initialised, true);
    assert.equal(idleCalls, 1);
    assert.equal(api.invoke({ requestId: 'req-1', deadlineMs: 1234, invokedFunctionArn: 'arn:x', traceId: 'Root=1-2-3' }), 1);
    assert.equal(api.idle, false);
    const res = await held;
    assert.equal(res.status, 200);
    assert.match(res.headers.get('lambda-extension-event-identifier')!, /^[0-9a-f-]{36}$/);
    assert.deepEqual(await res.json(), {
      eventType: 'INVOKE',
      deadlineMs: 1234,
      requestId: 'req-1',
      invokedFunctionArn: 'arn:x',
      tracing: { type: 'X-Amzn-Trace-Id', value: 'Root=1-2-3' },
    });

    // SHUTDOWN sent while the extension is busy waits for its next poll.
    assert.equal(api.shutdown(99), 1);
    const shutdown = await next(base, id);
    assert.deepEqual(await shutdown.json(), { eventType: 'SHUTDOWN', shutdownReason: 'spindown', deadlineMs: 99 });
  });

  it('takes init/error and exit/error with an error type header (202)', async () => {
    const api = new ExtensionsApi(['a'], INFO, { idle: () => {}, registered: () => {} });
    const base = endpointFor(api);
    const id = (await register(base, 'a')).headers.get('lambda-extension-identifier')!;
    const noType = await fetch(`${base}/init/error`, { method: 'POST', headers: { 'Lambda-Extension-Identifier': id }, body: '{}' });
    assert.equal(noType.status, 403);
    assert.deepEqual(await noType.json(), { errorMessage: 'Lambda-Extension-Function-Error-Type not found', errorType: 'Extension.MissingHeader' });
    const ok = await fetch(`${base}/init/error`, { method: 'POST', headers: { 'Lambda-Extension-Identifier': id, 'Lambda-Extension-Function-Error-Type': 'Extension.Boom' }, body: '{}' });
    assert.equal(ok.status, 202);
    assert.deepEqual(await ok.json(), { status: 'OK' });
    assert.equal(api.reportedError('a'), 'Extension.InitError');
    const exit = await fetch(`${base}/exit/error`, { method: 'POST', headers: { 'Lambda-Extension-Identifier': id, 'Lambda-Extension-Function-Error-Type': 'X' } });
    assert.equal(exit.status, 202);
    assert.equal(api.reportedError('a'), 'Extension.InitError', 'the first error reported counts');
  });

  it("an environment without extensions after init: registration closed (after the request's own checks); unknown paths are 404", async () => {
    const base = endpointFor(undefined);
    const res = await register(base, 'late', ['INVOKE']);
    assert.equal(res.status, 403);
    assert.deepEqual(await res.json(), { errorMessage: 'Extension registration closed already', errorType: 'Extension.RegistrationClosed' });
    const shutdown = await register(base, 'late', ['SHUTDOWN']);
    assert.deepEqual(await shutdown.json(), { errorMessage: 'SHUTDOWN: ShutdownEventNotSupportedForInternalExtension', errorType: 'Extension.InvalidEventType' });
    assert.equal(((await (await register(base, undefined)).json()) as { errorType: string }).errorType, 'Extension.InvalidExtensionName');
    assert.equal((await fetch(`${base}/bogus`, { method: 'POST' })).status, 404);
  });

  it('an environment without extensions makes its Extensions API only for a registration (internal extensions)', async () => {
    let made: ExtensionsApi | undefined;
    const base = endpointFor(undefined, () => (made ??= new ExtensionsApi([], INFO, { idle: () => {}, registered: () => {} })));
    assert.equal(made, undefined);
    const res = await register(base, 'inside', ['INVOKE']);
    assert.equal(res.status, 200);
    assert.deepEqual((made as ExtensionsApi | undefined)?.registered(), [{ name: 'inside', state: 'Ready', events: ['INVOKE'] }]);
  });
});
