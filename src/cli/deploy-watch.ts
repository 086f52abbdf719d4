// `stagecraft deploy --watch`: deploy, then deploy again each time the template, stagecraft.yml or
// the code changes — one line per redeploy, failures reported and survived, Ctrl-C after the
// deploy in progress. What a redeploy changes is exactly what `stagecraft deploy` would change.
import { existsSync } from 'node:fs';
import { join, relative } from 'node:path';
import type { DeployOptions, LoadedStack, StackSource } from '../deploy/deploy.js';
import type { AwsClients, ConnectionSettings } from '../deploy/clients.js';
import { isIgnoredChange, watchTargets, type WatchTarget } from '../deploy/watch-targets.js';
import { explain } from './command.js';
import { DebouncedRunner } from './debounced-runner.js';
import { printDeployResult, resultJson, runDeploy, terminalProgress, type DeployProgress } from './deploy-output.js';
import { summarizeDeploy } from './deploy-summary.js';
import { FileWatcher } from './file-watcher.js';
import { write, type Palette } from './output.js';

/** Quiet time after the last change before deploying: an editor's save (or a `git checkout`) is several events. */
export const QUIET_MS = 300;

export interface WatchDeploysOptions {
  source: StackSource;
  clients: AwsClients;
  settings: ConnectionSettings;
  options: DeployOptions;
  json: boolean;
  /** Where human output goes (stderr with --json). */
  out: NodeJS.WriteStream;
  c: Palette;
}

/** Resolves with the exit code once SIGINT or SIGTERM has stopped the watch. */
export async function watchDeploys({ source, clients, settings, options, json, out, c }: WatchDeploysOptions): Promise<number> {
  let loaded: Pick<LoadedStack, 'templateFile' | 'functions' | 'layers'> | undefined;
  let watching = '';
  let deploys = 0;
  let stopping = false;
  const seen = new Set<string>();
  const once = (key: string, print: () => void) => {
    if (!seen.has(key)) print();
    seen.add(key);
  };

  const runner = new DebouncedRunner(QUIET_MS, (changes) => deployOnce(changes));
  const watcher = new FileWatcher(isIgnoredChange, (file) => runner.touch(file));
  const watchNow = () => {
    const targets = watchTargets(source, loaded);
    if (!stopping) watcher.set(targets); // a deploy finishing after Ctrl-C opens nothing again
    return targets;
  };

  async function deployOnce(changes: string[]): Promise<void> {
    const first = deploys++ === 0;
    const started = Date.now();
    const triggers = triggerFiles(changes);
    const trigger = describeTrigger(triggers);
    const loud = first ? terminalProgress(out, c, settings) : undefined;
    // The first deploy prints its steps; later ones only warnings and notes not seen before.
    const progress: DeployProgress = {
      width: () => loud?.width() ?? 12,
      begin: (plan) => loud?.begin?.(plan),
      report: (ch) => loud?.report(ch),
      note: (m) => once(`note:${m}`, () => (loud ?? terminalProgress(out, c, settings)).note(m)),
      warn: (m) => once(`warn:${m}`, () => (loud ?? terminalProgress(out, c, settings)).warn(m)),
    };
    const onLoaded = (stack: LoadedStack) => {
      loaded = stack;
      watchNow(); // code directories the template now names are watched from here on
    };
    try {
      // The first Ctrl-C waits for the deploy in progress (a traffic shift too): the hint names the second.
      const trafficShift = { ...options.trafficShift, interrupt: 'A second Ctrl-C' };
      const result = await runDeploy(source, clients, progress, { ...options, trafficShift, onLoaded }, out, c);
      const summary = summarizeDeploy(result);
      const seconds = ((Date.now() - started) / 1000).toFixed(1);
      if (first && !json) printDeployResult(result, out, c);
      if (first && !json) write('', out);
      write(`${c.dim(`[${clock()}]`)} ${summary === 'nothing changed' ? c.dim(summary) : c.green(summary)}${c.dim(` (${trigger ? `${trigger}; ` : ''}${seconds}s)`)}`, out);
      if (json) jsonLine({ time: new Date().toISOString(), trigger: triggers, summary, ...resultJson(result), changed: summary !== 'nothing changed' });
    } catch (e) {
      const { message, type, hint } = explain(e, 'deploy', settings);
      process.stderr.write(`${c.dim(`[${clock()}]`)} ${c.red('stagecraft deploy:')} ${message} Still watching: the next change deploys again.\n`);
      if (json) jsonLine({ time: new Date().toISOString(), trigger: triggers, error: { type: type ?? 'Error', message, hint } });
    }
    const targets = watchNow();
    const list = describeTargets(targets);
    if (list !== watching && !stopping) {
      watching = list;
      write(c.dim(`Watching ${list} for changes (Ctrl-C to stop).`), out);
    }
  }

  watchNow();
  const firstDeploy = runner.runNow();
  return new Promise<number>((resolveExit) => {
    const stop = () => {
      if (stopping) process.exit(130); // a second Ctrl-C: now, as a plain deploy would stop
      stopping = true;
      watcher.close();
      if (runner.busy) write(c.dim('Stopping once the deploy in progress is done (Ctrl-C again to stop now)…'), out);
      void firstDeploy
        .then(() => runner.stop())
        .then(() => {
          process.off('SIGINT', stop);
          process.off('SIGTERM', stop);
          write(c.dim('Stopped watching.'), out);
          resolveExit(0);
        });
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
}

function jsonLine(value: unknown): void {
  process.stdout.write(`${JSON.stringify(value)}\n`);
}

function clock(): string {
  return new Date().toTimeString().slice(0, 8);
}

function display(path: string): string {
  return relative(process.cwd(), path) || '.';
}

/**
 * The changed files, relative to the current directory. An editor's (or sed -i's) temporary file,
 * come and gone, is no news; a file deleted for good is, when it is all there is.
 */
function triggerFiles(changes: string[]): string[] {
  const present = changes.filter((c) => existsSync(c));
  return [...new Set((present.length ? present : changes).map(display))].sort();
}

/** `src/index.mjs`, `a.js, b.js and 3 more`; empty for the first deploy. */
function describeTrigger(names: string[]): string {
  if (names.length <= 3) return names.join(', ');
  return `${names.slice(0, 2).join(', ')} and ${names.length - 2} more`;
}

function describeTargets(targets: WatchTarget[]): string {
  return targets.flatMap((t) => (t.recursive ? [`${display(t.dir)}/`] : (t.names ?? []).map((n) => display(join(t.dir, n))))).join(', ');
}
