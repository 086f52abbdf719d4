// `stagecraft serve` prints a banner a user can act on: endpoint, invoke-URL patterns, console,
// health, data dir, sandbox status and the next command.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startCli } from '../src/cli/testing.js';

test('serve prints endpoint, invoke URLs, console, data dir and sandbox status', async () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'stagecraft-serve-'));
  const serve = startCli(['serve', '--port', '0', '--data-dir', dataDir], { env: { STAGECRAFT_LOG_LEVEL: 'warn' } });
  try {
    await serve.waitFor(/^Next: /m);
    const banner = serve.stdout();
    const url = /listening on (http:\/\/127\.0\.0\.1:(\d+))/.exec(banner);
    assert.ok(url, banner);
    const [, base, port] = url;
    assert.match(banner, new RegExp(`AWS endpoint: +${base} `));
    assert.match(banner, new RegExp(`Invoke URLs: +http://\\{apiId\\}\\.execute-api\\.localhost:${port}/\\{stage\\}/\\{path\\}`));
    assert.match(banner, new RegExp(`${base}/restapis/\\{apiId\\}/\\{stage\\}/_user_request_/\\{path\\}`));
    assert.match(banner, new RegExp(`Console: +${base}/_stagecraft/console`));
    assert.match(banner, new RegExp(`Health: +${base}/_stagecraft/health`));
    assert.match(banner, new RegExp(`Data dir: +${dataDir}`));
    assert.match(banner, /Sandbox: +(bubblewrap \(functions run isolated\)|NONE — functions run unsandboxed)/);
    assert.match(banner, new RegExp(`Next: stagecraft deploy --endpoint-url ${base}`));
  } finally {
    serve.child.kill('SIGTERM');
    await serve.interrupt();
    rmSync(dataDir, { recursive: true, force: true });
  }
});
