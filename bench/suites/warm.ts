// Warm path: GET through an API Gateway stage to hello-lambda:prod at concurrency 1 and 32, beside
// a bare Node server (the floor), serverless-offline in both its modes, and the Invoke API.
import { getText, send } from '../lib/http.js';
import { HELLO_BODY } from '../lib/hello.js';
import { notAvailable } from '../lib/load.js';
import { measureInterleaved, type LoadTarget } from '../lib/interleaved.js';
import type { SuiteContext } from '../lib/context.js';
import type { WarmResults, WarmRow, WarmTargetId } from '../lib/results.js';
import { apiGatewayClient, deployApi, deployHello, invokePath, lambdaClient } from '../lib/stagecraft-setup.js';
import { startBareNode, startOneHop, startServerlessOffline, startStagecraft, stagecraftHealth } from '../lib/targets.js';
import type { WrkOptions } from '../lib/wrk.js';

export const CONCURRENCIES = [1, 32] as const;

export const WARM_LABELS: Record<WarmTargetId, string> = {
  'bare-node': 'Bare Node http server (floor)',
  'one-hop': 'Bare Node + one hop to a worker process (floor for process isolation)',
  'stagecraft-apigw': 'Stagecraft: API Gateway stage → hello-lambda:prod',
  'stagecraft-invoke': 'Stagecraft: Invoke API (hello-lambda:prod)',
  'stagecraft-apigw-eager': 'Stagecraft --scale-out eager: API Gateway stage → hello-lambda:prod',
  'stagecraft-apigw-normal-scheduling': 'Stagecraft --scheduling normal: API Gateway stage → hello-lambda:prod',
  'sls-offline': 'serverless-offline 13 (default: worker threads)',
  'sls-offline-inprocess': 'serverless-offline 13 --useInProcess',
};

type Request = Omit<WrkOptions, 'durationSec' | 'connections'>;

/** A target of the warm suite once started: what to request (or why it cannot be measured). */
interface Started {
  target: WarmTargetId;
  request: Request | string;
  /** Tells when the target is warm for a concurrency (priming continues until it is). */
  ready?: (concurrency: number) => Promise<boolean>;
}

/** Paced scale-out starts environments only while waiting would be slower: warm once the count stops growing. */
function environmentsSettled(environments: () => Promise<number>): (concurrency: number) => Promise<boolean> {
  let last = -1;
  return async () => {
    const now = await environments();
    const stable = now === last;
    last = now;
    return stable;
  };
}

export async function runWarm(ctx: SuiteContext): Promise<WarmResults> {
  const rows: WarmRow[] = [];
  const result: WarmResults = { machine: ctx.machine, settings: { quick: ctx.quick, loadSec: ctx.loadSec, warmupSec: ctx.warmupSec, rounds: ctx.rounds }, rows };
  const stops: (() => Promise<void>)[] = [];
  const targets: Started[] = [];
  try {
    // (a) The floors.
    const bare = await startBareNode();
    stops.push(() => bare.stop());
    targets.push({ target: 'bare-node', request: { url: bare.url + '/hello' } });
    const hop = await startOneHop();
    stops.push(() => hop.stop());
    targets.push({ target: 'one-hop', request: { url: hop.url + '/hello' } });

    // Stagecraft as users run it (paced scale-out): hello-lambda:prod behind an API stage, and the Invoke API.
    const stagecraft = await deployStagecraft();
    stops.push(() => stagecraft.stop());
    result.sandbox = stagecraft.sandbox;
    targets.push({ target: 'stagecraft-apigw', request: stagecraft.stageRequest, ready: environmentsSettled(stagecraft.environments) });
    targets.push({ target: 'stagecraft-invoke', request: await stagecraft.invokeRequest(), ready: environmentsSettled(stagecraft.environments) });

    // The same with AWS's scale-out: an environment for every concurrent invocation.
    const eager = await deployStagecraft(['--scale-out', 'eager']);
    stops.push(() => eager.stop());
    targets.push({ target: 'stagecraft-apigw-eager', request: eager.stageRequest, ready: async (c) => (await eager.environments()) >= c });

    // The default with environments under the server's own scheduling policy (the default is
    // SCHED_BATCH): what that choice is worth, side by side.
    const normal = await deployStagecraft(['--scheduling', 'normal']);
    stops.push(() => normal.stop());
    targets.push({ target: 'stagecraft-apigw-normal-scheduling', request: normal.stageRequest, ready: environmentsSettled(normal.environments) });

    // (b) serverless-offline, the tool many users come from, in both modes.
    for (const [target, inProcess] of [['sls-offline', false], ['sls-offline-inprocess', true]] as const) {
      ctx.log(`warm: starting ${target}`);
      const offline = await startServerlessOffline({ inProcess }).catch((e: Error) => e);
      if (offline instanceof Error) {
        targets.push({ target, request: `could not start: ${offline.message.split('\n')[0]}` });
        continue;
      }
      stops.push(() => offline.stop());
      const probe = await getText(offline.helloUrl).catch((e: Error) => ({ status: 0, body: e.message }));
      targets.push({ target, request: probe.status === 200 && probe.body === HELLO_BODY ? { url: offline.helloUrl } : `GET answered ${probe.status}: ${probe.body.slice(0, 120)}` });
    }

    for (const concurrency of CONCURRENCIES) {
      const load: LoadTarget<WarmTargetId>[] = [];
      for (const t of targets) {
        if (typeof t.request === 'string') continue;
        const ready = t.ready;
        load.push({ key: t.target, options: { ...t.request, connections: concurrency }, ready: ready && (() => ready(concurrency)) });
      }
      const figures = await measureInterleaved(ctx, load, (key) => key);
      for (const t of targets) {
        rows.push({ target: t.target, label: WARM_LABELS[t.target], concurrency, ...(typeof t.request === 'string' ? notAvailable(t.request) : figures.get(t.target)!) });
      }
    }
    result.stagecraftEnvironments = await stagecraft.environments();
    result.stagecraftEnvironmentsEager = await eager.environments();
  } finally {
    for (const stop of stops.reverse()) await stop().catch(() => undefined);
  }
  return result;
}

interface DeployedStagecraft {
  sandbox: string | undefined;
  /** GET through the prod stage, or why it is not available. */
  stageRequest: Request | string;
  /** POST to the Invoke API for hello-lambda:prod, or why it is not available. */
  invokeRequest(): Promise<Request | string>;
  /** Execution environments running functions now. */
  environments(): Promise<number>;
  stop(): Promise<void>;
}

/** A fresh Stagecraft server with hello-lambda:prod behind the prod stage of an API, set up through the AWS APIs. */
async function deployStagecraft(args: string[] = []): Promise<DeployedStagecraft> {
  const server = await startStagecraft({ args });
  const lambda = lambdaClient(server.url);
  const apigw = apiGatewayClient(server.url);
  try {
    await deployHello(lambda, 'hello-lambda');
    const health = await stagecraftHealth(server.url);
    const api = await deployApi(apigw, lambda, server.url, { name: 'hello-api', fn: 'hello-lambda', paths: ['hello'] });
    const stageUrl = `${api.stageUrl}/hello`;
    const probe = await getText(stageUrl).catch((e: Error) => ({ status: 0, body: e.message }));
    return {
      sandbox: health.sandbox?.mode,
      stageRequest: probe.status === 200 && probe.body === HELLO_BODY
        ? { url: stageUrl }
        : `the stage URL answered ${probe.status || 'nothing'}, not 200 with the body (API Gateway data plane not available in this build)`,
      async invokeRequest() {
        const invokeUrl = server.url + invokePath('hello-lambda:prod');
        const invoke = { url: invokeUrl, method: 'POST' as const, body: '{}', headers: { 'Content-Type': 'application/json' } };
        const first = await send(invokeUrl, invoke);
        return first.status === 200 && first.body.includes(HELLO_BODY) ? invoke : `Invoke answered ${first.status}: ${first.body.slice(0, 120)}`;
      },
      environments: async () => (await stagecraftHealth(server.url)).environments?.environments ?? 0,
      stop: () => server.stop(),
    };
  } catch (e) {
    await server.stop();
    throw e;
  } finally {
    lambda.destroy();
    apigw.destroy();
  }
}
