import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { crashOutcome, exitMessage, initFailure } from './failures.js';

describe('exitMessage', () => {
  it('words process ends as AWS does', () => {
    const m = (exit: { code: number | null; signal: NodeJS.Signals | null }, relayed = false) => exitMessage({ killReason: undefined, exit, relayed });
    assert.equal(m({ code: 1, signal: null }), 'Runtime exited with error: exit status 1');
    assert.equal(m({ code: 0, signal: null }), 'Runtime exited without providing a reason');
    assert.equal(m({ code: null, signal: 'SIGSEGV' }), 'Runtime exited with error: signal: segmentation fault');
    assert.equal(m({ code: 137, signal: null }), 'Runtime exited with error: exit status 137');
    assert.equal(m({ code: 137, signal: null }, true), 'Runtime exited with error: signal: killed', "bwrap's 128+n");
    assert.equal(m({ code: 134, signal: null }, true), 'Runtime exited with error: signal: aborted');
    assert.equal(m({ code: 129, signal: null }, true), 'Runtime exited with error: exit status 129');
    assert.equal(exitMessage({ killReason: 'oom', exit: { code: 0, signal: null }, relayed: false }), 'Runtime exited with error: signal: killed');
  });
});

describe('crashOutcome', () => {
  it('reports timeouts with the elapsed seconds', () => {
    const o = crashOutcome('r1', { killReason: 'timeout', exit: undefined, relayed: true }, 3004.2);
    assert.deepEqual(JSON.parse(o.payload.toString()), { errorType: 'Sandbox.Timedout', errorMessage: 'RequestId: r1 Error: Task timed out after 3.00 seconds' });
    assert.equal(o.status, 'timeout');
    assert.match(o.platformLines![0], /^\S+Z r1 Task timed out after 3\.00 seconds\n$/);
  });

  it('reports out-of-memory kills and crashes', () => {
    const oom = crashOutcome('r2', { killReason: 'oom', exit: undefined, relayed: false }, 10);
    assert.equal(oom.errorType, 'Runtime.OutOfMemory');
    assert.equal(oom.memoryExhausted, true);
    const crash = crashOutcome('r3', { killReason: undefined, exit: { code: 2, signal: null }, relayed: false }, 10);
    assert.deepEqual(JSON.parse(crash.payload.toString()), { errorType: 'Runtime.ExitError', errorMessage: 'RequestId: r3 Error: Runtime exited with error: exit status 2' });
  });
});

describe('initFailure', () => {
  it('prefers what the runtime reported, then the platform reasons', () => {
    const end = { killReason: undefined, exit: { code: 1, signal: null }, relayed: false };
    const reported = { payload: Buffer.from('{"errorType":"X"}'), errorType: 'X' };
    assert.equal(initFailure('r', reported, undefined, end, 5).errorType, 'X');
    assert.equal(initFailure('r', reported, { errorType: 'Runtime.InvalidEntrypoint', message: 'no bootstrap' }, end, 5).errorType, 'Runtime.InvalidEntrypoint');
    assert.equal(initFailure('r', undefined, undefined, { ...end, killReason: 'timeout' }, 10_000).status, 'timeout');
    assert.equal(initFailure('r', undefined, undefined, end, 5).errorType, 'Runtime.ExitError');
  });
});
