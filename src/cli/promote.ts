// `stagecraft promote`: points an alias (prod) at the version another alias (dev) runs, or first
// sends a share of prod's traffic to it (a canary, as a weighted alias).
import type { Command } from './main.js';
import { CliError, COMMON_HELP, runCommand } from './command.js';
import { describeState, percent } from '../deploy/aliases.js';
import { parseCanary, promote, PromotionError } from '../deploy/promotion.js';
import { palette, write, writeJson } from './output.js';
import { promoteApiStage } from './stage-commands.js';
import { promoteStackAliases } from './stack-commands.js';
import { previewPromotion } from '../deploy/promotion-preview.js';
import { aliasPreviewLines, writePreview } from './promotion-preview-output.js';

const HELP = `Usage: stagecraft promote <function> --from <alias|version> --to <alias> [--canary <percent>] [--dry-run]
       stagecraft promote --stack <stack> --from <alias> --to <alias> [--canary <percent>] [--dry-run]
       stagecraft promote --api <name|id> --from <stage> --to <stage> [--canary <percent>] [--dry-run]

Points alias --to at the version alias --from runs (creating --to if needed), and gives it the
API Gateway permissions --from has, so API stages that call --to work at once. With --canary,
--to keeps its version and sends that share of its traffic to the new one instead; promote again
without --canary to finish, or \`stagecraft rollback\` to cancel. Every move is recorded on the
function (tag stagecraft:previous:<alias>) so \`stagecraft rollback\` works from any machine.

With --stack, promotes every function of a stack (those \`stagecraft deploy\` tagged
stagecraft:stack=<stack>) that has alias --from, as one step: everything is checked before the
first alias moves, and if a move fails the ones already made are put back. Functions without
--from are listed as skipped. \`stagecraft rollback --stack <stack> --alias <to>\` undoes exactly
that promotion (recorded on each function moved, tag stagecraft:promotions:<to>).

With --api, promotes an API stage instead: stage --to serves the deployment stage --from serves
(a REST, HTTP or WebSocket API, by id or by name; a name several APIs share is refused). A
missing --to stage is created, with no stage variables (each stage keeps its own). With --canary
(REST APIs), --to keeps its deployment and sends that share of its traffic to --from's as the
stage's canary; promote again without --canary to finish it (the canary's deployment and variable
overrides become the stage's). HTTP and WebSocket API stages with automatic deployment are
refused: they follow every change. The deployment --to served before is recorded in the stage's tag stagecraft:previous.

With --dry-run, nothing changes: promote prints what would. For a function, where --to points
now and would point, what differs between the two versions (code SHA-256 and size, runtime,
handler, memory, timeout, architectures, layers, the names of environment variables added,
removed or changed — never their values — and any other configuration), and the API Gateway
permissions that would be copied. For an API stage, the deployment --to serves now and the one
it would serve, and the routes and integrations added, removed or changed between them. With
--json the preview is one JSON document (see docs/cli.md). Exit code 0 whether or not anything
would change ("changes": false when nothing would).

Options:
  --from <alias|version>  Where the version comes from (an alias such as dev, or a number)
  --to <alias>            The alias to move (e.g. prod)
  --canary <percent>      Send only this share of --to's traffic to the new version (e.g. 10%)
  --stack <stack>         Promote every function of this stack (its aliases --from → --to)
  --api <name|id>         Promote between this API's stages instead of a function's aliases
  --dry-run               Change nothing; print what the promotion would change
${COMMON_HELP}

Examples:
  stagecraft promote hello-lambda --from dev --to prod
  stagecraft promote hello-lambda --from dev --to prod --dry-run
  stagecraft promote hello-lambda --from dev --to prod --canary 10%
  stagecraft promote hello-lambda --from 3 --to prod
  stagecraft promote --stack shop --from dev --to prod
  stagecraft promote --stack shop --from dev --to prod --canary 10%
  stagecraft promote --api hello-api --from dev --to prod
  stagecraft promote --api a1b2c3d4e5 --from dev --to prod --canary 10%
  stagecraft promote --api hello-api --from dev --to prod --dry-run --json
`;

function usage<T>(parse: () => T): T {
  try {
    return parse();
  } catch (e) {
    if (e instanceof PromotionError) throw new CliError(e.message, e.hint, 2, e.type);
    throw e;
  }
}

export const promoteCommand: Command = {
  name: 'promote',
  summary: 'Point an alias or API stage (prod) at what another (dev) runs, optionally as a canary',
  run: (args) => runCommand('promote', HELP, args, {
    from: { type: 'string' },
    to: { type: 'string' },
    canary: { type: 'string' },
    api: { type: 'string' },
    stack: { type: 'string' },
    'dry-run': { type: 'boolean' },
  }, async (inv) => {
    const { values } = inv;
    if (values.stack !== undefined) return promoteStackAliases(inv);
    if (values.api !== undefined) return promoteApiStage(inv);
    const fn = inv.positionals[0];
    if (!fn) throw new CliError('name the function to promote', 'Usage: stagecraft promote <function> --from dev --to prod', 2);
    if (!values.from || !values.to) throw new CliError(`--from and --to are required`, `For example: stagecraft promote ${fn} --from dev --to prod`, 2);
    // A --canary that is not a share of traffic is a usage error (exit 2), found before any call.
    const canary = values.canary === undefined ? undefined : usage(() => parseCanary(values.canary!));
    try {
      if (values['dry-run']) {
        const preview = await previewPromotion(inv.clients().lambda, fn, values.from, values.to, canary);
        writePreview(preview, Boolean(values.json), aliasPreviewLines(preview, palette(process.stdout, Boolean(values['no-color']))));
        return 0;
      }
      const result = await promote(inv.clients().lambda, fn, values.from, values.to, canary);
      if (values.json) {
        writeJson(result);
        return 0;
      }
      const c = palette(process.stdout, Boolean(values['no-color']));
      const target = `${fn}:${values.to}`;
      if (result.action === 'unchanged') {
        write(`${target} already runs ${describeState(result.after)}; nothing to do.`);
      } else if (result.action === 'created') {
        write(`${c.green('Created')} alias ${target} → version ${result.source.version} (the version ${values.from} runs).`);
      } else if (canary !== undefined && Object.keys(result.after.weights).length) {
        write(`${c.green('Canary:')} ${target} now sends ${percent(canary)} of its traffic to version ${result.source.version} and the rest to version ${result.after.version}.`);
        write(c.dim(`Finish with: stagecraft promote ${fn} --from ${values.from} --to ${values.to}    Cancel with: stagecraft rollback ${fn} --alias ${values.to}`));
      } else {
        write(`${c.green('Promoted')} ${target} → version ${result.source.version} (was ${describeState(result.before!)}).`);
        write(c.dim(`Undo with: stagecraft rollback ${fn} --alias ${values.to}`));
      }
      if (result.grantsCopied) write(`Copied ${result.grantsCopied} API Gateway permission${result.grantsCopied === 1 ? '' : 's'} from ${fn}:${values.from} to ${target}.`);
      return 0;
    } catch (e) {
      if (e instanceof PromotionError) throw new CliError(`${e.message}.`, e.hint, 1, e.type);
      throw e;
    }
  }, 1),
};
