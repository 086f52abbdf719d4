// One line saying what a deploy changed, as `deploy --watch` prints after each redeploy:
// `hello-lambda: code updated, version 4, alias dev → 4` or `nothing changed`.
import type { DeployResult } from '../deploy/deploy.js';

type Summarised = Pick<DeployResult, 'changes' | 'functions' | 'layers'>;

export function summarizeDeploy(result: Summarised): string {
  const changesOf = new Map<string, Summarised['changes']>();
  for (const ch of result.changes) if (ch.kind !== 'unchanged') changesOf.set(ch.subject, [...(changesOf.get(ch.subject) ?? []), ch]);
  const bySubject = new Map<string, string[]>();
  for (const [subject, changes] of changesOf) {
    const ownPhrases = isFunctionOrLayer(result, subject) || changes.length === 1;
    bySubject.set(subject, ownPhrases ? [...new Set(changes.map((ch) => phraseOf(result, ch)))] : [counted(changes)]);
  }
  if (!bySubject.size) return 'nothing changed';
  return [...bySubject].map(([subject, phrases]) => `${displayName(result, subject)}: ${phrases.join(', ')}`).join('; ');
}

/** Several changes of a resource other than a function or layer (an API's routes, stages, …): counted by kind. */
function counted(changes: Summarised['changes']): string {
  const kinds = new Map<string, number>();
  for (const ch of changes) kinds.set(ch.kind, (kinds.get(ch.kind) ?? 0) + 1);
  return [...kinds].map(([kind, n]) => `${n} ${kind}`).join(', ');
}

function isFunctionOrLayer(result: Summarised, subject: string): boolean {
  return result.functions.some((f) => f.logicalId === subject) || result.layers.some((l) => l.logicalId === subject);
}

function displayName(result: Summarised, subject: string): string {
  return result.functions.find((f) => f.logicalId === subject)?.name ?? result.layers.find((l) => l.logicalId === subject)?.name ?? subject;
}

/** A function's and a layer's steps in a word or two (their messages are deploy's own, functions.ts and layers.ts); anything else as deploy said it. */
function phraseOf(result: Summarised, ch: Summarised['changes'][number]): string {
  const fn = result.functions.find((f) => f.logicalId === ch.subject);
  if (fn) {
    if (ch.kind === 'created' && ch.message.startsWith('function ')) return 'created';
    if (ch.message.startsWith('code of ')) return 'code updated';
    if (ch.kind === 'published' && ch.message.startsWith('version ')) return `version ${ch.message.split(' ')[1]}`;
    if ((ch.kind === 'moved' || ch.kind === 'created') && ch.message.startsWith('alias ')) {
      const moved = /^alias [^:\s]+:(\S+) → version (\S+)/.exec(ch.message);
      if (moved) return `alias ${moved[1]} → ${moved[2]}`;
    }
    if (/^(configuration|settings|tags|reserved concurrency) of /.test(ch.message)) return 'configuration updated';
  }
  const layer = result.layers.find((l) => l.logicalId === ch.subject);
  if (layer && ch.kind === 'published') return `version ${layer.version} published`;
  return `${ch.message} [${ch.kind}]`;
}
