// The Dashboards page: the account's CloudWatch dashboards (ListDashboards) and, for the one chosen,
// its widgets in reading order: metric widgets as sparklines over the page's window (one
// GetMetricData call), text widgets as their markdown source, other types named only.
import { el } from './dom.js';
import { WINDOWS, DEFAULT_WINDOW, formatNumber } from './metrics-model.js';
import { dashboardLines, dashboardQuery, dashboardWidgets } from './dashboards-model.js';
import { sparkline } from './sparkline.js';

function lastValue(values) {
  const v = values.findLast((x) => x !== null && x !== undefined);
  return v === undefined ? '—' : formatNumber(v);
}

function widgetBox(w, lines) {
  const title = el('h4', {}, w.title || (w.type === 'text' ? '' : `${w.type ?? 'unknown'} widget`));
  if (w.type === 'text') return el('div', { className: 'metric dashboard-widget', 'data-type': 'text' }, title, el('pre', { className: 'dashboard-text' }, String(w.properties.markdown ?? '')));
  if (w.type !== 'metric') return el('div', { className: 'metric dashboard-widget', 'data-type': String(w.type) }, title, el('p', { className: 'muted' }, 'Not drawn by the console.'));
  const summary = lines.map((l) => `${l.label}: ${lastValue(l.values)}`).join(' · ');
  return el('div', { className: 'metric dashboard-widget', 'data-type': 'metric' }, title,
    lines.length ? sparkline(lines.map((l) => l.values), `${w.title || 'metrics'}: ${summary}`) : el('p', { className: 'muted' }, 'No metrics the console can draw.'),
    el('div', { className: 'metric-total' }, summary));
}

/** The page; `client` is api.js's, `table` app.js's. */
export async function dashboardsPage({ client, table }) {
  const dashboards = await client.listDashboards();
  if (!dashboards.length) return [el('h3', {}, 'Dashboards'), el('p', { className: 'muted' }, 'No dashboards yet (aws cloudwatch put-dashboard, or AWS::CloudWatch::Dashboard in a template).')];
  const choice = el('select', { 'aria-label': 'Dashboard' }, dashboards.map((d) => el('option', { value: d.DashboardName }, d.DashboardName)));
  const windowSelect = el('select', { 'aria-label': 'Dashboard window' }, WINDOWS.map((w) => el('option', { value: w.key }, w.label)));
  windowSelect.value = DEFAULT_WINDOW;
  const body = el('div', { className: 'metric-grid dashboard-widgets' });
  const show = async () => {
    body.setAttribute('aria-busy', 'true');
    try {
      const widgets = dashboardWidgets((await client.getDashboard(choice.value)).DashboardBody ?? '');
      const now = Date.now();
      const query = dashboardQuery(widgets, windowSelect.value, now);
      const lines = dashboardLines(widgets, windowSelect.value, now, query ? await client.getMetricData(query) : undefined);
      body.replaceChildren(...(widgets.length ? widgets.map((w) => widgetBox(w, lines.get(w.index) ?? [])) : [el('p', { className: 'muted' }, 'This dashboard has no widgets.')]));
    } catch (e) {
      body.replaceChildren(el('p', { className: 'metrics-error', role: 'status' }, `Could not load the dashboard: ${e.message ?? e}`));
    } finally {
      body.removeAttribute('aria-busy');
    }
  };
  choice.addEventListener('change', show);
  windowSelect.addEventListener('change', show);
  show();
  return [
    el('h3', {}, 'Dashboards'),
    table(['Name', 'Last modified', 'Size'], dashboards.map((d) => el('tr', {}, el('td', {}, d.DashboardName), el('td', {}, new Date(d.LastModified * 1000).toLocaleString()), el('td', {}, `${d.Size} bytes`)))),
    el('section', { className: 'card' }, el('div', { className: 'metrics-head' }, choice, windowSelect), body),
  ];
}
