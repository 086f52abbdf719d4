// The generated operation tables must match what the generator makes from models/ today.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { repoRoot } from '../testing/server.js';

test('src/aws/generated is up to date with models/ (run `npm run models:generate`)', async () => {
  const generator = (await import(pathToFileURL(join(repoRoot, 'scripts', 'generate-models.mjs')).href)) as {
    generatedFiles(): { path: string; text: string }[];
  };
  const files = generator.generatedFiles();
  assert.ok(files.length >= 4);
  for (const { path, text } of files) {
    assert.equal(readFileSync(path, 'utf8'), text, `${path} is stale`);
  }
});
