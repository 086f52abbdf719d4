// The Alarms page's composite alarm form: create one, or edit one's rule, description, actions and
// actions suppressor, sent as PutCompositeAlarm (which replaces the alarm as AWS does; the name is
// fixed once the alarm exists). The region's alarms are offered for the rule, as ALARM("name"),
// OK(…) or INSUFFICIENT_DATA(…) put where the caret is, and as the suppressor. AWS checks the rule
// (its syntax, that each alarm exists): its refusal is shown in the form, the values left as typed.
import { el } from './dom.js';
import { ACTION_LISTS, insertRuleTerm, putCompositeAlarmInput, RULE_STATES, ruleTerm } from './alarm-form-model.js';
import { actionFields, buttons, choice, field, submitting } from './alarm-form.js';

/** The rule's textarea and, under it, a term's state, its joiner and the alarm to insert. */
function ruleField(values, alarms) {
  const rule = el('textarea', { name: 'rule', value: values.rule, maxLength: 10240, className: 'alarm-rule-text', placeholder: 'ALARM("errors") OR ALARM("throttles")' });
  const state = choice('ruleState', RULE_STATES, 'ALARM');
  state.setAttribute('aria-label', 'State the inserted alarm is tested for');
  const joiner = choice('ruleJoiner', ['OR', 'AND'], 'OR');
  joiner.setAttribute('aria-label', 'Joined to the rule with');
  const insert = el('select', { name: 'ruleInsert', 'aria-label': 'Insert an alarm into the rule', className: 'alarm-rule-insert' },
    el('option', { value: '' }, 'Insert alarm…'), alarms.map((a) => el('option', { value: a }, a)));
  insert.addEventListener('change', () => {
    if (!insert.value) return;
    const at = insertRuleTerm(rule.value, rule.selectionStart ?? rule.value.length, rule.selectionEnd ?? rule.value.length, ruleTerm(state.value, insert.value), joiner.value);
    rule.value = at.rule;
    insert.value = '';
    rule.focus();
    rule.setSelectionRange(at.caret, at.caret);
  });
  return field('Rule', rule, el('div', { className: 'alarm-form-row' }, state, joiner, insert));
}

/** The suppressor (one of the region's alarms, or none) and its periods, which apply only with one. */
function suppressorFields(values, alarms) {
  const names = values.suppressor && !alarms.includes(values.suppressor) ? [values.suppressor, ...alarms] : alarms;
  const suppressor = el('select', { name: 'suppressor' }, el('option', { value: '' }, '— none —'),
    names.map((a) => el('option', { value: a, selected: a === values.suppressor }, a)));
  const period = (name, value) => el('input', { name, value, inputMode: 'numeric', className: 'short', placeholder: 'seconds' });
  const wait = period('waitPeriod', values.waitPeriod);
  const extension = period('extensionPeriod', values.extensionPeriod);
  const enable = () => {
    wait.disabled = !suppressor.value;
    extension.disabled = !suppressor.value;
  };
  suppressor.addEventListener('change', enable);
  enable();
  return el('div', { className: 'alarm-form-row' }, field('Actions suppressor', suppressor),
    field('Wait period (s)', wait), field('Extension period (s)', extension));
}

/**
 * The composite alarm form. `values`: alarm-form-model.js's (newCompositeValues or
 * compositeFormValues); `alarms`: the names offered (the alarm itself left out); `functions`:
 * ListFunctions' for the actions; `editing`: the name is fixed.
 */
export function compositeAlarmForm({ client, functions, alarms, values, editing, onSaved, onCancel }) {
  const form = el('form', { className: 'alarm-form alarm-composite-form' },
    el('fieldset', {}, el('legend', {}, editing ? `Edit composite alarm ${values.name}` : 'Create composite alarm'),
      field('Name', el('input', { name: 'name', value: values.name, readOnly: Boolean(editing), maxLength: 255 })),
      ruleField(values, alarms),
      field('Description', el('textarea', { name: 'description', value: values.description, maxLength: 1024 })),
      actionFields(values, functions),
      suppressorFields(values, alarms)));
  const read = () => {
    const text = (n) => form.elements.namedItem(n).value;
    return putCompositeAlarmInput({
      name: text('name'), rule: text('rule'), description: text('description'),
      actions: Object.fromEntries(ACTION_LISTS.map(([state]) => [state, text(`actions-${state}`)])),
      suppressor: text('suppressor'), waitPeriod: text('waitPeriod'), extensionPeriod: text('extensionPeriod'), kept: values.kept,
    });
  };
  buttons(form.querySelector('fieldset'), editing ? 'Save' : 'Create composite alarm', onCancel);
  submitting(form, read, (input) => client.putCompositeAlarm(input), onSaved);
  return form;
}
