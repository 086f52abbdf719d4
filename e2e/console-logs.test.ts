// The console's Logs view: its pure logic in console/model.js (REPORT lines, levels, version
// filters, Follow's cursor checked against `stagecraft logs --follow`'s rule) and console/api.js
// reading a function's log group and a REST stage's access log group on a real server.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { CreateAliasCommand, InvokeCommand, PublishVersionCommand, UpdateFunctionCodeCommand, waitUntilFunctionUpdatedV2 } from '@aws-sdk/client-lambda';
import { CreateDeploymentCommand, CreateRestApiCommand, UpdateStageCommand } from '@aws-sdk/client-api-gateway';
import { CreateLogGroupCommand } from '@aws-sdk/client-cloudwatch-logs';
import { repoRoot, testAccount, testRegion } from '../src/testing/server.js';
import { useServer } from '../src/testing/fixture.js';
import { createNodeFunction, putMockGet } from '../src/testing/functions.js';
import { nodeHandlerZip } from '../src/testing/zip.js';

const consoleDir = join(repoRoot, 'console');
// The console's browser modules, untyped JavaScript.
const load = (name: string): Promise<any> => import(pathToFileURL(join(consoleDir, name)).href);

const env = useServer();

const REPORT = 'REPORT RequestId: 0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0\tDuration: 12.34 ms\tBilled Duration: 13 ms\tMemory Size: 128 MB\tMax Memory Used: 64 MB\tInit Duration: 150.50 ms\n';

test('REPORT lines are parsed, platform lines de-emphasised, levels read, markup kept as text', async () => {
  const m = await load('model.js');
  assert.deepEqual(m.parseReport(REPORT), {
    requestId: '0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0', durationMs: 12.34, billedDurationMs: 13, memorySizeMb: 128, maxMemoryUsedMb: 64, initDurationMs: 150.5,
  });
  assert.equal(m.parseReport('REPORT RequestId: x\tDuration: 3000.00 ms\tBilled Duration: 3000 ms\tMemory Size: 128 MB\tMax Memory Used: 40 MB\tStatus: timeout').status, 'timeout');
  const json = JSON.stringify({ time: '2024-05-01T12:00:00.000Z', type: 'platform.report', record: { requestId: 'r1', metrics: { durationMs: 2.5, billedDurationMs: 3, memorySizeMB: 256, maxMemoryUsedMB: 70 }, status: 'success' } });
  assert.deepEqual(m.parseReport(json), { requestId: 'r1', durationMs: 2.5, billedDurationMs: 3, memorySizeMb: 256, maxMemoryUsedMb: 70 });
  assert.equal(m.parseReport('START RequestId: r1 Version: $LATEST'), undefined);
  assert.equal(m.parseReport('{"level":"INFO"}'), undefined);
  assert.equal(m.describeReport(m.parseReport(REPORT)), '12.34 ms · 64/128 MB · init 150.5 ms');

  const at = (message: string, stream = '2024/05/01/[3]0123456789abcdef0123456789abcdef') => m.logEventView({ timestamp: 1714564800000, message, logStreamName: stream, eventId: 'e1' });
  assert.deepEqual([at(REPORT).kind, at(REPORT).report.durationMs, at(REPORT).version, at(REPORT).time], ['platform', 12.34, '3', '2024-05-01T12:00:00.000Z']);
  assert.equal(at('START RequestId: r1 Version: 3\n').kind, 'platform');
  assert.equal(at('END RequestId: r1\n').kind, 'platform');
  assert.equal(at(JSON.stringify({ time: 't', type: 'platform.start', record: {} })).kind, 'platform');
  assert.deepEqual([at('{"timestamp":"t","level":"ERROR","requestId":"r","message":"boom"}').level, at('{"level":"warn","message":"w"}').level], ['ERROR', 'WARN']);
  assert.equal(at('2024-05-01T12:00:00.000Z\tr1\tERROR\tInvoke Error\n').level, 'ERROR');
  assert.deepEqual([at('plain text').kind, at('plain text').level, at('{not json').level], ['app', '', '']);
  // Untrusted output stays the exact text, to be shown as a text node.
  const script = at('<script>alert(1)</script><img src=x onerror=alert(2)>\n');
  assert.equal(script.message, '<script>alert(1)</script><img src=x onerror=alert(2)>');
});

test('no console module renders HTML from strings', () => {
  for (const file of readdirSync(consoleDir).filter((f) => f.endsWith('.js'))) {
    const source = readFileSync(join(consoleDir, file), 'utf8');
    assert.doesNotMatch(source, /\.(innerHTML|outerHTML)\b|insertAdjacentHTML|document\.write|DOMParser|createContextualFragment/, file);
  }
});

test('version and alias filters, log group ARNs, time ranges', async () => {
  const m = await load('model.js');
  assert.equal(m.streamVersion('2024/05/01/[$LATEST]abc'), '$LATEST');
  assert.equal(m.streamVersion('2024/05/01/[12]abc'), '12');
  assert.equal(m.streamVersion('abc123/access'), undefined);
  assert.equal(m.versionsOfQualifier(''), undefined);
  assert.deepEqual(m.versionsOfQualifier('3'), ['3']);
  assert.deepEqual(m.versionsOfQualifier('live', { Name: 'live', FunctionVersion: '1' }), ['1']);
  assert.deepEqual(m.versionsOfQualifier('live', { Name: 'live', FunctionVersion: '1', RoutingConfig: { AdditionalVersionWeights: { 2: 0.1 } } }), ['1', '2']);
  const keep = m.streamFilter(['1', '2']);
  assert.deepEqual(['2024/05/01/[1]a', '2024/05/02/[2]b', '2024/05/01/[$LATEST]c', '2024/05/01/[12]d', 'other'].map(keep), [true, true, false, false, false]);
  assert.equal(m.streamFilter(undefined)('anything'), true);
  assert.equal(m.logGroupOfArn('arn:aws:logs:us-east-1:000000000000:log-group:API-Gateway-Access/prod:*'), 'API-Gateway-Access/prod');
  assert.equal(m.logGroupOfArn('arn:aws:logs:us-east-1:000000000000:log-group:/aws/apigw/x'), '/aws/apigw/x');
  assert.equal(m.logGroupOfArn(''), undefined);
  assert.equal(m.rangeStart('5m', 1_000_000), 700_000);
  assert.equal(m.rangeStart('24h', 100_000_000), 13_600_000);
  assert.throws(() => m.rangeStart('2w'), (e: any) => e.name === 'ConsoleError');
});

test('Follow shows each event once, as `stagecraft logs --follow` does', async () => {
  const m = await load('model.js');
  const ev = (timestamp: number, eventId: string) => ({ timestamp, eventId, message: eventId });
  let cursor = m.followCursor(100);
  // First poll: everything from 100 on.
  let out = m.advanceFollow(cursor, [ev(100, 'a'), ev(105, 'b'), ev(105, 'c')]);
  assert.deepEqual(out.fresh.map((e: any) => e.eventId), ['a', 'b', 'c']);
  assert.deepEqual(out.cursor, { since: 105, seenAtEdge: ['b', 'c'] });
  cursor = out.cursor;
  // startTime is inclusive: b and c come back, with a new event at the same millisecond and a later one.
  out = m.advanceFollow(cursor, [ev(105, 'b'), ev(105, 'c'), ev(105, 'd')]);
  assert.deepEqual(out.fresh.map((e: any) => e.eventId), ['d']);
  assert.deepEqual(out.cursor.since, 105);
  assert.deepEqual([...out.cursor.seenAtEdge].sort(), ['b', 'c', 'd']);
  cursor = out.cursor;
  out = m.advanceFollow(cursor, [ev(105, 'b'), ev(105, 'c'), ev(105, 'd'), ev(110, 'e')]);
  assert.deepEqual(out.fresh.map((e: any) => e.eventId), ['e']);
  assert.deepEqual(out.cursor, { since: 110, seenAtEdge: ['e'] });
  // Nothing new: nothing shown, the cursor stays.
  const quiet = m.advanceFollow(out.cursor, []);
  assert.deepEqual([quiet.fresh, quiet.cursor], [[], out.cursor]);
  // An older page (Load more while following) does not move the cursor back.
  assert.deepEqual(m.advanceFollow(out.cursor, [ev(101, 'x')]).cursor, out.cursor);
});

const saying = (word: string) => `exports.handler = async (event) => {
  console.log('${word} says', event.n);
  if (event.fail) console.log('ERROR something broke', event.n);
  return '${word}';
};\n`;

async function invoke(fn: string, qualifier: string | undefined, payload: object): Promise<void> {
  const out = await env.lambda.send(new InvokeCommand({ FunctionName: fn, Qualifier: qualifier, Payload: Buffer.from(JSON.stringify(payload)) }));
  assert.equal(out.StatusCode, 200);
}

test('api.js reads a function’s log: order, filter pattern, versions and aliases, pages, Follow', { timeout: 90_000 }, async () => {
  const { createClient } = await load('api.js');
  const m = await load('model.js');
  const c = createClient({ baseUrl: env.url });
  const fn = 'console-logs';
  await createNodeFunction(env.lambda, fn, saying('one'));
  await env.lambda.send(new PublishVersionCommand({ FunctionName: fn }));
  await env.lambda.send(new UpdateFunctionCodeCommand({ FunctionName: fn, ZipFile: await nodeHandlerZip(saying('two')) }));
  await waitUntilFunctionUpdatedV2({ client: env.lambda, maxWaitTime: 30 }, { FunctionName: fn });
  await env.lambda.send(new PublishVersionCommand({ FunctionName: fn }));
  await env.lambda.send(new UpdateFunctionCodeCommand({ FunctionName: fn, ZipFile: await nodeHandlerZip(saying('latest')) }));
  await waitUntilFunctionUpdatedV2({ client: env.lambda, maxWaitTime: 30 }, { FunctionName: fn });
  await env.lambda.send(new CreateAliasCommand({ FunctionName: fn, Name: 'live', FunctionVersion: '1', RoutingConfig: { AdditionalVersionWeights: { 2: 0.5 } } }));
  const startTime = Date.now() - 1000;

  assert.equal(await c.functionLogGroup(fn), `/aws/lambda/${fn}`);
  const group = await c.functionLogGroup(fn);
  const empty = await c.readLogs({ group, startTime });
  assert.deepEqual([empty.events, empty.missing], [[], true]);

  await invoke(fn, '1', { n: 1 });
  await invoke(fn, '2', { n: 2, fail: true });
  await invoke(fn, undefined, { n: 3 });
  await invoke(fn, '1', { n: 4 });

  const all = await c.readLogs({ group, startTime });
  assert.equal(all.missing, false);
  const said = all.events.map((e: any) => e.message).filter((t: string) => /says/.test(t)).map((t: string) => /(\w+) says (\d)/.exec(t)!.slice(1).join(' '));
  assert.deepEqual(said, ['one 1', 'two 2', 'latest 3', 'one 4'], 'oldest first, across streams');
  const times = all.events.map((e: any) => e.timestamp);
  assert.deepEqual(times, [...times].sort((a, b) => a - b));
  const rows = all.events.map(m.logEventView);
  assert.equal(rows.filter((r: any) => r.report).length, 4);
  assert.ok(rows.filter((r: any) => r.report).every((r: any) => r.kind === 'platform' && r.report.memorySizeMb === 128 && r.report.durationMs >= 0));
  assert.ok(rows.some((r: any) => r.kind === 'platform' && r.message.startsWith('START RequestId:')));
  assert.ok(rows.filter((r: any) => /says/.test(r.message)).every((r: any) => r.kind === 'app' && r.level === 'INFO'));

  // The filter pattern is CloudWatch's.
  const errors = await c.readLogs({ group, startTime, filterPattern: 'ERROR' });
  assert.deepEqual(errors.events.map((e: any) => /ERROR something broke \d/.exec(e.message)?.[0]), ['ERROR something broke 2']);
  const reports = await c.readLogs({ group, startTime, filterPattern: '"Max Memory Used"' });
  assert.equal(reports.events.length, 4);
  await assert.rejects(c.readLogs({ group, startTime, filterPattern: '{ $.level = ' }), (e: any) => e.type === 'InvalidParameterException');

  // Versions: a version's streams only; an alias covers the versions it sends traffic to.
  const saidBy = async (qualifier: string) => {
    const page = await c.readLogs({ group, startTime, versions: await c.logVersions(fn, qualifier) });
    return page.events.map((e: any) => /(\w+) says (\d)/.exec(e.message)?.slice(1).join(' ')).filter(Boolean);
  };
  assert.deepEqual(await saidBy('1'), ['one 1', 'one 4']);
  assert.deepEqual(await saidBy('$LATEST'), ['latest 3']);
  assert.deepEqual(await c.logVersions(fn, 'live'), ['1', '2']);
  assert.deepEqual(await saidBy('live'), ['one 1', 'two 2', 'one 4']);
  assert.deepEqual(await saidBy(''), ['one 1', 'two 2', 'latest 3', 'one 4']);
  await assert.rejects(c.logVersions(fn, 'nope'), (e: any) => e.type === 'ResourceNotFoundException');

  // Pages: "Load more" follows nextToken to the same events.
  const paged: any[] = [];
  let nextToken: string | undefined;
  let pages = 0;
  do {
    const page: any = await c.readLogs({ group, startTime, nextToken, limit: 3 });
    paged.push(...page.events);
    nextToken = page.nextToken;
    pages++;
  } while (nextToken);
  assert.ok(pages > 2, `${pages} pages`);
  assert.deepEqual(paged.map((e: any) => e.eventId), all.events.map((e: any) => e.eventId));

  // Follow: from the newest event shown, only what is new.
  let cursor = m.advanceFollow(m.followCursor(startTime), all.events).cursor;
  const nothing = await c.followLogs({ group, cursor });
  assert.deepEqual(nothing.fresh, []);
  await invoke(fn, '2', { n: 5 });
  const next = await c.followLogs({ group, cursor: nothing.cursor, versions: ['2'] });
  assert.ok(next.fresh.some((e: any) => /two says 5/.test(e.message)), next.fresh.map((e: any) => e.message).join(''));
  assert.ok(next.fresh.every((e: any) => m.streamVersion(e.logStreamName) === '2'));
  cursor = next.cursor;
  assert.deepEqual((await c.followLogs({ group, cursor })).fresh, []);
});

test('api.js reads a function’s own LoggingConfig log group, JSON records with their level', { timeout: 60_000 }, async () => {
  const { createClient } = await load('api.js');
  const m = await load('model.js');
  const c = createClient({ baseUrl: env.url });
  const fn = 'console-logs-json';
  const group = '/custom/console-logs-json';
  await createNodeFunction(env.lambda, fn, 'exports.handler = async () => { console.info("fine"); console.error("<b>bad</b>"); return 1; };\n',
    { LoggingConfig: { LogFormat: 'JSON', LogGroup: group } });
  assert.equal(await c.functionLogGroup(fn), group);
  const startTime = Date.now() - 1000;
  await invoke(fn, undefined, {});
  const rows = (await c.readLogs({ group, startTime })).events.map(m.logEventView);
  assert.deepEqual(rows.filter((r: any) => r.kind === 'app').map((r: any) => [r.level, JSON.parse(r.message).message]), [['INFO', 'fine'], ['ERROR', '<b>bad</b>']]);
  const report = rows.find((r: any) => r.report);
  assert.ok(report && report.kind === 'platform' && report.report.memorySizeMb === 128, JSON.stringify(rows));
  const errors = await c.readLogs({ group, startTime, filterPattern: '{ $.level = "ERROR" }' });
  assert.equal(errors.events.length, 1);
});

test('api.js reads a REST stage’s access log group', { timeout: 60_000 }, async () => {
  const { createClient } = await load('api.js');
  const m = await load('model.js');
  const c = createClient({ baseUrl: env.url });
  const api = await env.apigw.send(new CreateRestApiCommand({ name: 'console-logs-api' }));
  await putMockGet(env.apigw, api.id!, 'hello');
  await env.apigw.send(new CreateDeploymentCommand({ restApiId: api.id!, stageName: 'prod' }));
  const group = 'console-access-logs';
  await env.logs.send(new CreateLogGroupCommand({ logGroupName: group }));
  await env.apigw.send(new UpdateStageCommand({
    restApiId: api.id!, stageName: 'prod', patchOperations: [
      { op: 'replace', path: '/accessLogSettings/destinationArn', value: `arn:aws:logs:${testRegion}:${testAccount}:log-group:${group}` },
      { op: 'replace', path: '/accessLogSettings/format', value: '{"requestId":"$context.requestId","status":"$context.status","path":"$context.path"}' },
    ],
  }));
  const [stage] = (await c.loadRestApi(api)).stages;
  const view = m.apiView(api, [stage], { protocol: 'http:', host: 'localhost', port: '' });
  assert.equal(m.logGroupOfArn(view.stages[0].accessLog), group);

  const startTime = Date.now() - 1000;
  for (const path of ['hello', 'missing']) await fetch(`${env.url}/restapis/${api.id}/prod/_user_request_/${path}`);
  let events: any[] = [];
  for (let attempt = 0; attempt < 100 && events.length < 2; attempt++) {
    events = (await c.readLogs({ group, startTime })).events;
    if (events.length < 2) await new Promise((r) => setTimeout(r, 50));
  }
  assert.deepEqual(events.map((e: any) => [JSON.parse(e.message).path, JSON.parse(e.message).status]), [['/prod/hello', '200'], ['/prod/missing', '403']]);
  const notFound = await c.readLogs({ group, startTime, filterPattern: '{ $.status = "403" }' });
  assert.equal(notFound.events.length, 1);
});

/** Just enough of a DOM for the Logs panel: elements, text nodes, events. */
function fakeDom(): void {
  class Node {
    parent?: Element;
    get isConnected(): boolean { return this.parent ? this.parent.isConnected : false; }
  }
  class Text extends Node {
    constructor(public data: string) { super(); }
    get textContent(): string { return this.data; }
  }
  class Element extends Node {
    children: Node[] = [];
    listeners: Record<string, Array<(ev: any) => void>> = {};
    attributes: Record<string, string> = {};
    className = ''; hidden = false; disabled = false; checked = false; open = false; type = ''; placeholder = ''; size = 0; selected = false; title = '';
    connected = false;
    #value = '';
    constructor(public tagName: string) { super(); }
    /** A select's value is its selected option's (else its first's), as in a browser. */
    get value(): string {
      if (this.tagName !== 'select') return this.#value;
      const options = this.children as Element[];
      return (options.find((o) => o.selected) ?? options[0])?.value ?? '';
    }
    set value(v: string) { this.#value = v; }
    override get isConnected(): boolean { return this.connected || super.isConnected; }
    append(...nodes: Node[]): void { for (const n of nodes) { n.parent = this; this.children.push(n); } }
    replaceChildren(...nodes: Node[]): void { this.children = []; this.append(...nodes); }
    get childElementCount(): number { return this.children.filter((c) => c instanceof Element).length; }
    get lastElementChild(): Element | undefined { return this.children.filter((c): c is Element => c instanceof Element).at(-1); }
    get textContent(): string { return this.children.map((c: any) => c.textContent).join(''); }
    set textContent(t: string) { this.replaceChildren(new Text(t)); }
    setAttribute(k: string, v: string): void { this.attributes[k] = v; }
    addEventListener(ev: string, fn: (ev: any) => void): void { (this.listeners[ev] ??= []).push(fn); }
    dispatch(ev: string): void { for (const fn of this.listeners[ev] ?? []) fn({ preventDefault() {} }); }
    scrollIntoView(): void {}
    all(): Element[] { return [this, ...this.children.filter((c): c is Element => c instanceof Element).flatMap((c) => c.all())]; }
  }
  Object.assign(globalThis, {
    Node,
    document: { createElement: (tag: string) => new Element(tag), createTextNode: (t: string) => new Text(t) },
  });
}

test('the Logs panel shows a function’s lines as text, never as markup', { timeout: 60_000 }, async () => {
  fakeDom();
  const { createClient } = await load('api.js');
  const { logsPanel } = await load('logs-panel.js');
  const c = createClient({ baseUrl: env.url });
  const fn = 'console-logs-markup';
  await createNodeFunction(env.lambda, fn, 'exports.handler = async () => { console.log("<script>alert(1)</script>"); return 1; };\n');
  await invoke(fn, undefined, {});
  const panel = logsPanel(c, { group: () => c.functionLogGroup(fn), functionName: fn, qualifiers: ['$LATEST'] }).details;
  panel.connected = true;
  panel.open = true;
  panel.dispatch('toggle');
  const lines = panel.all().find((e: any) => e.className === 'log-lines');
  for (let i = 0; i < 100 && lines.childElementCount === 0; i++) await new Promise((r) => setTimeout(r, 20));
  const status = panel.all().find((e: any) => e.className === 'muted' && e.tagName === 'div');
  assert.match(status.textContent, /\/aws\/lambda\/console-logs-markup · \d+ event/);
  const shown = lines.children.map((l: any) => l.textContent).join('\n');
  assert.match(shown, /<script>alert\(1\)<\/script>/);
  assert.match(shown, /REPORT RequestId: .* · \d+\/128 MB/);
  assert.ok(!panel.all().some((e: any) => e.tagName === 'script'), 'no element made from the line');
  const scriptLine = lines.children.find((l: any) => /<script>/.test(l.textContent));
  assert.ok(scriptLine.children.some((t: any) => !(t.tagName) && t.data.includes('<script>alert(1)</script>')), 'the line is one text node');
  assert.match(scriptLine.className, /\bapp\b/);
  assert.match(lines.children.find((l: any) => /^.*REPORT/.test(l.textContent)).className, /platform/);
  panel.open = false;
  panel.dispatch('toggle');
});
