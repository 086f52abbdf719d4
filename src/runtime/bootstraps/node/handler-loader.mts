// Handler resolution, as AWS's runtime interface client does it: `file.export` under the task root
// (CommonJS, or ESM where the nearest package.json says "type": "module", then .mjs, .cjs), else
// resolved like Node would (node_modules, NODE_PATH); each failure a typed Runtime.* error.
import * as fs from 'node:fs';
import { createRequire } from 'node:module';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { RuntimeError, importModuleError, userCodeSyntaxError } from './errors.mjs';
import type { Handler } from './invoke-loop.mjs';

/** Where the function's code is: read when the handler is loaded, not when this module is. */
const appRoot = (): string => process.env.LAMBDA_TASK_ROOT ?? '/var/task';
const runtimeDir = process.env.LAMBDA_RUNTIME_DIR ?? '/var/runtime';
// Require stacks in error messages name /var/runtime/index.mjs, as they do on AWS.
export const runtimeRequire = createRequire(path.join(runtimeDir, 'index.mjs'));

function hasTypeModule(folder: string): boolean {
  for (let dir = folder; ; dir = path.dirname(dir)) {
    if (dir.endsWith('/node_modules')) return false;
    const pj = path.join(dir, 'package.json');
    if (fs.existsSync(pj)) {
      try {
        return JSON.parse(fs.readFileSync(pj, 'utf8'))?.type === 'module';
      } catch (e) {
        console.warn(`${pj} cannot be read, it will be ignored for ES module detection purposes.`, e);
        return false;
      }
    }
    if (dir === '/' || dir === path.dirname(dir)) return false;
  }
}

const tryRequire = (file: string): unknown => (fs.existsSync(file) ? runtimeRequire(file) : undefined);
const tryImport = async (file: string): Promise<unknown> => (fs.existsSync(file) ? await import(pathToFileURL(file).href) : undefined);

async function loadModule(moduleRoot: string, moduleName: string): Promise<unknown> {
  const base = path.resolve(appRoot(), moduleRoot, moduleName);
  const extensionless = tryRequire(base);
  if (extensionless) return extensionless;
  const esm = hasTypeModule(path.dirname(base));
  if (!esm) {
    const cjs = tryRequire(base + '.js');
    if (cjs) return cjs;
  }
  const loaded = (esm && (await tryImport(base + '.js'))) || (await tryImport(base + '.mjs')) || tryRequire(base + '.cjs');
  if (loaded) return loaded;
  // Not a file under the task root: resolve it like Node would (node_modules, NODE_PATH).
  return runtimeRequire(runtimeRequire.resolve(moduleName, { paths: [appRoot(), moduleRoot] }));
}

export async function loadHandler(fullHandler: string): Promise<Handler> {
  if (fullHandler.includes('..')) {
    throw new RuntimeError(
      'MalformedHandlerName',
      `'${fullHandler}' is not a valid handler name. Use absolute paths when specifying root directories in handler names.`,
    );
  }
  const handlerString = path.basename(fullHandler);
  const moduleRoot = fullHandler.substring(0, fullHandler.indexOf(handlerString));
  const match = /^([^.]*)\.(.*)$/.exec(handlerString);
  if (!match) throw new RuntimeError('MalformedHandlerName', 'Bad handler');
  const [, moduleName, handlerPath] = match;

  let userModule: unknown;
  try {
    userModule = await loadModule(moduleRoot, moduleName);
  } catch (e) {
    if (e instanceof SyntaxError) throw userCodeSyntaxError(e);
    const code = (e as { code?: unknown } | null)?.code;
    if (code === 'MODULE_NOT_FOUND' || code === 'ERR_MODULE_NOT_FOUND') throw importModuleError(e);
    throw e;
  }

  const fn = handlerPath.split('.').reduce<unknown>((obj, key) => (obj as Record<string, unknown> | undefined)?.[key], userModule);
  if (!fn) throw new RuntimeError('HandlerNotFound', `${fullHandler} is undefined or not exported`);
  if (typeof fn !== 'function') throw new RuntimeError('HandlerNotFound', `${fullHandler} is not a function`);
  return fn as Handler;
}

const CALLBACK_REMOVED =
  'ERROR: AWS Lambda has removed support for callback-based function handlers starting with Node.js 24. You need to modify this function to use a supported handler signature to use Node.js 24 or later. For more information see https://docs.aws.amazon.com/lambda/latest/dg/nodejs-handler.html.';

/** Node.js 24 refuses callback-style handlers (three parameters), as AWS's runtime does. */
export function checkHandlerSignature(handler: Handler): void {
  if (process.env.AWS_EXECUTION_ENV === 'AWS_Lambda_nodejs24.x' && handler.length >= 3) {
    throw new RuntimeError('CallbackHandlerDeprecated', CALLBACK_REMOVED);
  }
}
