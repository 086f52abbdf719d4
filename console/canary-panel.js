// A canary alias's per-version health in its function's card, beside Promote and Roll back: loads
// after the card is shown, and a failed metrics call leaves a muted note instead of the table.
import { el } from './dom.js';
import { CANARY_WINDOW_MINUTES } from './canary-metrics.js';

const HEADERS = ['Version', 'Invocations', 'Errors', 'Error rate', 'Average duration'];

/** The panel of `functionName:alias`, sending traffic to `versions`. */
export function canaryPanel(client, functionName, alias, versions) {
  const body = el('p', { className: 'muted' }, 'Loading metrics…');
  const box = el('div', { className: 'canary-metrics', 'data-alias': alias },
    el('h3', {}, `Canary ${alias}: last ${CANARY_WINDOW_MINUTES} minutes`), body);
  client.canaryMetrics(functionName, alias, versions).then((rows) => {
    body.replaceWith(el('div', { className: 'table-wrap' }, el('table', {},
      el('thead', {}, el('tr', {}, HEADERS.map((h) => el('th', {}, h)))),
      el('tbody', {}, rows.map((r) => el('tr', {},
        el('td', { className: 'mono' }, r.version), el('td', {}, String(r.invocations)),
        el('td', { className: r.errors > 0 ? 'bad' : '' }, String(r.errors)), el('td', {}, r.errorRate), el('td', {}, r.averageDuration)))))));
  }, (e) => {
    body.textContent = `Metrics unavailable: ${e instanceof Error ? e.message : e}`;
  });
  return box;
}
