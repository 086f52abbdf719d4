// The Stacks page: each stack `stagecraft deploy` made (its functions' `stagecraft:stack` tag) with
// its functions and their aliases, and the stack-wide actions of `stagecraft promote --stack` and
// `stagecraft rollback --stack`: Promote stack and Finish canary (after a preview) and Roll back
// stack (after a confirmation). The page's helpers (act, previewThenAct, table, …) come from app.js.
import { el } from './dom.js';
import { parseCanary } from './model.js';
import { previewStackPromotion, promoteStack, rollbackStack } from './stack-actions.js';
import { stackPromotionMessage, stackRollbackMessage, stackRollbackQuestion, stackViews } from './stacks-model.js';

function promoteStackForm(stack, ui) {
  const from = ui.named(ui.select(stack.aliasNames, stack.aliasNames.includes('dev') ? 'dev' : stack.aliasNames[0]), 'Promote from alias');
  const to = ui.named(el('input', { type: 'text', value: 'prod', placeholder: 'prod', size: 10, required: true }), 'Promote to alias');
  const canary = ui.named(el('input', { type: 'text', className: 'short', placeholder: '10%' }), 'Canary share (optional)');
  const button = el('button', { type: 'submit', disabled: stack.aliasNames.length === 0 }, 'Promote stack');
  const form = el('form', {
    on: {
      submit: (ev) => {
        ev.preventDefault();
        // What the form says when the button is pressed is what is previewed and, once confirmed, done.
        const [source, target, text] = [from.value, to.value.trim(), canary.value];
        ui.previewThenAct(button, box, () => previewStackPromotion(ui.client, stack.name, source, target, parseCanary(text)), 'Promote stack now',
          async () => stackPromotionMessage(await promoteStack(ui.client, stack.name, source, target, parseCanary(text))));
      },
    },
  }, from, '→', to, 'canary', canary, button);
  const box = el('fieldset', {}, el('legend', {}, 'Promote stack'), form); // the preview goes in it
  return box;
}

/**
 * Promotes again without a canary: every alias of the running canary takes what the source runs.
 * As Promote stack, it shows `stagecraft promote --stack --dry-run` first and acts once confirmed.
 */
function finishCanaryForm(stack, ui) {
  if (!stack.canaries.length) return el('fieldset', {}, el('legend', {}, 'Finish canary'), el('p', { className: 'muted' }, 'No canary runs in this stack.'));
  const from = ui.named(ui.select(stack.aliasNames, stack.aliasNames.includes('dev') ? 'dev' : stack.aliasNames[0]), 'Canary of alias');
  const to = ui.named(ui.select(stack.canaries.map((c) => c.alias), stack.canaries[0].alias), 'Alias with a canary');
  const button = el('button', { type: 'submit' }, 'Finish canary');
  const form = el('form', {
    on: {
      submit: (ev) => {
        ev.preventDefault();
        const [source, target] = [from.value, to.value];
        ui.previewThenAct(button, box, () => previewStackPromotion(ui.client, stack.name, source, target), 'Finish canary now',
          async () => stackPromotionMessage(await promoteStack(ui.client, stack.name, source, target)));
      },
    },
  }, from, '→', to, button);
  const box = el('fieldset', {}, el('legend', {}, 'Finish canary'), form); // the preview goes in it
  return box;
}

function rollbackStackForm(stack, ui) {
  if (!stack.recorded.length) return el('fieldset', {}, el('legend', {}, 'Roll back stack'), el('p', { className: 'muted' }, 'No stack promotion is recorded yet.'));
  const alias = ui.named(ui.select(stack.recorded, stack.recorded.includes('prod') ? 'prod' : stack.recorded[0]), 'Alias to roll back');
  const button = el('button', { type: 'submit' }, 'Roll back stack');
  const form = el('form', {
    on: {
      submit: (ev) => {
        ev.preventDefault();
        ui.act(button, async () => stackRollbackMessage(await rollbackStack(ui.client, stack.name, alias.value)), { confirm: stackRollbackQuestion(stack, alias.value) });
      },
    },
  }, alias, button);
  return el('fieldset', {}, el('legend', {}, 'Roll back stack'), form);
}

function stackCard(stack, ui) {
  const cell = (fn, alias) => {
    const a = fn.aliases.find((x) => x.name === alias);
    return a ? el('td', { className: a.canary ? 'canary nowrap' : 'nowrap' }, a.traffic) : el('td', { className: 'muted' }, '—');
  };
  return el('section', { className: 'card' },
    el('h2', {}, stack.name), el('div', { className: 'muted' }, `${stack.functions.length} function(s) tagged stagecraft:stack=${stack.name}`),
    ui.table(['Function', ...stack.aliasNames.map((a) => `Alias ${a}`)], stack.functions.map((fn) => el('tr', {},
      el('td', { className: 'mono' }, fn.name), stack.aliasNames.map((alias) => cell(fn, alias))))),
    stack.canaries.map((c) => el('p', { className: 'canary' }, `A canary runs on ${c.alias}: ${c.functions.join(', ')}.`)),
    el('div', { className: 'actions' }, promoteStackForm(stack, ui), finishCanaryForm(stack, ui), rollbackStackForm(stack, ui)),
  );
}

/** The page's content: a card per stack, or how to make one. */
export async function stacksPage(ui) {
  const functions = await ui.client.listFunctions();
  const loaded = await Promise.all(functions.map(async (fn) => {
    const [aliases, tags] = await Promise.all([ui.client.listAliases(fn.FunctionName), ui.client.listTags(fn.FunctionArn.replace(/:\$LATEST$/, ''))]);
    return { fn, aliases, tags };
  }));
  const stacks = stackViews(loaded);
  if (!stacks.length) {
    return [el('section', { className: 'card' }, el('h2', {}, 'No stacks in this region yet'),
      el('p', {}, 'A stack is what one AWS SAM template deploys: its functions are tagged stagecraft:stack=<name>. Deploy one with:'),
      el('pre', { className: 'command' }, 'stagecraft deploy --stack-name shop'),
      el('p', { className: 'muted' }, 'Then press Reload.'))];
  }
  return stacks.map((s) => stackCard(s, ui));
}
