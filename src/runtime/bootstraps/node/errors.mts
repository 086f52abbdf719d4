// Errors the runtime raises itself, named as AWS names them, and how any error is reported: as the
// body of …/error and …/init/error, and as the JSON AWS prints after "Invoke Error" in the log.
import { types } from 'node:util';

/** The body posted to /invocation/{id}/error and /init/error. */
export interface RapidError {
  errorType: string;
  errorMessage: string;
  trace: string[];
}

export class RuntimeError extends Error {
  constructor(type: string, message: string) {
    super(message);
    this.name = `Runtime.${type}`;
  }
}

export const importModuleError = (cause: unknown): RuntimeError => new RuntimeError('ImportModuleError', String(cause));

export function userCodeSyntaxError(cause: Error): RuntimeError {
  const e = new RuntimeError('UserCodeSyntaxError', String(cause));
  e.stack = cause.stack;
  return e;
}

function isErrorLike(e: unknown): e is Error {
  if (types.isNativeError(e)) return true;
  const o = e as { name?: unknown; message?: unknown; stack?: unknown } | null;
  return !!o && typeof o.name === 'string' && typeof o.message === 'string' && typeof o.stack === 'string';
}

export function toRapidError(error: unknown): RapidError {
  try {
    if (isErrorLike(error)) {
      return { errorType: error.name, errorMessage: error.message, trace: (error.stack ?? '').split('\n') };
    }
    return { errorType: typeof error, errorMessage: String(error), trace: [] };
  } catch {
    return {
      errorType: 'handled',
      errorMessage: 'callback called with Error argument, but there was a problem while retrieving one or more of its message, name, and stack',
      trace: [],
    };
  }
}

/** The JSON AWS prints after "Invoke Error" / "Uncaught Exception" in the function's log. */
export function toLoggedError(error: unknown): string {
  const replacer = (_k: string, v: unknown): unknown => {
    if (v instanceof Error) {
      const out: Record<string, unknown> = { errorType: v.name, errorMessage: v.message, code: (v as { code?: unknown }).code };
      Object.assign(out, v);
      if (typeof v.stack === 'string') out.stack = v.stack.split('\n');
      return out;
    }
    return v;
  };
  try {
    return '\t' + JSON.stringify(error, replacer);
  } catch {
    return '\t' + JSON.stringify(toRapidError(error));
  }
}

/** An Error for the log; a value that cannot even be stringified (a throwing Proxy) is logged as its error body. */
export function intoError(e: unknown): unknown {
  try {
    return e instanceof Error ? e : new Error(String(e));
  } catch {
    return toRapidError(e);
  }
}

/** The runtime itself broke (not the function): say so on stderr and exit. */
export function fatal(err: unknown): void {
  try {
    process.stderr.write(`Stagecraft runtime error: ${String((err as Error)?.stack ?? err)}\n`);
  } finally {
    process.exit(1);
  }
}
