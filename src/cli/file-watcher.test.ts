import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FileWatcher } from './file-watcher.js';
import { isIgnoredChange } from '../deploy/watch-targets.js';

/** A watcher whose changes can be awaited one by one. */
function watching() {
  const seen: string[] = [];
  let waiter: { match: (f: string) => boolean; resolve: () => void } | undefined;
  const watcher = new FileWatcher(isIgnoredChange, (file) => {
    seen.push(file);
    if (waiter?.match(file)) waiter.resolve();
  });
  const next = (match: (f: string) => boolean) => new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no change seen; saw ${seen.join(', ')}`)), 5000);
    waiter = { match, resolve: () => { clearTimeout(timer); resolve(); } };
  });
  return { watcher, seen, next };
}

test('sees every save of a file, atomic (rename over) ones included, in new directories too', async (t) => {
  const root = mkdtempSync(join(tmpdir(), 'stagecraft-watch-'));
  t.after(() => rmSync(root, { recursive: true, force: true }));
  mkdirSync(join(root, 'src', 'lib'), { recursive: true });
  writeFileSync(join(root, 'src', 'lib', 'a.js'), '1');
  const { watcher, seen, next } = watching();
  t.after(() => watcher.close());
  watcher.set([{ dir: join(root, 'src'), recursive: true }]);
  const file = join(root, 'src', 'lib', 'a.js');
  for (const [i, save] of [() => writeFileSync(file, '2'), () => { writeFileSync(`${file}.tmp`, '3'); renameSync(`${file}.tmp`, file); }, () => { writeFileSync(`${file}.tmp`, '4'); renameSync(`${file}.tmp`, file); }, () => writeFileSync(file, '5')].entries()) {
    const seenIt = next((f) => f === file);
    save();
    await seenIt.catch((e) => assert.fail(`save ${i}: ${e.message}`));
  }
  const fresh = join(root, 'src', 'new', 'deep', 'b.js');
  const dirSeen = next((f) => f === join(root, 'src', 'new'));
  mkdirSync(join(root, 'src', 'new', 'deep'), { recursive: true });
  await dirSeen;
  // Directories made after the watch began are watched too.
  const freshSeen = next((f) => f === fresh);
  writeFileSync(fresh, '1');
  await freshSeen;
  // Ignored files raise nothing; a later real change arrives alone.
  seen.length = 0;
  writeFileSync(join(root, 'src', '.a.js.swp'), 'x');
  mkdirSync(join(root, 'src', 'node_modules', '.cache'), { recursive: true });
  writeFileSync(join(root, 'src', 'node_modules', '.cache', 'c'), 'x');
  const last = next((f) => f === file);
  writeFileSync(file, '6');
  await last;
  assert.ok(seen.every((f) => !f.endsWith('.swp') && !f.includes('.cache')), seen.join(', '));
});

test('a non-recursive target reports only the names it lists', async (t) => {
  const root = mkdtempSync(join(tmpdir(), 'stagecraft-watch-'));
  t.after(() => rmSync(root, { recursive: true, force: true }));
  const { watcher, seen, next } = watching();
  t.after(() => watcher.close());
  watcher.set([{ dir: root, recursive: false, names: ['template.yaml'] }]);
  writeFileSync(join(root, 'README.md'), 'x');
  const seenIt = next((f) => f === join(root, 'template.yaml'));
  writeFileSync(join(root, 'template.yaml'), 'x');
  await seenIt;
  assert.deepEqual([...new Set(seen)], [join(root, 'template.yaml')]);
  assert.equal(watcher.set([{ dir: root, recursive: false, names: ['template.yaml'] }]), false, 'the same targets change nothing');
});
