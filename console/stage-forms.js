// The forms on an API's card that move its stages: Deploy (CreateDeployment, optionally as a
// canary), Promote stage (after the CLI's preview), Roll back stage, and a REST stage's canary
// (promote or remove) — as `stagecraft promote --api` and `stagecraft rollback --api` do them. The
// page's helpers (act, previewThenAct, named, select) and the client come from app.js.
import { el } from './dom.js';
import { parseCanaryPercent } from './model.js';
import { previewApiStagePromotion, promoteApiStage, promoteStageCanary, rollbackApiStage } from './stage-actions.js';
import { planStageRollback } from './stage-promotion-plan.js';

/** The forms, bound to the page's helpers. */
export function stageForms({ client, act, previewThenAct, named, select }) {
  /** CreateDeployment to a stage (new or existing), with an optional description. */
  function deployForm(v) {
    const stage = named(el('input', { type: 'text', value: v.stages.find((s) => s.name === 'dev')?.name ?? v.stages[0]?.name ?? 'dev', size: 10, required: true }), 'Stage to deploy to');
    stage.setAttribute('list', `stages-${v.id}`); // offers the existing stages; `list` is read-only as a property
    const description = named(el('input', { type: 'text', placeholder: 'description (optional)', size: 22 }), 'Deployment description (optional)');
    const canary = named(el('input', { type: 'text', className: 'short', placeholder: '10%' }), 'Canary share (optional)');
    const button = el('button', { type: 'submit' }, 'Deploy');
    const form = el('form', {
      on: {
        submit: (ev) => {
          ev.preventDefault();
          act(button, async () => {
            const canaryPercent = parseCanaryPercent(canary.value);
            const d = await client.createDeployment(v.id, stage.value.trim(), description.value.trim(), canaryPercent);
            if (canaryPercent !== undefined) return `Deployed ${v.name} as a canary on stage ${stage.value.trim()}: deployment ${d.id} takes ${canaryPercent}% of its traffic.`;
            return `Deployed ${v.name} to stage ${stage.value.trim()}: deployment ${d.id}.`;
          });
        },
      },
    }, stage, description, 'canary', canary, button, el('datalist', { id: `stages-${v.id}` }, v.stages.map((s) => el('option', { value: s.name }))));
    return el('fieldset', {}, el('legend', {}, 'Deploy'), form);
  }

  /** The API a card shows, as the stage actions name it. */
  const apiRef = (v, kind) => ({ kind, id: v.id, name: v.name });

  /** What a finished stage promotion did, as `stagecraft promote --api` says it. */
  function stagePromotionMessage(r) {
    switch (r.action) {
      case 'unchanged': return `Stage ${r.to} already serves deployment ${r.deploymentId}; nothing to do.`;
      case 'create': return `Created stage ${r.to} on deployment ${r.deploymentId} (from ${r.from}).`;
      case 'canary': return `Stage ${r.to} now sends ${r.percentTraffic}% of its traffic to deployment ${r.deploymentId}; the rest stays on ${r.before}.`;
      case 'finish-canary': return `Promoted the canary of stage ${r.to}: it serves deployment ${r.deploymentId} (was ${r.before ?? 'none'}).`;
      default: return `Stage ${r.to} now serves deployment ${r.deploymentId} (was ${r.before ?? 'none'}), as ${r.from} does.`;
    }
  }

  /**
   * Points stage B at the deployment stage A serves (created when B does not exist), after a preview;
   * a REST API may send only a share of B's traffic there, as a canary.
   */
  function promoteStageForm(v, kind) {
    const names = v.stages.map((s) => s.name);
    const from = named(select(names, names.includes('dev') ? 'dev' : names[0]), 'Promote from stage');
    const to = named(el('input', { type: 'text', value: names.includes('prod') ? 'prod' : '', placeholder: 'prod', size: 10, required: true }), 'Promote to stage');
    to.setAttribute('list', `stages-${v.id}`);
    const canary = kind === 'rest' ? named(el('input', { type: 'text', className: 'short', placeholder: '10%' }), 'Canary share (optional)') : undefined;
    const button = el('button', { type: 'submit', disabled: names.length === 0 }, 'Promote stage');
    const form = el('form', {
      on: {
        submit: (ev) => {
          ev.preventDefault();
          const [source, target, text] = [from.value, to.value.trim(), canary?.value ?? ''];
          const api = apiRef(v, kind);
          previewThenAct(button, box, () => previewApiStagePromotion(client, api, source, target, parseCanaryPercent(text)), 'Promote stage now',
            async () => stagePromotionMessage(await promoteApiStage(client, api, source, target, parseCanaryPercent(text))));
        },
      },
    }, from, '→', to, canary ? ['canary', canary] : '', button,
    kind !== 'rest' ? el('datalist', { id: `stages-${v.id}` }, v.stages.map((s) => el('option', { value: s.name }))) : '');
    const box = el('fieldset', {}, el('legend', {}, 'Promote stage'), form);
    return box;
  }

  /** What rolling a stage back would do, for the confirmation; undefined when nothing is recorded (the rollback then says why). */
  function stageRollbackQuestion(stage) {
    let plan;
    try {
      plan = planStageRollback({ name: stage.name, deploymentId: stage.deploymentId || undefined, canary: stage.canary, autoDeploy: stage.autoDeploy }, stage.history);
    } catch {
      return undefined;
    }
    if (plan.action === 'cancel-canary') return `Cancel the canary of stage ${stage.name}? All of its traffic goes back to deployment ${stage.deploymentId}.`;
    return `Roll back stage ${stage.name} to deployment ${plan.deploymentId}? All of its traffic (now on ${stage.deploymentId || 'none'}) moves there.`;
  }

  /** Rolls a stage back as `stagecraft rollback --api` does: cancels a running canary, else returns to the deployment served before. */
  function rollbackStageForm(v, kind) {
    const names = v.stages.map((s) => s.name);
    const stage = named(select(names, names.includes('prod') ? 'prod' : names[0]), 'Stage to roll back');
    const button = el('button', { type: 'submit', disabled: names.length === 0 }, 'Roll back stage');
    const form = el('form', {
      on: {
        submit: (ev) => {
          ev.preventDefault();
          const row = v.stages.find((s) => s.name === stage.value);
          act(button, async () => {
            const r = await rollbackApiStage(client, apiRef(v, kind), stage.value);
            const next = r.remaining.length ? ` Rolling back again would go to deployment ${r.remaining[r.remaining.length - 1]}.` : '';
            if (r.action === 'cancel-canary') return `Cancelled the canary of stage ${r.stage}: all traffic on deployment ${r.deploymentId}.${next}`;
            return `Rolled back stage ${r.stage} → deployment ${r.deploymentId} (was ${r.before ?? 'none'}).${next}`;
          }, { confirm: row && !row.autoDeploy && stageRollbackQuestion(row) });
        },
      },
    }, stage, button);
    return el('fieldset', {}, el('legend', {}, 'Roll back stage'), form);
  }

  /** Promotes or removes a stage's canary. */
  function canaryForm(v) {
    const withCanary = v.stages.filter((s) => s.canary).map((s) => s.name);
    if (!withCanary.length) {
      return el('fieldset', {}, el('legend', {}, 'Canary'), el('p', { className: 'muted' }, 'No stage has a canary. Deploy with a canary share to start one.'));
    }
    const stage = named(select(withCanary, withCanary[0]), 'Stage with a canary');
    const promote = el('button', { type: 'submit' }, 'Promote canary');
    const remove = el('button', { type: 'button' }, 'Remove canary');
    remove.addEventListener('click', () => act(remove, async () => {
      const r = await client.removeCanary(v.id, stage.value);
      return `Removed the canary of stage ${r.stage}; it serves deployment ${r.deploymentId}.`;
    }, { confirm: `Remove the canary of stage ${stage.value}? Its traffic goes back to the stage's own deployment.` }));
    const form = el('form', {
      on: {
        submit: (ev) => {
          ev.preventDefault();
          act(promote, async () => {
            const r = await promoteStageCanary(client, apiRef(v, 'rest'), stage.value);
            return `Promoted the canary of stage ${r.stage}: it serves deployment ${r.after} (was ${r.before}), with the canary's variables.`;
          }, { confirm: `Promote the canary of stage ${stage.value}? All of its traffic moves to the canary's deployment.` });
        },
      },
    }, stage, promote, remove);
    return el('fieldset', {}, el('legend', {}, 'Canary'), form);
  }

  return { deployForm, promoteStageForm, rollbackStageForm, canaryForm };
}
