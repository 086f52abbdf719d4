// Scale: control-plane and invoke latency with 10 functions and again with 1,000 functions and
// 10,000 versions; routing latency in an API with 1 resource and in one with 1,000; resident
// memory of the platform and of each idle execution environment, beside bare Node's.
import { getText, send } from '../lib/http.js';
import { HELLO_BODY } from '../lib/hello.js';
import { measureLoad, notAvailable } from '../lib/load.js';
import { treeMemory } from '../lib/processes.js';
import type { SuiteContext } from '../lib/context.js';
import type { LoadFigures, ScaleLatency, ScaleMemory, ScaleResults } from '../lib/results.js';
import { apiGatewayClient, deployApi, deployHello, inParallel, invokePath, lambdaClient } from '../lib/stagecraft-setup.js';

import { startBareNode, startIdleNode, startStagecraft, type StagecraftTarget, stagecraftHealth } from '../lib/targets.js';

const SMALL_FUNCTIONS = 10;
const VERSIONS_PER_FUNCTION = 10;
const RESOURCES = 1000;
/** Environments started (one invoke each, then left idle) to measure an idle environment. */
const IDLE_ENVIRONMENTS = 8;
const PROBE = 'fn-0005';

const name = (i: number) => `fn-${String(i).padStart(4, '0')}`;
const mib = (kib: number) => Math.round((kib / 1024) * 10) / 10;
const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

interface ControlPlaneFigures {
  listFunctions: LoadFigures;
  getAlias: LoadFigures;
  invoke: LoadFigures;
}

export async function runScale(ctx: SuiteContext): Promise<ScaleResults> {
  const large = ctx.scaleFunctions;
  const memory: Partial<ScaleMemory> = {};

  // Baselines for memory: bare Node's http server and an empty node process, both idle.
  const bare = await startBareNode();
  const idle = await startIdleNode();
  await pause(500);
  memory.bareNodeMiB = mib(treeMemory(bare.pid).selfKiB);
  memory.emptyNodeMiB = mib(treeMemory(idle.pid).selfKiB);
  await bare.stop();
  await idle.stop();

  const server = await startStagecraft();
  const lambda = lambdaClient(server.url);
  const apigw = apiGatewayClient(server.url);
  try {
    await pause(500);
    memory.platformIdleMiB = mib(treeMemory(server.pid).selfKiB);
    const health = await stagecraftHealth(server.url);

    // Small case: 10 functions, and an API with one resource. Memory is read after populating,
    // before any load run (load grows the heap on its own).
    const populateStart = Date.now();
    await populate(ctx, lambda, 0, SMALL_FUNCTIONS);
    await deployHello(lambda, 'hello-lambda');
    const oneApi = await deployApi(apigw, lambda, server.url, { name: 'one-resource', fn: 'hello-lambda', paths: ['hello'] });
    memory.platformSmallMiB = mib(treeMemory(server.pid).selfKiB);
    ctx.log(`scale: measuring at ${SMALL_FUNCTIONS} functions`);
    const small = await controlPlane(ctx, server);
    const routingSmall = await routed(ctx, `${oneApi.stageUrl}/hello`);

    // Large case: 1,000 functions with 10,000 versions, and an API with 1,000 resources.
    await populate(ctx, lambda, SMALL_FUNCTIONS, large);
    ctx.log(`scale: an API with ${RESOURCES} resources`);
    const paths = Array.from({ length: RESOURCES }, (_, i) => `route-${String(i).padStart(4, '0')}`);
    const manyApi = await deployApi(apigw, lambda, server.url, { name: 'many-resources', fn: 'hello-lambda', paths, concurrency: 8 });
    const populateSec = (Date.now() - populateStart) / 1000;
    memory.platformLargeMiB = mib(treeMemory(server.pid).selfKiB);
    ctx.log(`scale: measuring at ${large} functions`);
    const big = await controlPlane(ctx, server);
    const routingLarge = await routed(ctx, `${manyApi.stageUrl}/${paths[paths.length - 1]}`);
    memory.platformAfterLoadMiB = mib(treeMemory(server.pid).selfKiB);

    // Idle environments: one invoke of several functions, then left alone.
    ctx.log(`scale: memory of ${IDLE_ENVIRONMENTS} idle environments`);
    for (let i = 0; i < IDLE_ENVIRONMENTS; i++) await send(server.url + invokePath(`${name(large - 1 - i)}:prod`), { method: 'POST', body: '{}' });
    await pause(1000);
    memory.environmentMiB = treeMemory(server.pid).childrenKiB.map(mib).sort((a, b) => a - b);

    const latencies: ScaleLatency[] = [
      { id: 'list-functions', label: `ListFunctions (first page, MaxItems=${SMALL_FUNCTIONS})`, small: small.listFunctions, large: big.listFunctions },
      { id: 'get-alias', label: `GetAlias (${PROBE}:prod)`, small: small.getAlias, large: big.getAlias },
      { id: 'invoke', label: `Invoke (${PROBE}:prod, warm)`, small: small.invoke, large: big.invoke },
      { id: 'routing', label: `GET through a stage: last of ${RESOURCES.toLocaleString('en-US')} resources vs the only one`, small: routingSmall, large: routingLarge },
    ];
    return {
      machine: ctx.machine,
      settings: { quick: ctx.quick, loadSec: ctx.loadSec, warmupSec: ctx.warmupSec },
      functions: { small: SMALL_FUNCTIONS, large },
      versions: { small: SMALL_FUNCTIONS * VERSIONS_PER_FUNCTION, large: large * VERSIONS_PER_FUNCTION },
      resources: { small: 1, large: RESOURCES },
      populateSec,
      latencies,
      memory: memory as ScaleMemory,
      sandbox: health.sandbox?.mode,
    };
  } finally {
    lambda.destroy();
    apigw.destroy();
    await server.stop();
  }
}

/** Functions [from, to), each with VERSIONS_PER_FUNCTION versions and alias prod → 1. */
async function populate(ctx: SuiteContext, lambda: ReturnType<typeof lambdaClient>, from: number, to: number): Promise<void> {
  ctx.log(`scale: creating functions ${name(from)}…${name(to - 1)} with ${VERSIONS_PER_FUNCTION} versions each`);
  const indexes = Array.from({ length: to - from }, (_, i) => from + i);
  let done = 0;
  await inParallel(indexes, 8, async (i) => {
    await deployHello(lambda, name(i), { versions: VERSIONS_PER_FUNCTION });
    if (++done % 100 === 0) ctx.log(`scale: ${from + done} functions`);
  });
}

async function controlPlane(ctx: SuiteContext, server: StagecraftTarget): Promise<ControlPlaneFigures> {
  const measure = (url: string, extra: { method?: 'POST'; body?: string } = {}) =>
    measureLoad(ctx, { url, connections: 1, ...extra }).catch((e: Error) => notAvailable(e.message.split('\n')[0]));
  return {
    listFunctions: await measure(`${server.url}/2015-03-31/functions/?MaxItems=${SMALL_FUNCTIONS}`),
    getAlias: await measure(`${server.url}/2015-03-31/functions/${PROBE}/aliases/prod`),
    invoke: await measure(server.url + invokePath(`${PROBE}:prod`), { method: 'POST', body: '{}' }),
  };
}

async function routed(ctx: SuiteContext, url: string): Promise<LoadFigures> {
  const probe = await getText(url).catch((e: Error) => ({ status: 0, body: e.message }));
  if (probe.status !== 200 || probe.body !== HELLO_BODY) {
    return notAvailable(`the stage URL answered ${probe.status || 'nothing'}, not 200 with the body (API Gateway data plane not available in this build)`);
  }
  return measureLoad(ctx, { url, connections: 1 });
}

