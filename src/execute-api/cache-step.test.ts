// The stage cache step without sockets: which requests share an entry, through the chain.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Integration, MethodSetting } from '../aws/generated/apigateway.js';
import type { ResolvedStage } from '../apigateway/stage-runtime.js';
import { setLogLevel } from '../core/logger.js';
import type { ChainDeps } from './chain.js';
import { LAMBDA_URI, context, invoker, ok, resource, run, runtime, stageWith } from './chain-testing.js';
import { ResponseCache } from './response-cache.js';

setLogLevel('silent');

const proxy = (extra: Partial<Integration> = {}): Integration => ({ type: 'AWS_PROXY', httpMethod: 'POST', uri: LAMBDA_URI, ...extra });

/** A chain over `resources` on a stage with its cache cluster on and `settings`; the invoker counts calls. */
function cachedChain(resources: ResolvedStage['deployment']['snapshot']['resources'], settings: Record<string, MethodSetting>) {
  const stage = stageWith(resources);
  const resolved: ResolvedStage = { ...stage, stage: { ...stage.stage, cacheClusterEnabled: true, methodSettings: settings } };
  let n = 0;
  const inv = invoker(() => ok({ statusCode: 200, body: String(++n) }));
  const deps: ChainDeps = { stages: runtime(resolved), invoker: inv, enforcePermissions: false, responseCache: new ResponseCache() };
  const body = async (method: string, target: string, headers: Record<string, string> = {}) => (await run(deps, context(method, target, { headers }))).body;
  return { body, calls: () => inv.calls.length };
}

const caching = (extra: MethodSetting = {}): MethodSetting => ({ cachingEnabled: true, cacheTtlInSeconds: 300, ...extra });

test('an integration request parameter in cacheKeyParameters keys by the method parameter that fills it', async () => {
  const integration = proxy({
    requestParameters: { 'integration.request.querystring.k': 'method.request.querystring.key', 'integration.request.header.fixed': "'v1'" },
    cacheKeyParameters: ['integration.request.querystring.k', 'integration.request.header.fixed'],
  });
  const chain = cachedChain([resource('/r', { GET: { integration } })], { '*/*': caching() });
  assert.equal(await chain.body('GET', '/r?key=a'), '1');
  assert.equal(await chain.body('GET', '/r?key=b'), '2');
  assert.equal(await chain.body('GET', '/r?key=a&x=1'), '1');
  assert.equal(await chain.body('GET', '/r?key=a&key=b'), '3', 'repeated values are all in the key');
  assert.equal(chain.calls(), 3);
});

test('a shared cacheNamespace lets two resources share entries; an ANY method caches its other methods with its own setting', async () => {
  const chain = cachedChain([
    resource('/a', { GET: { integration: proxy({ cacheNamespace: 'shared' }) } }),
    resource('/b', { GET: { integration: proxy({ cacheNamespace: 'shared' }) } }),
    resource('/any', { ANY: { integration: proxy() } }),
  ], { '*/*': caching(), '~1any/ANY': caching() });
  assert.equal(await chain.body('GET', '/a'), '1');
  assert.equal(await chain.body('GET', '/b'), '1');
  assert.equal(await chain.body('DELETE', '/any'), '2');
  assert.equal(await chain.body('DELETE', '/any'), '2');
  assert.equal(await chain.body('GET', '/any'), '3', 'methods are cached apart');
});
