import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { EnvironmentLifecycle, IllegalTransitionError } from './environment-state.js';

describe('EnvironmentLifecycle', () => {
  it('walks starting → ready → invoking → ready → dead', () => {
    const l = new EnvironmentLifecycle();
    assert.equal(l.state, 'starting');
    for (const s of ['ready', 'invoking', 'ready', 'invoking', 'ready', 'dead'] as const) {
      l.to(s);
      assert.equal(l.state, s);
    }
  });

  it('can die from any live state', () => {
    for (const path of [[], ['ready'], ['ready', 'invoking']] as const) {
      const l = new EnvironmentLifecycle();
      for (const s of path) l.to(s);
      l.to('dead');
      assert.equal(l.state, 'dead');
    }
  });

  it('rejects illegal transitions', () => {
    const l = new EnvironmentLifecycle();
    assert.throws(() => l.to('invoking'), IllegalTransitionError);
    l.to('ready');
    assert.throws(() => l.to('starting'), IllegalTransitionError);
    assert.throws(() => l.to('ready'), /ready → ready/);
    l.to('dead');
    for (const s of ['starting', 'ready', 'invoking', 'dead'] as const) assert.throws(() => l.to(s), IllegalTransitionError);
    assert.equal(l.can('ready'), false);
  });
});
