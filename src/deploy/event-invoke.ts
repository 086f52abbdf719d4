// Deploying a function's EventInvokeConfig: on its AutoPublishAlias when it has one (as SAM does),
// else on $LATEST; set when it differs. A template without one leaves the settings alone (they may
// have been made outside the stack, which nothing records), as with FunctionUrlConfig.
import {
  GetFunctionEventInvokeConfigCommand, PutFunctionEventInvokeConfigCommand,
  type GetFunctionEventInvokeConfigCommandOutput,
} from '@aws-sdk/client-lambda';
import { isNotFound } from './errors.js';
import type { EventInvokeSpec } from './event-invoke-spec.js';
import type { FunctionContext } from './functions.js';
import type { FunctionSpec } from './function-spec.js';

const current = (c: GetFunctionEventInvokeConfigCommandOutput | undefined): EventInvokeSpec | undefined => c && ({
  maximumEventAgeInSeconds: c.MaximumEventAgeInSeconds,
  maximumRetryAttempts: c.MaximumRetryAttempts,
  onSuccess: c.DestinationConfig?.OnSuccess?.Destination || undefined,
  onFailure: c.DestinationConfig?.OnFailure?.Destination || undefined,
});

/** AWS's defaults for what a setting leaves out, so an unchanged template changes nothing. */
const effective = (s: EventInvokeSpec | undefined) => s && ({
  maximumEventAgeInSeconds: s.maximumEventAgeInSeconds ?? 21600,
  maximumRetryAttempts: s.maximumRetryAttempts ?? 2,
  onSuccess: s.onSuccess,
  onFailure: s.onFailure,
});

export async function syncEventInvokeConfig(ctx: FunctionContext, spec: FunctionSpec): Promise<void> {
  if (!spec.eventInvoke) return;
  const { lambda, progress } = ctx;
  const id = spec.logicalId;
  const qualifier = spec.autoPublishAlias ?? '$LATEST';
  const target = `${spec.name}:${qualifier}`;
  const existing = await ctx.step(id, `reading the asynchronous invocation settings of ${target}`, async () => {
    try {
      return await lambda.send(new GetFunctionEventInvokeConfigCommand({ FunctionName: spec.name, Qualifier: qualifier }));
    } catch (e) {
      if (isNotFound(e)) return undefined;
      throw e;
    }
  });
  const have = effective(current(existing));
  const want = effective(spec.eventInvoke);
  if (!want || JSON.stringify(have) === JSON.stringify(want)) return;
  await ctx.step(id, `setting the asynchronous invocation settings of ${target}`, () => lambda.send(new PutFunctionEventInvokeConfigCommand({
    FunctionName: spec.name,
    Qualifier: qualifier,
    MaximumEventAgeInSeconds: want.maximumEventAgeInSeconds,
    MaximumRetryAttempts: want.maximumRetryAttempts,
    DestinationConfig: { OnSuccess: want.onSuccess ? { Destination: want.onSuccess } : {}, OnFailure: want.onFailure ? { Destination: want.onFailure } : {} },
  })));
  const parts = [`${want.maximumRetryAttempts} retries`, `events up to ${want.maximumEventAgeInSeconds} s old`];
  if (want.onSuccess) parts.push(`on success → ${want.onSuccess}`);
  if (want.onFailure) parts.push(`on failure → ${want.onFailure}`);
  progress.report({ subject: id, kind: 'updated', message: `asynchronous invocation settings of ${target}: ${parts.join(', ')}` });
}
