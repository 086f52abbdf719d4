// The human form of `stagecraft promote --dry-run`: what would move where, what differs between
// what runs now and what would run, and a last line saying that nothing was changed.
import { describeState, percent } from '../deploy/aliases.js';
import type { AliasPromotionPreview } from '../deploy/promotion-preview.js';
import type { RouteDiff } from '../deploy/route-diff.js';
import type { DeploymentSummary, StagePromotionPreview } from '../deploy/stage-promotion-preview.js';
import { table, write, writeJson, type Palette } from './output.js';

function formatValue(v: unknown): string {
  if (v === null || v === undefined) return '—';
  if (Array.isArray(v)) return v.length ? v.map(formatValue).join(', ') : '(none)';
  if (typeof v === 'object') return JSON.stringify(v);
  return String(v);
}

function environmentLine(env: AliasPromotionPreview['configuration'] & object, c: Palette): string | undefined {
  const parts = [
    env.environment.added.length ? `${c.green('added')} ${env.environment.added.join(', ')}` : '',
    env.environment.removed.length ? `${c.red('removed')} ${env.environment.removed.join(', ')}` : '',
    env.environment.changed.length ? `${c.yellow('changed')} ${env.environment.changed.join(', ')}` : '',
  ].filter(Boolean);
  return parts.length ? `  Environment variables: ${parts.join('; ')} ${c.dim('(values not shown)')}` : undefined;
}

export function aliasPreviewLines(p: AliasPromotionPreview, c: Palette): string[] {
  const target = `${p.function}:${p.to}`;
  const lines: string[] = [];
  const now = p.current ? describeState(p.current) : '';
  switch (p.action) {
    case 'unchanged':
      // Its version stays; permissions may still be missing (then listed below).
      lines.push(`${target} already runs ${describeState(p.target)}${p.changes ? '' : '; nothing to change'}.`);
      break;
    case 'create':
      lines.push(`${c.yellow('Would create')} alias ${target} → version ${p.source.version} (the version ${p.from} runs).`);
      break;
    case 'canary': {
      const [version, weight] = Object.entries(p.target.weights)[0];
      lines.push(`${c.yellow('Would send')} ${percent(weight)} of ${target}'s traffic to version ${version} and the rest to version ${p.target.version} (now ${now}).`);
      break;
    }
    case 'move':
      lines.push(`${c.yellow('Would point')} ${target} → ${describeState(p.target)} (now ${now}).`);
      break;
  }
  const conf = p.configuration;
  if (conf) {
    lines.push('', c.bold(`Configuration, version ${conf.fromVersion} → version ${conf.toVersion}:`));
    if (conf.changes.length) {
      const rows = conf.changes.map((ch) => [`  ${ch.field}`, formatValue(ch.before), '→', formatValue(ch.after)]);
      lines.push(table(['  Field', 'Now', '', 'Would be'], rows, c));
    }
    const env = environmentLine(conf, c);
    if (env) lines.push(env);
    if (!conf.changes.length && !env) lines.push(c.dim('  No differences in code or configuration.'));
  }
  if (p.permissions.length) {
    lines.push('', c.bold(`API Gateway permissions ${p.function}:${p.from} has that would be copied to ${target}:`));
    lines.push(...p.permissions.map((g) => `  ${g.statementId}  ${g.action}  ${g.sourceArn ?? ''}`.trimEnd()));
  }
  return lines;
}

function deployment(d: DeploymentSummary | null): string {
  if (!d) return 'none';
  const details = [d.description && `"${d.description}"`, d.createdDate && `created ${d.createdDate.replace(/\.\d{3}Z$/, 'Z')}`].filter(Boolean).join(', ');
  return details ? `${d.id} (${details})` : d.id;
}

export function routeDiffLines(diff: RouteDiff, c: Palette): string[] {
  const lines: string[] = [];
  const via = (i: string) => (i ? c.dim(`  → ${i}`) : '');
  for (const r of diff.added) lines.push(`  ${c.green('+')} ${r.route}${via(r.integration)}`);
  for (const r of diff.removed) lines.push(`  ${c.red('-')} ${r.route}${via(r.integration)}`);
  for (const r of diff.changed) {
    lines.push(`  ${c.yellow('~')} ${r.route}  ${c.dim(`(${r.fields.join(', ')})`)}`);
    if (r.integration !== r.integrationBefore) lines.push(c.dim(`      ${r.integrationBefore || '(none)'} → ${r.integration || '(none)'}`));
  }
  if (!lines.length) lines.push(c.dim('  No differences in routes or integrations.'));
  else if (diff.unchanged) lines.push(c.dim(`  ${diff.unchanged} other route${diff.unchanged === 1 ? '' : 's'} unchanged.`));
  return lines;
}

export function stagePreviewLines(p: StagePromotionPreview, c: Palette): string[] {
  const target = `${p.api.name} (${p.api.id}) stage ${p.to}`;
  const lines: string[] = [];
  switch (p.action) {
    case 'unchanged':
      return [`${target} already serves deployment ${p.target.id}; nothing to change.`];
    case 'create':
      lines.push(`${c.yellow('Would create')} ${target} → deployment ${deployment(p.target)} (the one ${p.from} serves).`);
      break;
    case 'canary':
      lines.push(`${c.yellow('Would send')} ${p.percentTraffic}% of ${target}'s traffic to deployment ${deployment(p.target)}; the rest stays on ${deployment(p.current)}.`);
      break;
    case 'finish-canary':
      lines.push(`${c.yellow('Would finish the canary:')} ${target} → deployment ${deployment(p.target)} (now ${deployment(p.current)}).`);
      break;
    case 'promote':
      lines.push(`${c.yellow('Would point')} ${target} → deployment ${deployment(p.target)} (now ${deployment(p.current)}).`);
      break;
  }
  lines.push('', c.bold(`Routes, ${p.current ? `deployment ${p.current.id}` : 'nothing'} → deployment ${p.target.id}:`), ...routeDiffLines(p.routes, c));
  const vars = p.stageVariables;
  lines.push('', vars.effect === 'none'
    ? `Stage variables: ${p.to} would start with none (each stage keeps its own).`
    : vars.effect === 'overridden'
      ? `Stage variables: ${p.to} keeps its own, and the canary's overrides (${vars.overrides.join(', ')}) would become its values.`
      : `Stage variables: ${p.to} keeps its own (they are not copied from ${p.from}).`);
  return lines;
}

/** The preview as JSON, or its lines and a closing line saying nothing was changed. */
export function writePreview(preview: { changes: boolean }, json: boolean, lines: string[]): void {
  if (json) return writeJson(preview);
  write(lines.join('\n'));
  if (preview.changes) write(`\nDry run: nothing was changed. Run the same command without --dry-run to promote.`);
}
