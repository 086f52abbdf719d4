// A console record in AWS's JSON log format (LoggingConfig.LogFormat = JSON), as AWS's Node.js
// runtime writes it: {"timestamp","level","requestId","message"}. One argument stays as it is
// (an object stays an object, an Error becomes {errorType, errorMessage, stackTrace, …its own
// fields}); several are util.format'ed into one string, the first Error among them adding
// errorType, errorMessage and stackTrace beside the message.
import { format } from 'node:util';

const errorTypeOf = (e: Error): string => e?.constructor?.name ?? 'UnknownError';
const stackLines = (e: Error): string[] => (typeof e.stack === 'string' ? e.stack.split('\n') : []);

function errorReplacer(_key: string, value: unknown): unknown {
  if (!(value instanceof Error)) return value;
  return Object.assign({ errorType: errorTypeOf(value), errorMessage: value.message, stackTrace: stackLines(value) }, value);
}

export function jsonRecord(timestamp: string, level: string, requestId: string | undefined, args: unknown[]): string {
  const record: Record<string, unknown> = { timestamp, level, requestId };
  // No argument is one undefined argument: the record then has no message, as AWS's.
  if (args.length <= 1) {
    record.message = args[0];
    try {
      return JSON.stringify(record, errorReplacer);
    } catch {
      // Circular, a BigInt…: the text util.format gives it.
      record.message = format(args[0]);
      return JSON.stringify(record);
    }
  }
  record.message = format(...args);
  const error = args.find((a): a is Error => a instanceof Error);
  if (error) {
    record.errorType = errorTypeOf(error);
    record.errorMessage = error.message;
    record.stackTrace = stackLines(error);
  }
  return JSON.stringify(record);
}
