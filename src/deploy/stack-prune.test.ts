import { test } from 'node:test';
import assert from 'node:assert/strict';
import { pruneDeletions, type KeptResources } from './stack-prune.js';
import type { ServerInventory } from './stack-deletions.js';

const mine = { 'stagecraft:stack': 's' };
const fn = (name: string, tags: Record<string, string> | undefined, aliases: string[] = []) => ({ name, tags, urls: [], eventInvokeConfigs: [], provisioned: [], aliases });

const inventory: ServerInventory = {
  domains: [{ domainName: 'd.example', tags: mine, basePaths: ['(none)'], apiMappings: [] }],
  usagePlans: [
    { id: 'p-kept', name: 'kept', tags: mine, apiStages: [] },
    { id: 'p-gone', name: 'gone', tags: mine, apiStages: ['r-gone:prod'] },
    { id: 'p-template', name: 'template', tags: { ...mine, 'stagecraft:logical-id': 'Plan' }, apiStages: [] },
  ],
  apiKeys: [{ id: 'k-gone', name: 'gone', tags: mine }],
  restApis: [
    { id: 'r-kept', name: 'kept', tags: mine, callees: [] },
    { id: 'r-gone', name: 'gone', tags: mine, callees: [{ functionName: 's-Kept' }, { functionName: 'outside' }] },
    { id: 'r-other', name: 'other', tags: { 'stagecraft:stack': 'other' } },
  ],
  httpApis: [{ id: 'h-gone', name: 'h', tags: mine, callees: [] }, { id: 'h-kept', name: 'k', tags: { ...mine, 'stagecraft:deletion-policy': 'Retain' }, callees: [] }],
  functions: [
    fn('s-Kept', mine), fn('s-Gone', mine, ['live']), fn('s-Retained', { ...mine, 'stagecraft:deletion-policy': 'Retain' }, ['live']),
  ],
  layers: [
    { name: 'kept-layer', versions: [{ version: 1, statementIds: ['stagecraft-stack-s'] }] },
    { name: 'gone-layer', versions: [{ version: 1, statementIds: ['stagecraft-stack-s'] }, { version: 2, statementIds: [] }] },
  ],
  alarms: [{ name: 'a', tags: mine }],
  metricFilters: [],
  subscriptionFilters: [],
};

const kept: KeptResources = {
  functions: new Set(['s-Kept']), restApis: new Set(['r-kept']), httpApis: new Set(), layers: new Set(['kept-layer']), usagePlans: new Set(['p-kept']), apiKeys: new Set(),
};

test('prune: what the stack has and the template no longer deploys, in order; Retain releases; layer versions lose only the mark', () => {
  assert.deepEqual(pruneDeletions('s', inventory, kept), [
    { kind: 'usage-plan', id: 'p-gone', name: 'gone', apiStages: ['r-gone:prod'] },
    { kind: 'api-key', id: 'k-gone', name: 'gone' },
    { kind: 'rest-api', id: 'r-gone', name: 'gone' },
    { kind: 'http-api', id: 'h-gone', name: 'h' },
    { kind: 'api-release', protocol: 'http', id: 'h-kept', name: 'k' },
    // The kept function stays; the deleted API's grants on it go.
    { kind: 'api-grants', apiId: 'r-gone', functionName: 's-Kept', qualifier: undefined },
    { kind: 'api-grants', apiId: 'r-gone', functionName: 'outside', qualifier: undefined },
    { kind: 'alias', functionName: 's-Gone', name: 'live' },
    { kind: 'function', functionName: 's-Gone' },
    { kind: 'function-release', functionName: 's-Retained' },
    { kind: 'layer-mark', layerName: 'gone-layer', version: 1, statementId: 'stagecraft-stack-s' },
  ]);
});

test('prune: nothing when the template deploys everything the stack has', () => {
  const all: KeptResources = {
    functions: new Set(['s-Kept', 's-Gone', 's-Retained']), restApis: new Set(['r-kept', 'r-gone']), httpApis: new Set(['h-gone', 'h-kept']),
    layers: new Set(['kept-layer', 'gone-layer']), usagePlans: new Set(['p-kept', 'p-gone']), apiKeys: new Set(['k-gone']),
  };
  assert.deepEqual(pruneDeletions('s', inventory, all), []);
});
