// The whole-stack half of `stagecraft promote --stack` and `stagecraft rollback --stack`: runs the
// stack promotion or rollback (deploy/stack-promotion.ts) and prints its outcome (or the result as JSON).
import { CliError, type Invocation } from './command.js';
import { describeState, percent } from '../deploy/aliases.js';
import { parseCanary, PromotionError } from '../deploy/promotion.js';
import { previewStackPromotion, promoteStack, rollbackStack, type StackPromotionPreview } from '../deploy/stack-promotion.js';
import { aliasPreviewLines, writePreview } from './promotion-preview-output.js';
import { palette, table, write, writeJson } from './output.js';

type Common = { json?: boolean; 'no-color'?: boolean };

function asCliError(e: unknown, exitCode = 1): never {
  if (e instanceof PromotionError) throw new CliError(/[.!?]$/.test(e.message) ? e.message : `${e.message}.`, e.hint, exitCode, e.type);
  throw e;
}

export async function promoteStackAliases(inv: Invocation<Common & { stack?: string; from?: string; to?: string; canary?: string; api?: string; 'dry-run'?: boolean }>): Promise<number> {
  const { values } = inv;
  const stack = values.stack!;
  if (values.api !== undefined) throw new CliError('--stack and --api promote different things: give one of them', undefined, 2);
  if (inv.positionals.length) throw new CliError(`--stack promotes every function of the stack: drop '${inv.positionals[0]}'`, `For example: stagecraft promote --stack ${stack} --from dev --to prod`, 2);
  if (!values.from || !values.to) throw new CliError('--from and --to are required', `For example: stagecraft promote --stack ${stack} --from dev --to prod`, 2);
  let canary: number | undefined;
  try {
    canary = values.canary === undefined ? undefined : parseCanary(values.canary);
  } catch (e) {
    asCliError(e, 2);
  }
  try {
    if (values['dry-run']) {
      const preview = await previewStackPromotion(inv.clients().lambda, stack, values.from, values.to, canary);
      writePreview(preview, Boolean(values.json), stackPreviewLines(preview, palette(process.stdout, Boolean(values['no-color']))));
      return 0;
    }
    const r = await promoteStack(inv.clients().lambda, stack, values.from, values.to, canary);
    if (values.json) {
      writeJson(r);
      return 0;
    }
    const c = palette(process.stdout, Boolean(values['no-color']));
    const rows = r.promoted.map((p) => [
      `${p.function}:${p.alias}`,
      p.action === 'unchanged' ? c.dim('unchanged') : p.action === 'created' ? c.green('created') : c.green(canary !== undefined ? 'canary' : 'promoted'),
      p.before ? describeState(p.before) : '-',
      describeState(p.after),
    ]);
    for (const s of r.skipped) rows.push([s.function, c.dim('skipped'), c.dim(s.reason), '']);
    write(table(['ALIAS', 'ACTION', 'BEFORE', 'NOW'], rows, c));
    const moved = r.promoted.filter((p) => p.action !== 'unchanged').length;
    const what = canary !== undefined ? `now send ${percent(canary)} of their traffic to what ${r.from} runs` : `run what ${r.from} runs`;
    if (!moved) write(`Every function of stack ${stack} already runs what ${r.from} runs on ${r.to}; nothing to do.`);
    else write(`${c.green('Stack')} ${stack}: ${moved} alias${moved === 1 ? '' : 'es'} ${r.to} ${what}.`);
    if (moved && canary !== undefined) write(c.dim(`Finish with: stagecraft promote --stack ${stack} --from ${r.from} --to ${r.to}    Cancel with: stagecraft rollback --stack ${stack} --alias ${r.to}`));
    else if (moved) write(c.dim(`Undo with: stagecraft rollback --stack ${stack} --alias ${r.to}`));
    return 0;
  } catch (e) {
    asCliError(e);
  }
}

/** Each function's preview under its name, then the functions left alone. */
function stackPreviewLines(p: StackPromotionPreview, c: ReturnType<typeof palette>): string[] {
  const lines: string[] = [];
  for (const fn of p.functions) lines.push(c.bold(`${fn.function}`), ...aliasPreviewLines(fn, c).map((l) => (l ? `  ${l}` : l)), '');
  for (const s of p.skipped) lines.push(c.dim(`${s.function}: skipped (${s.reason})`));
  if (!p.changes) lines.push(`Every function of stack ${p.stack} already runs what ${p.from} runs on ${p.to}; nothing to change.`);
  return lines;
}

export async function rollbackStackAliases(inv: Invocation<Common & { stack?: string; alias?: string; to?: string; api?: string; stage?: string }>): Promise<number> {
  const { values } = inv;
  const stack = values.stack!;
  if (values.api !== undefined || values.stage !== undefined) throw new CliError('--stack rolls back function aliases; --api and --stage roll back an API stage: give one of them', undefined, 2);
  if (inv.positionals.length) throw new CliError(`--stack rolls back every function of the stack: drop '${inv.positionals[0]}'`, `For example: stagecraft rollback --stack ${stack} --alias prod`, 2);
  if (!values.alias) throw new CliError('--alias is required', `For example: stagecraft rollback --stack ${stack} --alias prod`, 2);
  if (values.to !== undefined) throw new CliError('--to names one function\'s version and does not go with --stack', `Roll back one function: stagecraft rollback FUNCTION --alias ${values.alias} --to VERSION`, 2);
  try {
    const r = await rollbackStack(inv.clients().lambda, stack, values.alias);
    if (values.json) {
      writeJson(r);
      return 0;
    }
    const c = palette(process.stdout, Boolean(values['no-color']));
    const rows = [
      ...r.rolledBack.map((x) => [`${x.function}:${r.alias}`, c.green('rolled back'), describeState(x.before), describeState(x.after)]),
      ...r.kept.map((x) => [`${x.function}:${r.alias}`, c.yellow('kept'), '-', `${x.state ? describeState(x.state) : '-'} ${c.dim('(created by that promotion)')}`]),
    ];
    write(table(['ALIAS', 'ACTION', 'WAS', 'NOW'], rows, c));
    if (r.rolledBack.length) write(`${c.green('Rolled back')} the last promotion of stack ${stack} to ${r.alias} (${r.rolledBack.length} alias${r.rolledBack.length === 1 ? '' : 'es'}).`);
    else write(`The last promotion of stack ${stack} to ${r.alias} only created aliases; there is nothing to return them to.`);
    if (r.kept.length) write(c.dim(`Aliases that promotion created are kept; remove one with: aws lambda delete-alias --function-name FUNCTION --name ${r.alias}`));
    if (r.earlier) write(c.dim('Rolling back again undoes the promotion before it.'));
    return 0;
  } catch (e) {
    asCliError(e);
  }
}
