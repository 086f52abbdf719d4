// Logging: console.* becomes `time \t requestId \t LEVEL \t message` (or, with
// AWS_LAMBDA_LOG_FORMAT=JSON, one JSON object: json-record.mts), at or above AWS_LAMBDA_LOG_LEVEL. A record goes to the platform as an 'L' frame when the channel is there (so
// a record with newlines stays one log event), else to stdout with newlines replaced by '\r' as
// AWS does.
import { format } from 'node:util';
import { outFd, writeFrame } from './channel.mjs';
import { intoError, toLoggedError } from './errors.mjs';
import { jsonRecord } from './json-record.mjs';

let currentRequestId: string | undefined;

/** The invocation the records written from now on belong to. */
export function setRequestId(requestId: string): void {
  currentRequestId = requestId;
}

function writeRecord(text: string): void {
  if (outFd !== undefined) {
    try {
      writeFrame('L', {}, Buffer.from(text, 'utf8'));
      return;
    } catch {
      // The channel is gone (platform shutting down): fall back to stdout.
    }
  }
  process.stdout.write(text.replace(/\n/g, '\r') + '\n');
}

const LEVELS = ['TRACE', 'DEBUG', 'INFO', 'WARN', 'ERROR', 'FATAL'] as const;
type Level = (typeof LEVELS)[number];

/** Replaces console's methods (again after a cell is specialised: the format and level may have changed). */
export function patchConsole(): void {
  const json = process.env.AWS_LAMBDA_LOG_FORMAT?.toUpperCase() === 'JSON';
  const minimum = Math.max(0, LEVELS.indexOf((process.env.AWS_LAMBDA_LOG_LEVEL ?? 'TRACE').toUpperCase() as Level));
  // The format is chosen here, not per record: a Text function's records take the path they always took.
  const logger = (level: Level) => {
    if (LEVELS.indexOf(level) < minimum) return () => {};
    if (json) return (...args: unknown[]): void => writeRecord(jsonRecord(new Date().toISOString(), level, currentRequestId, args));
    return (...args: unknown[]): void => {
      writeRecord(`${new Date().toISOString()}\t${currentRequestId}\t${level}\t${format(...args)}`);
    };
  };
  const c = console as unknown as Record<string, unknown>;
  c.trace = logger('TRACE');
  c.debug = logger('DEBUG');
  c.info = logger('INFO');
  c.log = c.info;
  c.warn = logger('WARN');
  c.error = logger('ERROR');
  c.fatal = logger('FATAL');
  logError = json ? logJsonError : logTextError;
}

const logTextError = (title: string, error: unknown): void => console.error(title, toLoggedError(intoError(error)));
/** JSON: the error alone, so it lands in `message` as {errorType, errorMessage, stackTrace} (AWS drops the title). */
const logJsonError = (_title: string, error: unknown): void => console.error(intoError(error));

/** `Invoke Error {…}`, `Uncaught Exception {…}`: as AWS logs them. */
export let logError = logTextError;
