// The Alarms page's metric alarm form: create or edit an alarm on one metric or on metric math
// queries (alarm-queries.js), sent as PutMetricAlarm, which replaces the alarm as AWS does; the name
// is fixed once the alarm exists. And the parts the composite form (composite-alarm-form.js) shares:
// fields, the action pickers, saving. Nothing is checked here: AWS's refusal (a bad action ARN, a
// period it does not take, an expression it cannot read…) is shown in the form, whose values stay as typed.
import { el } from './dom.js';
import {
  ACTION_LISTS, functionActionArn, lambdaDimensions, LAMBDA_METRICS, OPERATORS, putMetricAlarmInput, STATISTIC_CHOICES, TREATMENTS,
} from './alarm-form-model.js';
import { errorRateQueries } from './alarm-queries-model.js';
import { queryEditor } from './alarm-queries.js';

let lists = 0;
/** A datalist of `options` for a text input, with an id of its own. */
const datalist = (options) => el('datalist', { id: `alarm-form-list-${++lists}` }, options.map((o) => el('option', { value: o })));
/** `input` suggesting `list`'s options (an attribute: the `list` property is read-only). */
function suggesting(input, list) {
  input.setAttribute('list', list.id);
  return input;
}

export const field = (label, control, ...extra) => el('label', { className: 'alarm-field' }, el('span', { className: 'muted' }, label), control, ...extra);
export const choice = (name, options, value) => el('select', { name }, options.map((o) => el('option', { value: o, selected: o === value }, o)));

/** Per state, the action ARNs as text and a list of the region's functions to add one from. */
export function actionFields(values, functions) {
  return ACTION_LISTS.map(([state]) => {
    const input = el('input', { name: `actions-${state}`, value: values.actions[state], className: 'alarm-arns', placeholder: 'ARNs, comma separated' });
    const add = el('select', { 'aria-label': `Add a function to the ${state} actions`, className: 'alarm-add-function' },
      el('option', { value: '' }, 'Add function…'), functions.map((f) => el('option', { value: functionActionArn(f) }, f.FunctionName)));
    add.addEventListener('change', () => {
      if (!add.value) return;
      input.value = input.value.trim() ? `${input.value.trim()}, ${add.value}` : add.value;
      add.value = '';
    });
    return field(`${state} actions`, el('div', { className: 'alarm-form-row' }, input, add));
  });
}

/** Submits `input()` through `save`, showing AWS's refusal in the form; `done` after a success. */
export function submitting(form, input, save, done) {
  const message = el('p', { className: 'metrics-error alarm-form-error', role: 'status', hidden: true });
  form.querySelector('fieldset').append(message);
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    message.hidden = true;
    const button = form.querySelector('button[type=submit]');
    button.disabled = true;
    try {
      await save(input());
      await done();
    } catch (e) {
      message.textContent = `Not saved: ${e?.message ?? e}`;
      message.hidden = false;
    } finally {
      button.disabled = false;
    }
  });
}

export function buttons(form, saveLabel, onCancel) {
  const cancel = el('button', { type: 'button', className: 'alarm-form-cancel' }, 'Cancel');
  cancel.addEventListener('click', onCancel);
  form.append(el('div', { className: 'actions' }, el('button', { type: 'submit', className: 'alarm-form-save' }, saveLabel), cancel));
}

/**
 * The metric alarm form. `values`: alarm-form-model.js's (newMetricValues or metricFormValues);
 * `functions`: ListFunctions' (may be empty); `editing`: the name is fixed.
 */
export function metricAlarmForm({ client, functions, values, editing, onSaved, onCancel }) {
  const v = values;
  const name = el('input', { name: 'name', value: v.name, readOnly: Boolean(editing), maxLength: 255 });
  const fn = el('select', { name: 'function' }, el('option', { value: '' }, '— none —'),
    functions.map((f) => el('option', { value: f.FunctionName, selected: f.FunctionName === v.functionName }, f.FunctionName)));
  const qualifiers = datalist([]);
  const qualifier = suggesting(el('input', { name: 'qualifier', value: v.qualifier, placeholder: 'alias or version' }), qualifiers);
  const namespace = el('input', { name: 'namespace', value: v.namespace });
  const metrics = datalist(LAMBDA_METRICS);
  const metricName = suggesting(el('input', { name: 'metricName', value: v.metricName }), metrics);
  const dimensions = el('input', { name: 'dimensions', value: v.dimensions, placeholder: 'Name=Value, Name=Value', className: 'alarm-dimensions' });
  const stats = datalist(STATISTIC_CHOICES);
  const statistic = suggesting(el('input', { name: 'statistic', value: v.statistic, className: 'short' }), stats);
  const number = (n, value, extra = {}) => el('input', { name: n, value, inputMode: 'decimal', className: 'short', ...extra });
  const source = el('select', { name: 'source' }, el('option', { value: 'metric', selected: v.source !== 'math' }, 'One metric'),
    el('option', { value: 'math', selected: v.source === 'math' }, 'Metric math'));
  const picked = () => ({ functionName: fn.value, qualifier: qualifier.value.trim() });
  const math = queryEditor({ queries: v.queries ?? [], target: picked, suggestions: { metrics: metrics.id, stats: stats.id } });

  // Picking a function (and an alias or version) writes the dimensions AWS/Lambda publishes for it.
  const target = () => {
    if (fn.value && source.value === 'metric') {
      namespace.value = 'AWS/Lambda';
      dimensions.value = lambdaDimensions(fn.value, qualifier.value.trim());
    }
  };
  fn.addEventListener('change', async () => {
    target();
    qualifiers.replaceChildren();
    if (!fn.value) return;
    const aliases = await client.listAliases(fn.value).catch(() => []);
    qualifiers.replaceChildren(...aliases.map((a) => el('option', { value: a.Name })));
  });
  qualifier.addEventListener('change', target);

  const single = el('div', { className: 'alarm-single' },
    el('div', { className: 'alarm-form-row' }, field('Namespace', namespace), field('Metric', metricName), field('Dimensions', dimensions)),
    el('div', { className: 'alarm-form-row' }, field('Statistic or percentile', statistic), field('Period (s)', number('period', v.period))));
  const show = () => {
    single.hidden = source.value !== 'metric';
    math.element.hidden = source.value !== 'math';
  };
  // Metric math chosen with no queries yet: the picked function's error rate, as a start.
  source.addEventListener('change', () => {
    if (source.value === 'math' && math.isEmpty()) math.set(errorRateQueries(picked()));
    show();
  });
  show();

  const form = el('form', { className: 'alarm-form alarm-metric-form' },
    el('fieldset', {}, el('legend', {}, editing ? `Edit alarm ${v.name}` : 'Create alarm'),
      field('Name', name), metrics, stats,
      el('div', { className: 'alarm-form-row' }, field('Function', fn), field('Alias or version', qualifier, qualifiers), field('Watches', source)),
      single, math.element,
      el('div', { className: 'alarm-form-row' },
        field('Condition', choice('comparison', OPERATORS, v.comparison)), field('Threshold', number('threshold', v.threshold)),
        field('Evaluation periods', number('evaluationPeriods', v.evaluationPeriods)), field('Datapoints to alarm', number('datapointsToAlarm', v.datapointsToAlarm, { placeholder: 'all' })),
        field('Missing data', choice('treatMissingData', TREATMENTS, v.treatMissingData))),
      field('Description', el('textarea', { name: 'description', value: v.description, maxLength: 1024 })),
      actionFields(v, functions)));
  const read = () => {
    const c = form.elements;
    const text = (n) => c.namedItem(n)?.value ?? '';
    return putMetricAlarmInput({
      name: text('name'), source: source.value, queries: math.read(), namespace: text('namespace'), metricName: text('metricName'), dimensions: text('dimensions'),
      statistic: text('statistic'), period: text('period'), comparison: text('comparison'), threshold: text('threshold'), evaluationPeriods: text('evaluationPeriods'),
      datapointsToAlarm: text('datapointsToAlarm'), treatMissingData: text('treatMissingData'), description: text('description'),
      actions: Object.fromEntries(ACTION_LISTS.map(([state]) => [state, text(`actions-${state}`)])), kept: v.kept,
    });
  };
  buttons(form.querySelector('fieldset'), editing ? 'Save' : 'Create alarm', onCancel);
  submitting(form, read, (input) => client.putMetricAlarm(input), onSaved);
  return form;
}

/** The region's functions for the pickers; none when they cannot be listed (ARNs can still be typed). */
export const formFunctions = (client) => client.listFunctions().then((fns) => fns.sort((a, b) => a.FunctionName.localeCompare(b.FunctionName)), () => []);

/** The region's alarm names (both types, every page) for the composite form's pickers; none when they cannot be listed. */
export const formAlarms = (client) => client.describeAlarms({ AlarmTypes: ['MetricAlarm', 'CompositeAlarm'] })
  .then((out) => [...out.MetricAlarms, ...out.CompositeAlarms].map((a) => a.AlarmName).sort((a, b) => a.localeCompare(b)), () => []);
