// Moving aliases, with a memory: every move records where the alias pointed before in a tag on
// the function (`stagecraft:previous:<alias>`, e.g. "1 2 2+3@0.1", newest last), so `stagecraft
// rollback` works from any machine and anyone can see it with `aws lambda list-tags`.
import {
  CreateAliasCommand, GetAliasCommand, ListTagsCommand, TagResourceCommand, UntagResourceCommand, UpdateAliasCommand,
  type AliasConfiguration, type LambdaClient,
} from '@aws-sdk/client-lambda';
import { isNotFound } from './errors.js';
import { formatState, parseState, sameState, type AliasState } from './alias-state.js';

export { formatState, parseState, sameState, type AliasState };

export const HISTORY_TAG_PREFIX = 'stagecraft:previous:';
const MAX_HISTORY = 10;
const MAX_TAG_VALUE = 256;

export function historyTag(alias: string): string {
  return `${HISTORY_TAG_PREFIX}${alias}`;
}

export function stateOf(alias: AliasConfiguration): AliasState {
  return { version: alias.FunctionVersion ?? '$LATEST', weights: { ...(alias.RoutingConfig?.AdditionalVersionWeights ?? {}) } };
}

/** "version 3", or "90% version 3, 10% version 4". */
export function describeState(s: AliasState): string {
  const extra = Object.entries(s.weights).filter(([, w]) => w > 0);
  if (!extra.length) return `version ${s.version}`;
  const rest = 1 - extra.reduce((n, [, w]) => n + w, 0);
  // Shares first, so "(was 90% version 1, 10% version 2)" needs no nested parentheses.
  return [`${percent(rest)} version ${s.version}`, ...extra.map(([v, w]) => `${percent(w)} version ${v}`)].join(', ');
}

export function percent(w: number): string {
  return `${Math.round(w * 10000) / 100}%`;
}

export async function readHistory(lambda: LambdaClient, functionArn: string, alias: string): Promise<AliasState[]> {
  const tags = (await lambda.send(new ListTagsCommand({ Resource: functionArn }))).Tags ?? {};
  return parseHistory(tags[historyTag(alias)]);
}

export function parseHistory(value: string | undefined): AliasState[] {
  return (value ?? '').split(' ').filter(Boolean).map(parseState).filter((s): s is AliasState => s !== undefined);
}

export async function writeHistory(lambda: LambdaClient, functionArn: string, alias: string, history: AliasState[]): Promise<void> {
  let kept = history.slice(-MAX_HISTORY);
  while (kept.length && kept.map(formatState).join(' ').length > MAX_TAG_VALUE) kept = kept.slice(1);
  if (!kept.length) {
    await lambda.send(new UntagResourceCommand({ Resource: functionArn, TagKeys: [historyTag(alias)] }));
    return;
  }
  await lambda.send(new TagResourceCommand({ Resource: functionArn, Tags: { [historyTag(alias)]: kept.map(formatState).join(' ') } }));
}

export async function getAlias(lambda: LambdaClient, functionName: string, alias: string): Promise<AliasConfiguration | undefined> {
  try {
    return await lambda.send(new GetAliasCommand({ FunctionName: functionName, Name: alias }));
  } catch (e) {
    if (isNotFound(e)) return undefined;
    throw e;
  }
}

export interface AliasMove {
  /** created, moved, or unchanged. */
  action: 'created' | 'moved' | 'unchanged';
  before?: AliasState;
  after: AliasState;
  alias: AliasConfiguration;
}

/**
 * Points `alias` at `target` (creating it if needed). A move from an earlier state is recorded
 * in the history tag unless `record` is false (rollback pops the history itself).
 */
export async function moveAlias(
  lambda: LambdaClient,
  fn: { name: string; arn: string },
  alias: string,
  target: AliasState,
  options: { record?: boolean; description?: string; current?: AliasConfiguration | null } = {},
): Promise<AliasMove> {
  const current = options.current === undefined ? await getAlias(lambda, fn.name, alias) : options.current ?? undefined;
  const routing = { AdditionalVersionWeights: target.weights };
  if (!current) {
    const created = await lambda.send(new CreateAliasCommand({
      FunctionName: fn.name, Name: alias, FunctionVersion: target.version, Description: options.description,
      RoutingConfig: Object.keys(target.weights).length ? routing : undefined,
    }));
    return { action: 'created', after: target, alias: created };
  }
  const before = stateOf(current);
  if (sameState(before, target)) return { action: 'unchanged', before, after: target, alias: current };
  const updated = await lambda.send(new UpdateAliasCommand({
    FunctionName: fn.name, Name: alias, FunctionVersion: target.version, RoutingConfig: routing, RevisionId: current.RevisionId,
    Description: options.description,
  }));
  if (options.record ?? true) {
    const history = await readHistory(lambda, fn.arn, alias);
    await writeHistory(lambda, fn.arn, alias, [...history, before]);
  }
  return { action: 'moved', before, after: stateOf(updated), alias: updated };
}
