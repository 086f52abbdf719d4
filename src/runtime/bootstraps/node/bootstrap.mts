// Stagecraft's Node.js runtime: the process that runs inside an execution environment for the
// nodejs* runtimes. It speaks the Lambda Runtime API (next -> invoke -> response/error) and loads
// the handler the way AWS's Node.js runtime interface client does.
//
// Self-contained on purpose: only this directory is mounted at /var/runtime in the sandbox, so its
// modules import nothing but Node's built-in modules and each other (`./x.mjs`):
//   bootstrap.mts       this entry point: process-level error hooks, the client, the handler, the loop
//   errors.mts          the runtime's own errors (Runtime.*), error bodies and their log format
//   logging.mts         console.* as AWS formats it, sent as log records
//   channel.mts         the private channel: its fds, frames, the Runtime API over it
//   http-client.mts     the Runtime API over HTTP at AWS_LAMBDA_RUNTIME_API (imported only then)
//   handler-loader.mts  finding and loading the handler
//   invoke-loop.mts     next -> invoke -> response/error, response streaming
// Every ES module adds to each process start (0.5-1 ms of CPU with Node 20, measured here), so
// there are few of them, and node:http is imported only when it is used.
import { ChannelRuntimeClient, inFd, outFd, routeStdioThroughChannel } from './channel.mjs';
import { RuntimeError, fatal } from './errors.mjs';
import { checkHandlerSignature, loadHandler, runtimeRequire } from './handler-loader.mjs';
import { Runtime, installAwsLambdaGlobal, installTraceIdVariable, type Handler, type RuntimeClient } from './invoke-loop.mjs';
import { logError, patchConsole } from './logging.mjs';

/** A pre-started generic process: its function's variables and code come with a specialise frame. */
const isCell = process.env._STAGECRAFT_CELL === '1';
delete process.env._STAGECRAFT_CELL;

let client: RuntimeClient | undefined;
let runtime: Runtime | undefined;

/** Reports an error to the platform (as an init or an invocation error), then exits. */
function failAndExit(title: string, error: unknown, code: number): void {
  logError(title, error);
  const id = runtime?.currentRequestId;
  // Between invocations there is nobody to tell: the platform sees the exit.
  const report = !client || (runtime && !id) ? Promise.resolve() : id ? client.error(id, error, true) : client.initError(error);
  report.then(
    () => process.exit(code),
    () => process.exit(code),
  );
}

/** Becomes the function's process: its variables replace the generic ones before its code loads. */
function specialise(meta: Record<string, unknown>): void {
  // The platform's variables for the function; the cell's own generic ones are all among them, and
  // what the launcher added (bubblewrap's PWD) stays, as in a fresh process.
  const env = (meta.env ?? {}) as Record<string, string>;
  for (const [k, v] of Object.entries(env)) process.env[k] = String(v);
  // NODE_PATH is read at start; read it again (the platform's value, the same as a fresh process's).
  (runtimeRequire('node:module') as { _initPaths?: () => void })._initPaths?.();
  patchConsole();
}

async function main(): Promise<void> {
  installAwsLambdaGlobal();
  installTraceIdVariable();
  patchConsole();
  process.on('uncaughtException', (error) => failAndExit('Uncaught Exception', error, 129));
  process.on('unhandledRejection', (reason) => {
    const error = new RuntimeError('UnhandledPromiseRejection', String(reason));
    failAndExit('Unhandled Promise Rejection', error, 128);
  });

  if (inFd !== undefined && outFd !== undefined) {
    const channel = new ChannelRuntimeClient(inFd);
    client = channel;
    routeStdioThroughChannel();
    if (isCell) specialise(await channel.awaitSpecialise());
  } else {
    const endpoint = process.env.AWS_LAMBDA_RUNTIME_API;
    if (!endpoint) throw new Error('AWS_LAMBDA_RUNTIME_API is not set');
    // Loaded only when needed: the private channel spares every cold start the cost of node:http.
    const { HttpRuntimeClient } = await import('./http-client.mjs');
    client = new HttpRuntimeClient(endpoint);
  }

  let handler: Handler;
  try {
    handler = await loadHandler(process.env._HANDLER ?? '');
    checkHandlerSignature(handler);
  } catch (error) {
    failAndExit('Uncaught Exception', error, 129);
    return;
  }
  runtime = new Runtime(client, handler);
  runtime.scheduleNext();
}

main().catch(fatal);
