import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Deletion } from '../deploy/stack-deletions.js';
import { strayDeletions } from './stray-resources.js';

test('strays: functions and REST APIs not kept, with what hangs off them; HTTP APIs, layers and the rest stay', () => {
  const plan: Deletion[] = [
    { kind: 'metric-alarm', name: 'a' },
    { kind: 'rest-api', id: 'kept', name: 'k' },
    { kind: 'rest-api', id: 'gone', name: 'g' },
    { kind: 'http-api', id: 'h', name: 'h' },
    { kind: 'api-grants', apiId: 'gone', functionName: 'outside' },
    { kind: 'api-grants', apiId: 'h', functionName: 'outside' },
    { kind: 'function-url', functionName: 's-Added' },
    { kind: 'alias', functionName: 's-First', name: 'live' },
    { kind: 'function', functionName: 's-First' },
    { kind: 'function', functionName: 's-Added' },
    { kind: 'layer-version', layerName: 'l', version: 2 },
  ];
  assert.deepEqual(strayDeletions(plan, { functions: new Set(['s-First']), restApis: new Set(['kept']) }), [
    { kind: 'rest-api', id: 'gone', name: 'g' },
    { kind: 'api-grants', apiId: 'gone', functionName: 'outside' },
    { kind: 'function-url', functionName: 's-Added' },
    { kind: 'function', functionName: 's-Added' },
  ]);
});
