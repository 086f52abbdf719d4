// The Alarms page: the region's metric and composite alarms (DescribeAlarms, both types, every
// page) filtered by name prefix and state, each with its state, reason, rule, actions and, on
// demand, its history (DescribeAlarmHistory, newest first, a page at a time); its buttons disable
// or enable its actions, set its state (asked first), edit it (alarm-form.js) or delete it (asked
// first), then refresh that alarm alone; Create alarm and Create composite alarm above the table. A failed call is shown where
// it was made, the rest of the page as it was.
import { el } from './dom.js';
import { alarmRows, describeInput, historyLine, setStateQuestion, STATES, suppressionText } from './alarms-model.js';
import { formAlarms, formFunctions, metricAlarmForm } from './alarm-form.js';
import { compositeAlarmForm } from './composite-alarm-form.js';
import { compositeFormValues, deleteQuestion, metricFormValues, newCompositeValues, newMetricValues } from './alarm-form-model.js';

const COLUMNS = ['Alarm', 'State', 'Reason', 'Updated', 'Condition', 'Actions', 'Actions enabled'];
/** The filter, kept across Reload and visits to other pages. */
const filter = { prefix: '', state: '' };

const failure = (what, e) => el('p', { className: 'metrics-error', role: 'status' }, `${what}: ${e?.message ?? e}`);

function actionsCell(row) {
  if (!row.actions.length) return el('td', { className: 'muted' }, 'none');
  return el('td', {}, row.actions.map((list) => el('div', { className: 'alarm-actions' }, el('span', { className: 'muted' }, `${list.state}: `),
    list.actions.flatMap((a, i) => [i ? ', ' : '', a.lambda
      ? el('a', { href: `#functions/${encodeURIComponent(a.lambda.name)}`, title: a.arn, className: 'alarm-lambda' }, `λ ${a.lambda.label}`)
      : el('span', { className: 'mono' }, a.arn)]))));
}

/** The History panel: loads when opened (and on Refresh), newest first, More for the next page. */
function historyPanel(client, row, open) {
  const list = el('ol', { className: 'alarm-history' });
  const more = el('button', { type: 'button', hidden: true }, 'More');
  const refresh = el('button', { type: 'button' }, 'Refresh');
  const status = el('div');
  let next;
  const load = async (reset) => {
    status.replaceChildren();
    list.setAttribute('aria-busy', 'true');
    try {
      const out = await client.describeAlarmHistory(row.name, row.type, reset ? undefined : next);
      const items = (out.AlarmHistoryItems ?? []).map(historyLine).map((h) => el('li', { 'data-type': h.type },
        el('span', { className: 'muted' }, h.time), ' ', el('span', { className: 'badge' }, h.type), ' ', h.summary));
      if (reset) list.replaceChildren(...items);
      else list.append(...items);
      if (reset && !items.length) list.append(el('li', { className: 'muted' }, 'No history yet.'));
      next = out.NextToken;
      more.hidden = !next;
    } catch (e) {
      status.replaceChildren(failure('Could not load the history', e));
    } finally {
      list.removeAttribute('aria-busy');
    }
  };
  more.addEventListener('click', () => load(false));
  refresh.addEventListener('click', () => load(true));
  const details = el('details', { className: 'alarm-history-panel', open }, el('summary', {}, 'History'), status, list, el('div', { className: 'actions' }, more, refresh));
  details.addEventListener('toggle', () => { if (details.open) load(true); });
  if (open) load(true); // a row refreshed with its history open shows the history as it is now
  return details;
}

/** Edit: the alarm as DescribeAlarms has it now, in its form under the row; saved, the row is redrawn. */
async function openEditor(client, row, refreshRow, place) {
  const out = await client.describeAlarms({ AlarmNames: [row.name], AlarmTypes: ['MetricAlarm', 'CompositeAlarm'] });
  const metric = out.MetricAlarms[0];
  const composite = out.CompositeAlarms[0];
  if (!metric && !composite) throw new Error(`${row.name} no longer exists.`);
  // Saved, the row is redrawn; a keyboard user carries on from its Edit button.
  const onSaved = async () => (await refreshRow())?.querySelector('.alarm-edit')?.focus();
  const options = { client, functions: await formFunctions(client), onSaved, onCancel: () => place.replaceChildren() };
  place.replaceChildren(metric
    ? metricAlarmForm({ ...options, values: metricFormValues(metric), editing: true })
    : compositeAlarmForm({ ...options, alarms: (await formAlarms(client)).filter((n) => n !== row.name), values: compositeFormValues(composite), editing: true }));
  place.querySelector('[name=threshold], [name=rule]')?.focus();
}

/** The alarm's buttons: actions off/on, Set state…, Edit and Delete, with the browser asking first where it matters. */
function controls(client, row, refreshRow, message, editor, gone) {
  const run = async (button, question, call) => {
    message.replaceChildren();
    if (question && !window.confirm(question)) return;
    button.disabled = true;
    try {
      await call();
      const replacement = await refreshRow();
      // A keyboard user carries on from the same button in the redrawn row.
      if (document.activeElement === document.body || !document.activeElement) replacement?.querySelector(`.${button.className.split(' ')[0]}`)?.focus();
    } catch (e) {
      message.replaceChildren(failure('Failed', e));
      button.disabled = false;
    }
  };
  const toggle = el('button', { type: 'button', className: 'alarm-toggle' }, row.actionsEnabled ? 'Disable actions' : 'Enable actions');
  toggle.addEventListener('click', () => (row.actionsEnabled
    ? run(toggle, `Disable the actions of alarm ${row.name}? Its state changes run none until they are enabled again.`, () => client.disableAlarmActions(row.name))
    : run(toggle, '', () => client.enableAlarmActions(row.name))));
  const state = el('select', { 'aria-label': `State for ${row.name}` }, STATES.map((s) => el('option', { value: s, selected: s === 'ALARM' }, s)));
  const reason = el('input', { 'aria-label': `Reason for ${row.name}`, value: 'Set from the Stagecraft console', maxLength: 1023 });
  const set = el('button', { type: 'submit', className: 'alarm-set' }, 'Set state…');
  const form = el('form', { className: 'alarm-set-state' }, state, reason, set);
  form.addEventListener('submit', (ev) => {
    ev.preventDefault();
    run(set, setStateQuestion(row, state.value), () => client.setAlarmState(row.name, state.value, reason.value));
  });
  const edit = el('button', { type: 'button', className: 'alarm-edit' }, 'Edit');
  edit.addEventListener('click', () => {
    message.replaceChildren();
    openEditor(client, row, refreshRow, editor).catch((e) => message.replaceChildren(failure('Could not open the alarm', e)));
  });
  const remove = el('button', { type: 'button', className: 'alarm-delete' }, 'Delete…');
  remove.addEventListener('click', async () => {
    message.replaceChildren();
    if (!window.confirm(deleteQuestion(row))) return;
    remove.disabled = true;
    try {
      await client.deleteAlarm(row.name);
      gone();
    } catch (e) {
      // e.g. a composite alarm's child: AWS refuses while the composite names it.
      message.replaceChildren(failure('Not deleted', e));
      remove.disabled = false;
    }
  });
  return el('div', { className: 'actions' }, toggle, form, edit, remove);
}

/** One alarm: its row, and under it its buttons, their messages and its History panel. */
function alarmBody(client, row, historyOpen = false) {
  const body = el('tbody', { className: 'alarm', 'data-alarm': row.name, 'data-type': row.type });
  const message = el('div', { className: 'alarm-message' });
  const editor = el('div', { className: 'alarm-editor' });
  const gone = () => body.replaceWith(el('tbody', { className: 'alarm-gone' },
    el('tr', {}, el('td', { colSpan: COLUMNS.length, className: 'muted' }, `Alarm ${row.name} deleted.`))));
  const refreshRow = async () => {
    const fresh = alarmRows(await client.describeAlarms({ AlarmNames: [row.name], AlarmTypes: ['MetricAlarm', 'CompositeAlarm'] }))[0];
    if (!fresh) {
      body.replaceChildren(el('tr', {}, el('td', { colSpan: COLUMNS.length, className: 'muted' }, `${row.name} no longer exists.`)));
      return;
    }
    const open = body.querySelector('details.alarm-history-panel')?.open ?? false;
    const replacement = alarmBody(client, fresh, open);
    body.replaceWith(replacement);
    return replacement;
  };
  const suppressed = suppressionText(row.suppressedBy);
  body.append(
    el('tr', { className: 'alarm-row' },
      el('td', {}, el('strong', { className: 'alarm-name' }, row.name), row.type === 'CompositeAlarm' ? [' ', el('span', { className: 'badge' }, 'composite')] : '',
        row.description ? el('div', { className: 'muted alarm-description' }, row.description) : ''),
      el('td', {}, el('span', { className: `state state-${row.state}` }, row.state)),
      el('td', { className: 'alarm-reason' }, row.reason),
      el('td', { className: 'nowrap' }, row.updated),
      el('td', { className: 'alarm-condition' }, el('div', { className: 'mono alarm-rule' }, row.rule),
        row.note ? el('div', { className: 'muted alarm-note' }, row.note) : ''),
      actionsCell(row),
      el('td', { className: 'alarm-enabled' }, row.actionsEnabled ? 'yes' : el('span', { className: 'canary' }, 'no'),
        suppressed ? el('div', { className: 'canary alarm-suppressed' }, suppressed) : '')),
    el('tr', { className: 'alarm-extra' }, el('td', { colSpan: COLUMNS.length }, controls(client, row, refreshRow, message, editor, gone), message, editor, historyPanel(client, row, historyOpen))),
  );
  return body;
}

/** The page; `client` is api.js's. */
export async function alarmsPage({ client }) {
  const prefix = el('input', { 'aria-label': 'Alarm name prefix', placeholder: 'Name prefix', value: filter.prefix, className: 'alarm-prefix' });
  const state = el('select', { 'aria-label': 'Alarm state', className: 'alarm-state-filter' },
    el('option', { value: '' }, 'Any state'), STATES.map((s) => el('option', { value: s, selected: s === filter.state }, s)));
  const box = el('div', { className: 'alarms' });
  const show = async () => {
    box.setAttribute('aria-busy', 'true');
    try {
      const rows = alarmRows(await client.describeAlarms(describeInput(filter)));
      box.replaceChildren(rows.length
        ? el('div', { className: 'table-wrap' }, el('table', { className: 'alarm-table' }, el('thead', {}, el('tr', {}, COLUMNS.map((h) => el('th', {}, h)))), rows.map((r) => alarmBody(client, r))))
        : el('p', { className: 'muted' }, filter.prefix || filter.state ? 'No alarms match the filter.' : 'No alarms in this region yet: Create alarm, or aws cloudwatch put-metric-alarm, put-composite-alarm, or AWS::CloudWatch::Alarm in a template.'));
    } catch (e) {
      box.replaceChildren(failure('Could not list the alarms', e));
    } finally {
      box.removeAttribute('aria-busy');
    }
  };
  const form = el('form', { className: 'alarm-filter' }, prefix, state, el('button', { type: 'submit' }, 'Filter'));
  const creator = el('div', { className: 'alarm-creator' });
  // Each Create button opens its form above the table; both are off while one is open.
  const opener = (label, className, build) => {
    const button = el('button', { type: 'button', className }, label);
    button.addEventListener('click', async () => {
      for (const b of creators) b.disabled = true;
      const close = () => {
        creator.replaceChildren();
        for (const b of creators) b.disabled = false;
      };
      creator.replaceChildren(await build({
        client, functions: await formFunctions(client), onCancel: close,
        onSaved: async () => {
          close();
          await show();
        },
      }));
      creator.querySelector('input[name=name]').focus();
    });
    return button;
  };
  const creators = [
    opener('Create alarm', 'alarm-create', (options) => metricAlarmForm({ ...options, values: newMetricValues() })),
    opener('Create composite alarm', 'alarm-create-composite', async (options) => compositeAlarmForm({ ...options, alarms: await formAlarms(client), values: newCompositeValues() })),
  ];
  form.addEventListener('submit', (ev) => {
    ev.preventDefault();
    filter.prefix = prefix.value.trim();
    filter.state = state.value;
    show();
  });
  await show();
  return [el('h3', {}, 'Alarms'), el('div', { className: 'actions alarm-tools' }, form, ...creators), creator, box];
}
