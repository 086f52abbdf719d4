// `stagecraft invoke`: calls a function (or an alias or version of it) and prints the result, the
// version that ran and, with --logs, the tail of its log.
import { readFileSync } from 'node:fs';
import { InvokeCommand, InvokeWithResponseStreamCommand, type LambdaClient } from '@aws-sdk/client-lambda';
import type { Command } from './main.js';
import { CliError, COMMON_HELP, runCommand } from './command.js';
import { colourLogLine } from './logs.js';
import { palette, write, writeJson } from './output.js';

const HELP = `Usage: stagecraft invoke <function[:alias|version]> [--payload <json|@file|->] [--logs] [--stream]

Invokes the function synchronously. The result goes to stdout; the version that ran, the status
and (with --logs) the last 4 KB of the log go to stderr. Exits 1 when the function fails.
With --stream (InvokeWithResponseStream), what a streaming handler writes is printed as it comes.

Options:
  --payload <json>     The event: JSON text, @file to read a file, or - for stdin (default {})
  --qualifier <q>      Alias or version (instead of function:qualifier)
  --logs               Print the log tail (LogType Tail)
  --async              Queue the invocation (InvocationType Event) instead of waiting
  --stream             Print the response as the function streams it (InvokeWithResponseStream)
${COMMON_HELP}

Examples:
  stagecraft invoke hello-lambda
  stagecraft invoke hello-lambda:prod --payload '{"name":"Ada"}' --logs
  stagecraft invoke hello-lambda:3 --payload @event.json --json
  stagecraft invoke chat-lambda:live --stream --payload '{"prompt":"hi"}'
`;

export function splitQualifier(ref: string): { name: string; qualifier?: string } {
  // ARNs: arn:aws:lambda:region:account:function:name[:qualifier]
  if (ref.startsWith('arn:')) {
    const parts = ref.split(':');
    return { name: parts.slice(0, 7).join(':'), qualifier: parts[7] };
  }
  const i = ref.indexOf(':');
  return i < 0 ? { name: ref } : { name: ref.slice(0, i), qualifier: ref.slice(i + 1) };
}

function readPayload(spec: string | undefined): Buffer {
  if (spec === undefined) return Buffer.from('{}');
  let text: string;
  let source = 'the --payload value';
  if (spec === '-') {
    text = readFileSync(0, 'utf8');
    source = 'stdin';
  } else if (spec.startsWith('@')) {
    source = spec.slice(1);
    try {
      text = readFileSync(source, 'utf8');
    } catch (e) {
      throw new CliError(`cannot read payload file ${source}: ${(e as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (e as Error).message}`, undefined, 2);
    }
  } else {
    text = spec;
  }
  try {
    JSON.parse(text);
  } catch (e) {
    throw new CliError(`${source} is not valid JSON (${(e as Error).message})`, `Pass a JSON event, e.g. --payload '{"key":"value"}'.`, 2, 'InvalidRequestContentException');
  }
  return Buffer.from(text);
}

export const invokeCommand: Command = {
  name: 'invoke',
  summary: 'Invoke a function and print its result, executed version and log tail',
  run: (args) => runCommand('invoke', HELP, args, {
    payload: { type: 'string' },
    qualifier: { type: 'string' },
    logs: { type: 'boolean' },
    async: { type: 'boolean' },
    stream: { type: 'boolean' },
  }, async (inv) => {
    const { values } = inv;
    const ref = inv.positionals[0];
    if (!ref) throw new CliError('name the function to invoke', 'Usage: stagecraft invoke <function[:alias]> [--payload JSON]', 2);
    const { name, qualifier: fromRef } = splitQualifier(ref);
    if (fromRef && values.qualifier && fromRef !== values.qualifier) throw new CliError(`${ref} and --qualifier ${values.qualifier} disagree`, 'Give the qualifier once.', 2);
    const qualifier = values.qualifier ?? fromRef;
    const payload = readPayload(values.payload);
    if (values.stream) {
      if (values.async || values.json) throw new CliError(`--stream cannot be combined with --${values.async ? 'async' : 'json'}`, 'Stream the response, or queue it / print it as JSON.', 2);
      return invokeStreaming(inv.clients().lambda, { name, qualifier, payload, logs: Boolean(values.logs), noColor: Boolean(values['no-color']) });
    }
    const started = Date.now();
    const out = await inv.clients().lambda.send(new InvokeCommand({
      FunctionName: name,
      Qualifier: qualifier,
      Payload: payload,
      LogType: values.logs && !values.async ? 'Tail' : undefined,
      InvocationType: values.async ? 'Event' : 'RequestResponse',
    }));
    const ms = Date.now() - started;
    const result = Buffer.from(out.Payload ?? new Uint8Array()).toString('utf8');
    const logs = out.LogResult ? Buffer.from(out.LogResult, 'base64').toString('utf8') : undefined;
    const target = `${name}${qualifier ? `:${qualifier}` : ''}`;
    if (values.json) {
      let parsed: unknown = result;
      try {
        parsed = result ? JSON.parse(result) : null;
      } catch {
        /* not JSON: keep the text */
      }
      writeJson({ function: name, qualifier: qualifier ?? null, statusCode: out.StatusCode, executedVersion: out.ExecutedVersion ?? null, functionError: out.FunctionError ?? null, payload: parsed, logs: logs ?? null, durationMs: ms });
      return out.FunctionError ? 1 : 0;
    }
    const c = palette(process.stderr, Boolean(values['no-color']));
    if (values.async) {
      write(`Queued an asynchronous invocation of ${target} (status ${out.StatusCode}).`, process.stderr);
      return 0;
    }
    if (result) write(result);
    const failure = out.FunctionError ? `${out.FunctionError}${errorSummary(result)}` : undefined;
    return summarise(c, target, [`version ${out.ExecutedVersion ?? '?'}`, `status ${out.StatusCode}`, `${ms} ms`], logs, failure);
  }, 1),
};

/** `: Runtime.ImportModuleError: …` from a function error's payload, so stderr says what failed. */
function errorSummary(payload: string): string {
  try {
    const { errorType, errorMessage } = JSON.parse(payload) as { errorType?: unknown; errorMessage?: unknown };
    const text = [errorType, errorMessage].filter((x) => typeof x === 'string' && x).join(': ');
    return text ? `: ${text.length > 200 ? `${text.slice(0, 199)}…` : text}` : '';
  } catch {
    return '';
  }
}

/** The log tail and the closing line on stderr; 1 when the function failed. */
function summarise(c: ReturnType<typeof palette>, target: string, meta: string[], logs: string | undefined, failure: string | undefined): number {
  if (logs) {
    write(c.dim('--- log tail ---'), process.stderr);
    for (const line of logs.replace(/\n$/, '').split('\n')) write(colourLogLine(line, c), process.stderr);
    write(c.dim('---'), process.stderr);
  }
  if (failure) {
    write(`${c.red(`${target} failed (${failure})`)} · ${meta.join(' · ')}`, process.stderr);
    return 1;
  }
  write(c.dim(`${target} · ${meta.join(' · ')}`), process.stderr);
  return 0;
}

/** --stream: each PayloadChunk goes to stdout as it arrives; InvokeComplete says how it ended. */
async function invokeStreaming(lambda: LambdaClient, o: { name: string; qualifier?: string; payload: Buffer; logs: boolean; noColor: boolean }): Promise<number> {
  const started = Date.now();
  const out = await lambda.send(new InvokeWithResponseStreamCommand({ FunctionName: o.name, Qualifier: o.qualifier, Payload: o.payload, LogType: o.logs ? 'Tail' : undefined }));
  let failure: string | undefined;
  let logs: string | undefined;
  let endsWithNewline = true;
  for await (const event of out.EventStream ?? []) {
    const chunk = event.PayloadChunk?.Payload;
    if (chunk?.length) {
      process.stdout.write(chunk);
      endsWithNewline = chunk[chunk.length - 1] === 0x0a;
    }
    if (event.InvokeComplete) {
      if (event.InvokeComplete.ErrorCode) failure = `${event.InvokeComplete.ErrorCode}: ${event.InvokeComplete.ErrorDetails ?? ''}`;
      if (event.InvokeComplete.LogResult) logs = Buffer.from(event.InvokeComplete.LogResult, 'base64').toString('utf8');
    }
  }
  if (!endsWithNewline) process.stdout.write('\n');
  const c = palette(process.stderr, o.noColor);
  const target = `${o.name}${o.qualifier ? `:${o.qualifier}` : ''}`;
  return summarise(c, target, [`version ${out.ExecutedVersion ?? '?'}`, `status ${out.StatusCode}`, `${Date.now() - started} ms`, 'streamed'], logs, failure);
}
