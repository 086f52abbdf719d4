// The metric math editor of the metric alarm form: one row per query (its id; a metric —
// namespace, metric, dimensions, period, stat — or an expression; its label; "Alarm on" for the
// one whose ReturnData is true), rows added and removed, and a function's error rate as a start.
// Controls are named `query-<row>-<field>` (renumbered as rows come and go) and `query-return`.
import { el } from './dom.js';
import { errorRateQueries, newExpressionQuery, newMetricQuery, nextQueryId, QUERY_KINDS } from './alarm-queries-model.js';

const FIELDS = ['id', 'kind', 'namespace', 'metricName', 'dimensions', 'period', 'stat', 'expression', 'label'];

const HEADINGS = ['Id', 'Kind', 'Namespace', 'Metric', 'Dimensions', 'Period (s)', 'Stat', 'Label', 'Alarm on', ''];
const METRIC_CELLS = 5; // namespace to stat: one expression cell spans them

/** One row's controls, as a table row; `kept` (what the row does not show) stays with its element. */
function queryRow(q, suggestions, onRemove) {
  const input = (field, label, extra = {}) => el('input', { 'data-field': field, value: q[field], 'aria-label': label, title: label, ...extra });
  const kind = el('select', { 'data-field': 'kind', 'aria-label': 'Query kind' }, QUERY_KINDS.map((k) => el('option', { value: k, selected: k === q.kind }, k)));
  const metricName = input('metricName', 'Metric', { className: 'short-wide' });
  metricName.setAttribute('list', suggestions.metrics);
  const stat = input('stat', 'Stat', { className: 'short' });
  stat.setAttribute('list', suggestions.stats);
  const metricCells = [
    input('namespace', 'Namespace', { className: 'short-wide' }), metricName, input('dimensions', 'Dimensions', { placeholder: 'Name=Value, …', className: 'alarm-dimensions' }),
    input('period', 'Period (s)', { inputMode: 'numeric', className: 'short' }), stat,
  ].map((control) => el('td', { className: 'alarm-query-metric' }, control));
  const expressionCell = el('td', { className: 'alarm-query-expression', colSpan: METRIC_CELLS },
    input('expression', 'Expression', { placeholder: 'e.g. 100 * errors / invocations', className: 'alarm-expression' }));
  const show = () => {
    for (const cell of metricCells) cell.hidden = kind.value !== 'metric';
    expressionCell.hidden = kind.value !== 'expression';
  };
  kind.addEventListener('change', show);
  show();
  const returns = el('input', { type: 'radio', name: 'query-return', checked: q.returnData, 'aria-label': 'Alarm on this query' });
  const remove = el('button', { type: 'button', className: 'alarm-query-remove', title: 'Remove this query' }, 'Remove');
  const row = el('tr', { className: 'alarm-query' }, el('td', {}, input('id', 'Id', { className: 'short' })), el('td', {}, kind), metricCells, expressionCell,
    el('td', {}, input('label', 'Label', { className: 'short-wide' })), el('td', { className: 'center' }, returns), el('td', {}, remove));
  row.kept = q.kept ?? {};
  remove.addEventListener('click', () => onRemove(row));
  return row;
}

/** The row's values as alarm-queries-model.js has them. */
function rowValues(row) {
  const value = (field) => row.querySelector(`[data-field=${field}]`).value;
  return { ...Object.fromEntries(FIELDS.map((f) => [f, value(f)])), returnData: row.querySelector('input[type=radio]').checked, kept: row.kept };
}

/**
 * The editor, prefilled with `queries` (rows of alarm-queries-model.js); `target()` is the function
 * and qualifier picked in the form, for new metric rows and the error rate. `suggestions`: the ids of
 * the form's datalists of metrics and statistics. `read()` gives the rows' values.
 */
export function queryEditor({ queries, target, suggestions }) {
  const rows = el('tbody');
  const renumber = () => [...rows.children].forEach((row, i) => {
    for (const control of row.querySelectorAll('[data-field]')) control.name = `query-${i}-${control.dataset.field}`;
    row.querySelector('input[type=radio]').value = String(i);
  });
  const remove = (row) => {
    row.remove();
    renumber();
  };
  const set = (list) => {
    rows.replaceChildren(...list.map((q) => queryRow(q, suggestions, remove)));
    renumber();
  };
  const read = () => [...rows.children].map(rowValues);
  const add = (q) => {
    rows.append(queryRow(q, suggestions, remove));
    renumber();
    rows.lastElementChild.querySelector('[data-field=id]').focus();
  };
  const addMetric = el('button', { type: 'button', className: 'alarm-query-add-metric' }, 'Add metric');
  addMetric.addEventListener('click', () => add(newMetricQuery(nextQueryId(read()), target())));
  const addExpression = el('button', { type: 'button', className: 'alarm-query-add-expression' }, 'Add expression');
  addExpression.addEventListener('click', () => add(newExpressionQuery(nextQueryId(read(), 'expression'))));
  const errorRate = el('button', { type: 'button', className: 'alarm-query-error-rate', title: 'Replace the queries by the picked function\'s (or alias\'s) 100 * errors / invocations' }, 'Error rate of the function');
  errorRate.addEventListener('click', () => set(errorRateQueries(target())));
  set(queries);
  const table = el('table', { className: 'alarm-queries' }, el('thead', {}, el('tr', {}, HEADINGS.map((h) => el('th', {}, h)))), rows);
  const element = el('div', { className: 'alarm-math' }, el('div', { className: 'table-wrap' }, table), el('div', { className: 'actions' }, addMetric, addExpression, errorRate));
  return { element, read, set, isEmpty: () => !rows.children.length };
}
