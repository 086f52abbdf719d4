// The forms on a function's card that roll an alias back, as `stagecraft rollback` does it: Roll
// back (to the version recorded before its last move, after the browser asks) and Roll back to
// version (`rollback --to`: a version picked from the list, after the preview of that move). The
// page's helpers (act, previewThenAct, named, select) and the client come from app.js.
import { el } from './dom.js';
import { describeState } from './model.js';
import { previewFunctionPromotion } from './promotion-preview.js';

/** What a finished rollback did, as `stagecraft rollback` says it. */
function rollbackMessage(name, r) {
  const next = r.remaining.length ? ` Rolling back again would go to ${describeState(r.remaining[r.remaining.length - 1])}.` : '';
  return `Rolled back ${name}:${r.alias} → ${describeState(r.after)} (was ${describeState(r.before)}).${next}`;
}

/** The forms, bound to the page's helpers. */
export function aliasRollbackForms({ client, act, previewThenAct, named, select }) {
  function rollbackForm(view) {
    const alias = named(select(view.aliases.map((a) => a.name), view.aliases.find((a) => a.rollbackTo)?.name), 'Alias to roll back');
    const button = el('button', { type: 'submit', disabled: view.aliases.length === 0 }, 'Roll back');
    const form = el('form', {
      on: {
        submit: (ev) => {
          ev.preventDefault();
          // Without a previous version there is nothing to confirm: the rollback fails and says why.
          const row = view.aliases.find((a) => a.name === alias.value);
          act(button, async () => rollbackMessage(view.name, await client.rollback(view.name, alias.value)),
            { confirm: row?.rollbackTo && `Roll back ${view.name}:${alias.value} to ${row.rollbackTo}? All of its traffic (now ${row.traffic}) moves there.` });
        },
      },
    }, alias, button);
    return el('fieldset', {}, el('legend', {}, 'Roll back'), form);
  }

  /**
   * `stagecraft rollback --alias A --to V`: the alias goes to version V, recorded like a promotion.
   * The preview is the one Promote shows for version V → A, since that is the same move.
   */
  function rollbackToForm(view) {
    const versions = view.versions.map((v) => v.version).filter((v) => v !== '$LATEST');
    const first = view.aliases.find((a) => a.name === 'prod') ?? view.aliases[0];
    // An earlier version than the alias runs, by default the newest of them.
    const earlier = versions.filter((v) => first && Number(v) < Number(first.version));
    const alias = named(select(view.aliases.map((a) => a.name), first?.name), 'Alias to roll back to a version');
    const version = named(select(versions, earlier[earlier.length - 1] ?? versions[0]), 'Version to roll back to');
    const button = el('button', { type: 'submit', disabled: view.aliases.length === 0 || versions.length === 0 }, 'Roll back to version');
    const form = el('form', {
      on: {
        submit: (ev) => {
          ev.preventDefault();
          // What the form says when the button is pressed is what is previewed and, once confirmed, done.
          const [target, to] = [alias.value, version.value];
          previewThenAct(button, box, () => previewFunctionPromotion(client, view.name, to, target), 'Roll back now',
            async () => rollbackMessage(view.name, await client.rollback(view.name, target, to)));
        },
      },
    }, alias, '→ version', version, button);
    const box = el('fieldset', {}, el('legend', {}, 'Roll back to version'), form); // the preview goes in it
    return box;
  }

  return { rollbackForm, rollbackToForm };
}
