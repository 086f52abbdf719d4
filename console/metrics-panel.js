// A card's Metrics box: a sparkline and the totals per chart of metrics-model.js, over the window
// chosen (one choice for the whole page, remembered), refreshed every 30 seconds while the page is
// visible. A failed call shows its error in the box and keeps the charts it had.
import { el } from './dom.js';
import { DEFAULT_WINDOW, WINDOWS, windowOf } from './metrics-model.js';
import { describeError } from './model.js';
import { sparkline } from './sparkline.js';

export const REFRESH_MS = 30_000;
const CHECK_MS = 5_000;
const WINDOW_KEY = 'stagecraft.metricsWindow';

/** The panels on the page; a panel taken off it (the page was rendered again) is dropped at the next tick. */
const live = new Set();
let timer;

function chosenWindow() {
  return windowOf(window.localStorage.getItem(WINDOW_KEY) ?? DEFAULT_WINDOW).key;
}

function refreshAll(force) {
  for (const panel of live) {
    if (panel.box.isConnected) panel.refresh(force);
    // Taken off the page, or never put on it (a newer render won): nothing to refresh any more.
    else if (panel.shown || Date.now() - panel.createdAt > REFRESH_MS) live.delete(panel);
  }
  if (!live.size) {
    clearInterval(timer);
    timer = undefined;
  }
}

function track(panel) {
  live.add(panel);
  // Checked often, so a box refreshes about REFRESH_MS after its own last load, whenever that was.
  timer ??= setInterval(() => {
    if (document.visibilityState === 'visible') refreshAll(false);
  }, CHECK_MS);
}

// Back on a page hidden for a while: what it shows may be old, so refresh what is due.
document.addEventListener('visibilitychange', () => {
  if (document.visibilityState === 'visible') refreshAll(false);
});

function chart(c) {
  return el('div', { className: 'metric', 'data-metric': c.title },
    el('div', { className: 'metric-title' }, c.title, c.lines.length > 1 ? el('span', { className: 'metric-legend' }, c.lines.map((l, i) => el('span', { className: `legend-${i}` }, ` ${l.label}`))) : ''),
    sparkline(c.lines.map((l) => l.points.map(([, v]) => v)), c.summary),
    el('div', { className: 'metric-total' }, c.text));
}

/** One target's charts, or its empty sentence; under `heading` when it has one (an API's stage). */
function section(v, heading) {
  return el('div', { className: 'metrics-section', ...(v.target.stage !== undefined ? { 'data-stage': v.target.stage } : {}) },
    heading ? el('h4', {}, heading) : '',
    v.empty ? el('p', { className: 'muted metrics-empty' }, v.emptyText) : el('div', { className: 'metric-grid' }, v.charts.map(chart)));
}

/**
 * A card's Metrics box: `targets` (metrics-model.js dimensionsOf) read in one call, each under
 * `headingOf(target)` when given; for a function, `aliases` adds a choice between all of its
 * invocations and those through one alias.
 */
export function metricsPanel(client, targets, { title = 'Metrics', aliases = [], headingOf } = {}) {
  const windowSelect = el('select', { 'aria-label': 'Metrics window' }, WINDOWS.map((w) => el('option', { value: w.key }, w.label)));
  windowSelect.value = chosenWindow();
  const ALL = '';
  const aliasSelect = aliases.length
    ? el('select', { 'aria-label': 'Metrics of' }, el('option', { value: ALL }, 'all invocations'), aliases.map((a) => el('option', { value: a }, `alias ${a}`)))
    : undefined;
  const status = el('span', { className: 'muted metrics-status' }, 'Loading metrics…');
  const error = el('p', { className: 'metrics-error', role: 'status', hidden: true });
  const body = el('div', { className: 'metrics-body' });
  const box = el('div', { className: 'metrics', 'data-kind': targets[0]?.kind ?? '' },
    el('div', { className: 'metrics-head' }, el('h3', {}, title), windowSelect, aliasSelect ?? '', status), error, body);

  const panel = { box, shown: false, createdAt: Date.now(), ticket: 0, loadedAt: 0, loading: false };
  panel.refresh = async (force) => {
    panel.shown ||= box.isConnected;
    if (!force && (panel.loading || Date.now() - panel.loadedAt < REFRESH_MS)) return;
    const ticket = ++panel.ticket;
    panel.loading = true;
    box.setAttribute('aria-busy', 'true');
    const key = windowSelect.value;
    const alias = aliasSelect?.value || undefined;
    try {
      const view = await client.loadMetrics(targets.map((t) => (t.kind === 'function' ? { ...t, alias } : t)), key);
      if (ticket !== panel.ticket) return; // a later choice's answer is the one to show
      body.replaceChildren(...view.sections.map((v) => section(v, headingOf?.(v.target))));
      error.hidden = true;
      status.textContent = `${view.failed.length ? 'partial data · ' : ''}updated ${new Date().toLocaleTimeString()}`;
    } catch (e) {
      if (ticket !== panel.ticket) return;
      error.textContent = `Metrics unavailable: ${describeError(e)}`;
      error.hidden = false;
      status.textContent = '';
    } finally {
      if (ticket === panel.ticket) {
        panel.loading = false;
        panel.loadedAt = Date.now();
        box.removeAttribute('aria-busy');
      }
    }
  };

  // One window for the whole page: choosing it here moves every panel to it.
  windowSelect.addEventListener('change', () => {
    window.localStorage.setItem(WINDOW_KEY, windowSelect.value);
    for (const other of live) {
      const select = other.box.querySelector('select[aria-label="Metrics window"]');
      if (select) select.value = windowSelect.value;
      if (other.box.isConnected) other.refresh(true);
    }
  });
  aliasSelect?.addEventListener('change', () => panel.refresh(true));
  track(panel);
  panel.refresh(true);
  return box;
}
