// The API stage half of `stagecraft promote --api` and `stagecraft rollback --api`: runs the
// stage promotion or rollback and prints its outcome (or the result as JSON).
import { CliError, type Invocation } from './command.js';
import { parseCanaryPercent, StagePromotionError } from '../deploy/stage-promotion-plan.js';
import { promoteStage, rollbackStage } from '../deploy/stage-promotion.js';
import { palette, write, writeJson } from './output.js';
import { previewStagePromotion } from '../deploy/stage-promotion-preview.js';
import { stagePreviewLines, writePreview } from './promotion-preview-output.js';

type Common = { json?: boolean; 'no-color'?: boolean };

function asCliError(e: unknown): never {
  if (e instanceof StagePromotionError) throw new CliError(`${e.message}.`, e.hint, 1, e.type);
  throw e;
}

export async function promoteApiStage(inv: Invocation<Common & { api?: string; from?: string; to?: string; canary?: string; 'dry-run'?: boolean }>): Promise<number> {
  const { values } = inv;
  const api = values.api!;
  if (inv.positionals.length) throw new CliError(`--api promotes stages, not functions: drop '${inv.positionals[0]}'`, `For example: stagecraft promote --api ${api} --from dev --to prod`, 2);
  if (!values.from || !values.to) throw new CliError('--from and --to are required', `For example: stagecraft promote --api ${api} --from dev --to prod`, 2);
  let canary: number | undefined;
  try {
    canary = values.canary === undefined ? undefined : parseCanaryPercent(values.canary);
  } catch (e) {
    if (e instanceof StagePromotionError) throw new CliError(e.message, e.hint, 2, e.type);
    throw e;
  }
  try {
    if (values['dry-run']) {
      const preview = await previewStagePromotion(inv.clients(), api, values.from, values.to, canary);
      writePreview(preview, Boolean(values.json), stagePreviewLines(preview, palette(process.stdout, Boolean(values['no-color']))));
      return 0;
    }
    const r = await promoteStage(inv.clients(), api, values.from, values.to, canary);
    if (values.json) {
      writeJson(r);
      return 0;
    }
    const c = palette(process.stdout, Boolean(values['no-color']));
    const target = `${r.api.name} (${r.api.id}) stage ${r.to}`;
    const undo = c.dim(`Undo with: stagecraft rollback --api ${api} --stage ${r.to}`);
    switch (r.action) {
      case 'unchanged':
        write(`${target} already serves deployment ${r.deploymentId}; nothing to do.`);
        break;
      case 'create':
        write(`${c.green('Created')} ${target} → deployment ${r.deploymentId} (the one ${r.from} serves), with no stage variables of its own yet.`);
        break;
      case 'canary':
        write(`${c.green('Canary:')} ${target} now sends ${r.percentTraffic}% of its traffic to deployment ${r.deploymentId} and the rest to ${r.before}.`);
        write(c.dim(`Finish with: stagecraft promote --api ${api} --from ${r.from} --to ${r.to}    Cancel with: stagecraft rollback --api ${api} --stage ${r.to}`));
        break;
      case 'finish-canary':
        write(`${c.green('Promoted the canary:')} ${target} → deployment ${r.deploymentId} (was ${r.before ?? 'none'}); its canary is finished.`);
        write(undo);
        break;
      case 'promote':
        write(`${c.green('Promoted')} ${target} → deployment ${r.deploymentId} (was ${r.before ?? 'none'}).`);
        write(undo);
        break;
    }
    return 0;
  } catch (e) {
    asCliError(e);
  }
}

export async function rollbackApiStage(inv: Invocation<Common & { api?: string; stage?: string; to?: string }>): Promise<number> {
  const { values } = inv;
  const api = values.api!;
  if (inv.positionals.length) throw new CliError(`--api rolls back stages, not functions: drop '${inv.positionals[0]}'`, `For example: stagecraft rollback --api ${api} --stage prod`, 2);
  if (!values.stage) throw new CliError('--stage is required with --api', `For example: stagecraft rollback --api ${api} --stage prod`, 2);
  try {
    const r = await rollbackStage(inv.clients(), api, values.stage, values.to);
    if (values.json) {
      writeJson(r);
      return 0;
    }
    const c = palette(process.stdout, Boolean(values['no-color']));
    const target = `${r.api.name} (${r.api.id}) stage ${r.stage}`;
    if (r.action === 'cancel-canary') write(`${c.green('Cancelled the canary')} of ${target}: all traffic on deployment ${r.deploymentId}.`);
    else write(`${c.green('Rolled back')} ${target} → deployment ${r.deploymentId} (was ${r.before ?? 'none'}).`);
    if (r.remaining.length) write(c.dim(`Rolling back again would go to deployment ${r.remaining[r.remaining.length - 1]}.`));
    return 0;
  } catch (e) {
    asCliError(e);
  }
}
