import { test } from 'node:test';
import assert from 'node:assert/strict';
import { resolve } from 'node:path';
import { isIgnoredChange, watchTargets } from './watch-targets.js';
import type { CodeSource } from './function-spec.js';

const loc = { file: 'template.yaml', line: 1, column: 1 };
const dirCode = (path: string): CodeSource => ({ kind: 'directory', path, display: path, loc, templatePath: 'x', key: 'CodeUri' });

test('the template, stagecraft.yml, code directories as trees and zips by name', () => {
  const targets = watchTargets({ projectFile: 'app/stagecraft.yml' }, {
    templateFile: 'app/template.yaml',
    functions: [{ code: dirCode('app/src') }, { code: { kind: 'zip', path: 'build/fn.zip', display: 'fn.zip', loc, templatePath: 'x', key: 'CodeUri' } }, { code: { kind: 'inline', source: '', fileName: 'index.js', display: 'InlineCode', loc, templatePath: 'x' } }],
    layers: [{ code: dirCode('app/src') }, { code: dirCode('layers/deps') }],
  } as never);
  assert.deepEqual(targets, [
    { dir: resolve('app/src'), recursive: true },
    { dir: resolve('layers/deps'), recursive: true },
    { dir: resolve('app'), recursive: false, names: ['stagecraft.yml', 'template.yaml'] },
    { dir: resolve('build'), recursive: false, names: ['fn.zip'] },
  ]);
});

test('a template inside a watched code tree (CodeUri: .) needs no target of its own; without a loaded stack only the files', () => {
  assert.deepEqual(watchTargets({ templateFile: 'template.yaml' }, { templateFile: 'template.yaml', functions: [{ code: dirCode('.') }], layers: [] } as never), [{ dir: resolve('.'), recursive: true }]);
  assert.deepEqual(watchTargets({ templateFile: 't/template.yml' }), [{ dir: resolve('t'), recursive: false, names: ['template.yml'] }]);
});

test('ignored: version control, tool caches, editors\' temporary files', () => {
  for (const p of ['.git/HEAD', 'a/.git', 'node_modules/.cache/x/y', 'node_modules/.cache', '.aws-sam/build', '.index.js.swp', 'a/b.swx', 'index.js~', '.#index.js', '4913', 'index.js___jb_tmp___', '.DS_Store']) {
    assert.equal(isIgnoredChange(p), true, p);
  }
  for (const p of ['index.js', 'node_modules/dep/index.js', 'lib/.env', 'a.swift', 'cache/x']) assert.equal(isIgnoredChange(p), false, p);
});
