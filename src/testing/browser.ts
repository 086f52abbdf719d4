// Test support: a headless Chromium driven over the Chrome DevTools Protocol (one WebSocket, flat
// sessions), enough for end-to-end tests of the web console: open a page, run code in it, poll for
// what it shows, and collect what it reports (exceptions, console errors).
import { spawn, type ChildProcess } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import WebSocket from 'ws';

const LAUNCH_TIMEOUT_MS = 20_000;
const CALL_TIMEOUT_MS = 15_000;
const POLL_INTERVAL_MS = 50;
const CLOSE_TIMEOUT_MS = 5_000;

/** The Chromium executable on PATH (Debian's `chromium`, or the other usual names), if any. */
export function findChromium(): string | undefined {
  for (const name of ['chromium', 'chromium-browser', 'google-chrome']) {
    for (const dir of (process.env.PATH ?? '').split(delimiter).filter(Boolean)) {
      const candidate = join(dir, name);
      try {
        accessSync(candidate, constants.X_OK);
        return candidate;
      } catch {
        // not here
      }
    }
  }
  return undefined;
}

type Truthy<T> = Exclude<T, undefined | null | false | '' | 0>;
interface Pending { resolve: (result: any) => void; reject: (e: Error) => void }
type EventListener = (params: any, sessionId: string | undefined) => void;

/** A running headless Chromium with its own temporary profile. */
export class Browser {
  readonly #process: ChildProcess;
  readonly #profile: string;
  readonly #socket: WebSocket;
  readonly #pending = new Map<number, Pending>();
  readonly #listeners = new Map<string, Set<EventListener>>();
  #nextId = 1;

  private constructor(process: ChildProcess, profile: string, socket: WebSocket) {
    this.#process = process;
    this.#profile = profile;
    this.#socket = socket;
    socket.on('message', (data) => this.#receive(JSON.parse(String(data))));
    socket.on('close', () => this.#failAll(new Error('the DevTools connection closed')));
  }

  static async launch(executable: string): Promise<Browser> {
    const profile = await mkdtemp(join(tmpdir(), 'stagecraft-chromium-'));
    const args = ['--headless=new', '--no-sandbox', '--disable-gpu', '--remote-debugging-port=0', `--user-data-dir=${profile}`,
      '--no-first-run', '--no-default-browser-check', '--disable-extensions', '--disable-background-networking', 'about:blank'];
    // Its own process group, so stopping it also stops its renderer and helper processes.
    const child = spawn(executable, args, { detached: true, stdio: ['ignore', 'ignore', 'pipe'] });
    try {
      const url = await devToolsUrl(child);
      const socket = new WebSocket(url, { perMessageDeflate: false });
      await new Promise<void>((resolve, reject) => { socket.once('open', resolve); socket.once('error', reject); });
      return new Browser(child, profile, socket);
    } catch (e) {
      killGroup(child);
      await rm(profile, { recursive: true, force: true });
      throw e;
    }
  }

  /** Sends a DevTools command (to a page when `sessionId`) and resolves with its result. */
  send(method: string, params: object = {}, sessionId?: string): Promise<any> {
    const id = this.#nextId++;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.#pending.delete(id);
        reject(new Error(`${method}: no answer within ${CALL_TIMEOUT_MS} ms`));
      }, CALL_TIMEOUT_MS);
      this.#pending.set(id, {
        resolve: (r) => { clearTimeout(timer); resolve(r); },
        reject: (e) => { clearTimeout(timer); reject(e); },
      });
      this.#socket.send(JSON.stringify({ id, method, params, sessionId }));
    });
  }

  /** Calls `listener` for every `method` event until the returned function is called. */
  on(method: string, listener: EventListener): () => void {
    const set = this.#listeners.get(method) ?? new Set();
    this.#listeners.set(method, set.add(listener));
    return () => set.delete(listener);
  }

  /** A new tab, attached and reporting its exceptions and console messages. */
  async newPage(): Promise<Page> {
    const { targetId } = await this.send('Target.createTarget', { url: 'about:blank' });
    const { sessionId } = await this.send('Target.attachToTarget', { targetId, flatten: true });
    const page = new Page(this, sessionId);
    await Promise.all(['Page.enable', 'Runtime.enable', 'Log.enable'].map((m) => this.send(m, {}, sessionId)));
    return page;
  }

  /** Stops Chromium (its whole process group) and removes its profile. */
  async close(): Promise<void> {
    const exited = new Promise((resolve) => this.#process.once('exit', resolve));
    const running = () => this.#process.exitCode === null && this.#process.signalCode === null;
    // Asked first, Chromium stops and reaps its own helpers; the group kill is for a stuck one.
    await withTimeout(Promise.all([this.send('Browser.close').catch(() => undefined), running() ? exited : undefined]), CLOSE_TIMEOUT_MS, 'chromium to exit').catch(() => undefined);
    this.#socket.close();
    killGroup(this.#process);
    if (running()) await exited;
    await rm(this.#profile, { recursive: true, force: true, maxRetries: 3 });
  }

  #receive(message: any): void {
    if (message.id !== undefined) {
      const pending = this.#pending.get(message.id);
      this.#pending.delete(message.id);
      if (message.error) pending?.reject(new Error(`${message.error.message} (${message.error.code})`));
      else pending?.resolve(message.result);
      return;
    }
    for (const listener of this.#listeners.get(message.method) ?? []) listener(message.params, message.sessionId);
  }

  #failAll(error: Error): void {
    for (const pending of this.#pending.values()) pending.reject(error);
    this.#pending.clear();
  }
}

/**
 * One tab. `problems` lists its uncaught exceptions and console/log errors as they happen;
 * `failedRequests` the URLs answered 4xx/5xx (Chromium logs those as errors too, but an app may
 * expect some, such as a 404 it reads as "none"); `dialogs` the messages of the alert / confirm /
 * prompt dialogs it opened, each answered at once with `acceptDialogs` (OK or Cancel).
 */
export class Page {
  readonly problems: string[] = [];
  readonly failedRequests: string[] = [];
  readonly dialogs: string[] = [];
  acceptDialogs = false;
  readonly #browser: Browser;
  readonly #sessionId: string;

  constructor(browser: Browser, sessionId: string) {
    this.#browser = browser;
    this.#sessionId = sessionId;
    const mine = (listener: (params: any) => void): EventListener => (params, id) => { if (id === sessionId) listener(params); };
    browser.on('Runtime.exceptionThrown', mine((p) => this.problems.push(`uncaught: ${p.exceptionDetails.exception?.description ?? p.exceptionDetails.text}`)));
    browser.on('Runtime.consoleAPICalled', mine((p) => {
      if (p.type === 'error' || p.type === 'assert') this.problems.push(`console.${p.type}: ${p.args.map((a: any) => a.value ?? a.description).join(' ')}`);
    }));
    // A dialog blocks the page (and any evaluate that opened it) until it is answered.
    browser.on('Page.javascriptDialogOpening', mine((p) => {
      this.dialogs.push(p.message);
      browser.send('Page.handleJavaScriptDialog', { accept: this.acceptDialogs }, sessionId).catch(() => undefined);
    }));
    browser.on('Log.entryAdded', mine((p) => {
      if (p.entry.level !== 'error') return;
      if (p.entry.source === 'network' && p.entry.url) this.failedRequests.push(p.entry.url);
      else this.problems.push(`${p.entry.source}: ${p.entry.text} ${p.entry.url ?? ''}`.trim());
    }));
  }

  /** Opens `url` and waits for its load event. */
  async goto(url: string): Promise<void> {
    let stop = (): void => {};
    const loaded = new Promise<void>((resolve) => {
      stop = this.#browser.on('Page.loadEventFired', (_p, id) => { if (id === this.#sessionId) resolve(); });
    });
    try {
      const out = await this.#browser.send('Page.navigate', { url }, this.#sessionId);
      if (out.errorText) throw new Error(`navigating to ${url}: ${out.errorText}`);
      await withTimeout(loaded, CALL_TIMEOUT_MS, `the load event of ${url}`);
    } finally {
      stop();
    }
  }

  /** Sizes the viewport as a device `width` × `height` CSS pixels wide (a phone when narrower than 500). */
  async setViewport(width: number, height: number): Promise<void> {
    await this.#browser.send('Emulation.setDeviceMetricsOverride', { width, height, deviceScaleFactor: 1, mobile: width < 500 }, this.#sessionId);
  }

  /** Saves a PNG of the whole page (beyond the viewport) to `path`. */
  async screenshot(path: string): Promise<void> {
    const out = await this.#browser.send('Page.captureScreenshot', { format: 'png', captureBeyondViewport: true }, this.#sessionId);
    await writeFile(path, Buffer.from(out.data, 'base64'));
  }

  /** Runs `fn` in every document this page loads from now on, before the document's own scripts. */
  async addInitScript(fn: () => void): Promise<void> {
    await this.#browser.send('Page.addScriptToEvaluateOnNewDocument', { source: `(${fn.toString()})();` }, this.#sessionId);
  }

  /** Evaluates a JavaScript expression in the page (awaiting a promise) and returns its value as JSON. */
  async evaluate<T = unknown>(expression: string): Promise<T> {
    const out = await this.#browser.send('Runtime.evaluate', { expression, awaitPromise: true, returnByValue: true, userGesture: true }, this.#sessionId);
    if (out.exceptionDetails) throw new Error(`in the page: ${out.exceptionDetails.exception?.description ?? out.exceptionDetails.text}`);
    return out.result.value as T;
  }

  /** Calls `fn` in the page with JSON arguments; `fn` must not use anything from its Node scope. */
  call<A extends unknown[], R>(fn: (...args: A) => R, ...args: A): Promise<Awaited<R>> {
    return this.evaluate(`(${fn.toString()})(...${JSON.stringify(args)})`);
  }

  /** Polls `fn` in the page until it returns a truthy value (returned), failing after `timeoutMs`. */
  async waitFor<A extends unknown[], R>(what: string, fn: (...args: A) => R, args: A, timeoutMs = 10_000): Promise<Truthy<Awaited<R>>> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const value = await this.call(fn, ...args);
      if (value) return value as Truthy<Awaited<R>>;
      if (Date.now() > deadline) {
        const shown = await this.evaluate<string>("document.getElementById('error')?.hidden === false ? document.getElementById('error').textContent : ''").catch(() => '');
        throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${shown ? ` (the page shows the error: ${shown})` : ''}`);
      }
      await new Promise((resolve) => setTimeout(resolve, POLL_INTERVAL_MS));
    }
  }
}

/** Reads "DevTools listening on ws://…" from Chromium's stderr. */
function devToolsUrl(child: ChildProcess): Promise<string> {
  let seen = '';
  const found = new Promise<string>((resolve, reject) => {
    child.stderr!.setEncoding('utf8');
    child.stderr!.on('data', (chunk: string) => {
      seen += chunk;
      const match = /DevTools listening on (ws:\/\/\S+)/.exec(seen);
      if (match) resolve(match[1]);
    });
    child.once('error', reject);
    child.once('exit', (code, signal) => reject(new Error(`chromium exited (${signal ?? code}) before listening: ${seen.slice(-500)}`)));
  });
  return withTimeout(found, LAUNCH_TIMEOUT_MS, 'chromium to start');
}

function killGroup(child: ChildProcess): void {
  try {
    if (child.pid) process.kill(-child.pid, 'SIGKILL');
  } catch {
    // already gone
  }
}

async function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_r, reject) => { timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms waiting for ${what}`)), ms); });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
