// Warm path: GET through an API Gateway stage to hello-lambda:prod at concurrency 1 and 32, beside
// a bare Node server (the floor), serverless-offline in both its modes, and the Invoke API.
import { getText, send } from '../lib/http.js';
import { HELLO_BODY } from '../lib/hello.js';
import { measureLoad, notAvailable, primeConcurrency } from '../lib/load.js';
import type { SuiteContext } from '../lib/context.js';
import type { LoadFigures, WarmResults, WarmRow, WarmTargetId } from '../lib/results.js';
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

export async function runWarm(ctx: SuiteContext): Promise<WarmResults> {
  const rows: WarmRow[] = [];
  const result: WarmResults = { machine: ctx.machine, settings: { quick: ctx.quick, loadSec: ctx.loadSec, warmupSec: ctx.warmupSec }, rows };

  /** Measures `request` at each concurrency; `ready(c)` tells when the target is warm for c. */
  const record = async (target: WarmTargetId, request: Request | string, ready?: (c: number) => Promise<boolean>) => {
    for (const concurrency of CONCURRENCIES) {
      let figures: LoadFigures;
      if (typeof request === 'string') figures = notAvailable(request);
      else {
        ctx.log(`warm: ${target} at concurrency ${concurrency}`);
        const options = { ...request, connections: concurrency };
        const prime = () => primeConcurrency(options, ready && (() => ready(concurrency)));
        figures = await measureLoad(ctx, options, prime).catch((e: Error) => notAvailable(e.message.split('\n')[0]));
      }
      rows.push({ target, label: WARM_LABELS[target], concurrency, ...figures });
    }
  };

  // (a) The floor.
  const bare = await startBareNode();
  try {
    await record('bare-node', { url: bare.url + '/hello' });
  } finally {
    await bare.stop();
  }
  const hop = await startOneHop();
  try {
    await record('one-hop', { url: hop.url + '/hello' });
  } finally {
    await hop.stop();
  }

  // Stagecraft as users run it (paced scale-out): one server, hello-lambda:prod behind an API stage.
  {
    const stagecraft = await deployStagecraft();
    try {
      result.sandbox = stagecraft.sandbox;
      // Paced scale-out starts environments only while waiting would be slower: warm once the count stops growing.
      let last = -1;
      const settled = async () => {
        const now = await stagecraft.environments();
        const stable = now === last;
        last = now;
        return stable;
      };
      await record('stagecraft-apigw', stagecraft.stageRequest, settled);
      const invoke = await stagecraft.invokeRequest();
      last = -1;
      await record('stagecraft-invoke', invoke, settled);
      result.stagecraftEnvironments = await stagecraft.environments();
    } finally {
      await stagecraft.stop();
    }
  }

  // The same with AWS's scale-out: an environment for every concurrent invocation.
  {
    const stagecraft = await deployStagecraft(['--scale-out', 'eager']);
    try {
      await record('stagecraft-apigw-eager', stagecraft.stageRequest, async (c) => (await stagecraft.environments()) >= c);
      result.stagecraftEnvironmentsEager = await stagecraft.environments();
    } finally {
      await stagecraft.stop();
    }
  }

  // The default again with environments under the server's own scheduling policy (the default is
  // SCHED_BATCH): what that choice is worth, side by side.
  {
    const stagecraft = await deployStagecraft(['--scheduling', 'normal']);
    try {
      let last = -1;
      const settled = async () => {
        const now = await stagecraft.environments();
        const stable = now === last;
        last = now;
        return stable;
      };
      await record('stagecraft-apigw-normal-scheduling', stagecraft.stageRequest, settled);
    } finally {
      await stagecraft.stop();
    }
  }

  // (b) serverless-offline, the tool many users come from, in both modes.
  for (const [target, inProcess] of [['sls-offline', false], ['sls-offline-inprocess', true]] as const) {
    ctx.log(`warm: starting ${target}`);
    const offline = await startServerlessOffline({ inProcess }).catch((e: Error) => e);
    if (offline instanceof Error) {
      await record(target, `could not start: ${offline.message.split('\n')[0]}`);
      continue;
    }
    try {
      const probe = await getText(offline.helloUrl).catch((e: Error) => ({ status: 0, body: e.message }));
      await record(target, probe.status === 200 && probe.body === HELLO_BODY ? { url: offline.helloUrl } : `GET answered ${probe.status}: ${probe.body.slice(0, 120)}`);
    } finally {
      await offline.stop();
    }
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
