// How a pool chooses its environments' network: their own namespaces where pasta works, else the
// host's with a warning, or none at all when the sandbox is required.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { chooseFunctionNetwork, FunctionNetwork } from './function-network.js';

const works = async (): Promise<string | undefined> => undefined;
const fails = async (): Promise<string | undefined> => 'pasta cannot join the namespace';

describe('chooseFunctionNetwork', () => {
  it('isolates sandboxed environments when the probe works', async () => {
    assert.deepEqual(await chooseFunctionNetwork('isolated', true, false, works, process.execPath), { status: { mode: 'isolated' } });
  });

  it("falls back to the host's network when pasta is missing or fails, unless the sandbox is required", async () => {
    const missing = await chooseFunctionNetwork('isolated', true, false, works, '/nonexistent/pasta');
    assert.equal(missing.status.mode, 'host');
    assert.match(missing.status.reason!, /\/nonexistent\/pasta not found \(install the passt package\)/);
    assert.equal(missing.refusal, undefined);
    const failing = await chooseFunctionNetwork('isolated', true, false, fails, process.execPath);
    assert.deepEqual(failing, { status: { mode: 'host', reason: 'pasta cannot join the namespace' } });
    const required = await chooseFunctionNetwork('isolated', true, true, fails, process.execPath);
    assert.equal(required.refusal, 'pasta cannot join the namespace');
  });

  it("shares the host's network when configured so, or unsandboxed", async () => {
    assert.equal((await chooseFunctionNetwork('host', true, true, fails, process.execPath)).status.mode, 'host');
    assert.equal((await chooseFunctionNetwork('isolated', false, true, fails, process.execPath)).refusal, undefined);
  });
});

describe('FunctionNetwork', () => {
  it('forwards each port once, and says when the set changed', () => {
    const network = new FunctionNetwork('/usr/bin/pasta', '/tmp', [41000]);
    assert.equal(network.forward([4566]), true);
    assert.equal(network.forward([4566, 41000]), false);
    assert.deepEqual(network.ports, [4566, 41000]);
  });
});
