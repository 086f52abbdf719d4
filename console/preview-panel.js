// The preview a Promote button shows before it acts: the same facts `stagecraft promote --dry-run`
// prints (from the same preview objects), as elements, with a button to go ahead and one to cancel.
import { el } from './dom.js';
import { describeState, percent } from './model.js';

function value(v) {
  if (v === null || v === undefined) return '—';
  if (Array.isArray(v)) return v.length ? v.map(value).join(', ') : '(none)';
  return typeof v === 'object' ? JSON.stringify(v) : String(v);
}

function deployment(d) {
  if (!d) return 'none';
  const details = [d.description && `"${d.description}"`, d.createdDate && `created ${d.createdDate.replace(/\.\d{3}Z$/, 'Z')}`].filter(Boolean).join(', ');
  return details ? `${d.id} (${details})` : d.id;
}

function functionHeadline(p) {
  const target = `${p.function}:${p.to}`;
  const now = p.current ? describeState(p.current) : '';
  if (p.action === 'unchanged') return `${target} already runs ${describeState(p.target)}${p.changes ? '' : '; nothing to change'}.`;
  if (p.action === 'create') return `Would create alias ${target} → version ${p.source.version} (the version ${p.from} runs).`;
  if (p.action === 'canary') {
    const [version, weight] = Object.entries(p.target.weights)[0];
    return `Would send ${percent(weight)} of ${target}'s traffic to version ${version} and the rest to version ${p.target.version} (now ${now}).`;
  }
  return `Would point ${target} → ${describeState(p.target)} (now ${now}).`;
}

function functionDetails(p) {
  const parts = [];
  const conf = p.configuration;
  if (conf) {
    parts.push(el('div', { className: 'preview-title' }, `Configuration, version ${conf.fromVersion} → version ${conf.toVersion}`));
    if (conf.changes.length) {
      parts.push(el('table', { className: 'preview-diff' },
        el('thead', {}, el('tr', {}, ['Field', 'Now', 'Would be'].map((h) => el('th', {}, h)))),
        el('tbody', {}, conf.changes.map((c) => el('tr', {}, el('td', { className: 'mono' }, c.field), el('td', { className: 'mono' }, value(c.before)), el('td', { className: 'mono' }, value(c.after)))))));
    }
    const env = conf.environment;
    const names = [['added', env.added], ['removed', env.removed], ['changed', env.changed]].filter(([, n]) => n.length).map(([what, n]) => `${what} ${n.join(', ')}`);
    if (names.length) parts.push(el('div', { className: 'preview-env' }, `Environment variables: ${names.join('; ')} `, el('span', { className: 'muted' }, '(values not shown)')));
    if (!conf.changes.length && !names.length) parts.push(el('div', { className: 'muted' }, 'No differences in code or configuration.'));
  }
  if (p.permissions.length) {
    parts.push(el('div', { className: 'preview-title' }, `API Gateway permissions to copy from ${p.from} to ${p.to}`),
      el('ul', { className: 'preview-list mono' }, p.permissions.map((g) => el('li', {}, `${g.statementId} ${g.sourceArn ?? ''}`.trim()))));
  }
  return parts;
}

function stageHeadline(p) {
  const target = `stage ${p.to}`;
  switch (p.action) {
    case 'unchanged': return `Stage ${p.to} already serves deployment ${p.target.id}; nothing to change.`;
    case 'create': return `Would create stage ${p.to} → deployment ${deployment(p.target)} (the one ${p.from} serves).`;
    case 'canary': return `Would send ${p.percentTraffic}% of ${target}'s traffic to deployment ${deployment(p.target)}; the rest stays on ${deployment(p.current)}.`;
    case 'finish-canary': return `Would finish the canary: ${target} → deployment ${deployment(p.target)} (now ${deployment(p.current)}).`;
    default: return `Would point ${target} → deployment ${deployment(p.target)} (now ${deployment(p.current)}).`;
  }
}

function stageDetails(p) {
  const r = p.routes;
  const row = (sign, cls, route, text) => el('li', {}, el('span', { className: cls }, sign), ` ${route} `, el('span', { className: 'muted' }, text));
  const items = [
    ...r.added.map((x) => row('+', 'good', x.route, x.integration && `→ ${x.integration}`)),
    ...r.removed.map((x) => row('-', 'bad', x.route, x.integration && `→ ${x.integration}`)),
    ...r.changed.map((x) => row('~', 'canary', x.route, `(${x.fields.join(', ')})${x.integration !== x.integrationBefore ? ` ${x.integrationBefore || '(none)'} → ${x.integration || '(none)'}` : ''}`)),
  ];
  const vars = p.stageVariables;
  return [
    el('div', { className: 'preview-title' }, `Routes, ${p.current ? `deployment ${p.current.id}` : 'nothing'} → deployment ${p.target.id}`),
    items.length ? el('ul', { className: 'preview-list preview-routes' }, items) : el('div', { className: 'muted' }, 'No differences in routes or integrations.'),
    items.length && r.unchanged ? el('div', { className: 'muted' }, `${r.unchanged} other route(s) unchanged.`) : '',
    el('div', { className: 'preview-vars' }, vars.effect === 'none'
      ? `Stage variables: ${p.to} would start with none (each stage keeps its own).`
      : vars.effect === 'overridden'
        ? `Stage variables: ${p.to} keeps its own, and the canary's overrides (${vars.overrides.join(', ')}) would become its values.`
        : `Stage variables: ${p.to} keeps its own (they are not copied from ${p.from}).`),
  ];
}

/** A stack's preview: each function's, as its own Promote button shows it, then the functions left alone. */
function stackHeadline(p) {
  if (!p.changes) return `Every function of stack ${p.stack} already runs what ${p.from} runs on ${p.to}; nothing to change.`;
  const moving = p.functions.filter((f) => f.changes).length;
  return `Would promote stack ${p.stack} from ${p.from} to ${p.to}: ${moving} of its function(s) change.`;
}

function stackDetails(p) {
  return [
    ...p.functions.map((f) => el('div', { className: 'preview-function' },
      el('div', { className: 'preview-title mono' }, f.function), el('div', {}, functionHeadline(f)), ...(f.changes ? functionDetails(f) : []))),
    p.skipped.length ? el('ul', { className: 'preview-list muted' }, p.skipped.map((s) => el('li', {}, `${s.function}: skipped (${s.reason})`))) : '',
  ];
}

const HEADLINES = { function: functionHeadline, stack: stackHeadline };
const DETAILS = { function: functionDetails, stack: stackDetails };

/**
 * The preview box: what would change, then `confirmText` (which runs `onConfirm`) and Cancel
 * (which removes the box). Nothing to change: the box says so and offers only Close.
 */
export function previewPanel(preview, { confirmText, onConfirm }) {
  const box = el('div', { className: 'preview', role: 'region' });
  box.setAttribute('aria-label', 'Promotion preview');
  const cancel = el('button', { type: 'button', className: 'preview-cancel' }, preview.changes ? 'Cancel' : 'Close');
  cancel.addEventListener('click', () => box.remove());
  const buttons = [];
  if (preview.changes) {
    const go = el('button', { type: 'button', className: 'preview-confirm' }, confirmText);
    go.addEventListener('click', () => onConfirm(go));
    buttons.push(go);
  }
  buttons.push(cancel);
  box.append(
    el('div', { className: 'preview-headline' }, (HEADLINES[preview.kind] ?? stageHeadline)(preview)),
    ...(preview.changes ? (DETAILS[preview.kind] ?? stageDetails)(preview) : []),
    el('div', { className: 'preview-actions' }, preview.changes ? el('span', { className: 'muted' }, 'Nothing has changed yet. ') : '', buttons),
  );
  return box;
}
