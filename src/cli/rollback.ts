// `stagecraft rollback`: returns an alias to where it pointed before its last move (or to --to).
import type { Command } from './main.js';
import { CliError, COMMON_HELP, runCommand } from './command.js';
import { describeState } from '../deploy/aliases.js';
import { PromotionError, rollback } from '../deploy/promotion.js';
import { palette, write, writeJson } from './output.js';
import { rollbackApiStage } from './stage-commands.js';
import { rollbackStackAliases } from './stack-commands.js';

const HELP = `Usage: stagecraft rollback <function> --alias <alias> [--to <version>]
       stagecraft rollback --stack <stack> --alias <alias>
       stagecraft rollback --api <name|id> --stage <stage> [--to <deployment-id>]

Returns the alias to the version it ran before its last move by \`stagecraft promote\` or
\`stagecraft deploy\`. A running canary is cancelled (all traffic back on the old version); after
a finished canary, rollback returns to the version before it. The history lives on the function
itself (tag stagecraft:previous:<alias>), so this works from any machine; rolling back again
goes one step further back.

With --stack, undoes the last \`stagecraft promote --stack\` to the alias: every function it moved
returns to what it ran before (a finished canary: the version before the canary); functions it
did not move are not touched. Aliases it created are kept. Rolling back again undoes the
promotion before it.

With --api, rolls back an API stage (REST, HTTP or WebSocket API, by id or name): a running canary is
cancelled (the stage keeps serving its deployment); otherwise the stage returns to the
deployment it served before its last \`stagecraft promote --api\` (tag stagecraft:previous on
the stage).

Options:
  --alias <alias>   The alias to roll back (e.g. prod)
  --to <version>    Go to this version (with --api: deployment id) instead of the recorded one
  --stack <stack>   Undo the last promotion of this stack's functions to --alias
  --api <name|id>   Roll back a stage of this API instead of a function's alias
  --stage <stage>   The stage to roll back (with --api)
${COMMON_HELP}

Examples:
  stagecraft rollback hello-lambda --alias prod
  stagecraft rollback hello-lambda --alias prod --to 3
  stagecraft rollback --stack shop --alias prod
  stagecraft rollback --api hello-api --stage prod
`;

export const rollbackCommand: Command = {
  name: 'rollback',
  summary: 'Return an alias or API stage to what it ran before its last promotion',
  run: (args) => runCommand('rollback', HELP, args, {
    alias: { type: 'string' },
    to: { type: 'string' },
    api: { type: 'string' },
    stage: { type: 'string' },
    stack: { type: 'string' },
  }, async (inv) => {
    const { values } = inv;
    if (values.stack !== undefined) return rollbackStackAliases(inv);
    if (values.api !== undefined) return rollbackApiStage(inv);
    if (values.stage !== undefined) throw new CliError('--stage rolls back an API stage and needs --api', `For example: stagecraft rollback --api hello-api --stage ${values.stage}`, 2);
    const fn = inv.positionals[0];
    if (!fn) throw new CliError('name the function to roll back', 'Usage: stagecraft rollback <function> --alias prod', 2);
    if (!values.alias) throw new CliError('--alias is required', `For example: stagecraft rollback ${fn} --alias prod`, 2);
    if (values.to !== undefined && !/^\d+$/.test(values.to)) throw new CliError(`--to ${values.to} is not a version number`, 'Pass the version to return to, e.g. --to 3.', 2);
    try {
      const result = await rollback(inv.clients().lambda, fn, values.alias, values.to);
      if (values.json) {
        writeJson(result);
        return 0;
      }
      const c = palette(process.stdout, Boolean(values['no-color']));
      write(`${c.green('Rolled back')} ${fn}:${values.alias} → ${describeState(result.after)} (was ${describeState(result.before)}).`);
      if (result.remaining.length) write(c.dim(`Rolling back again would go to ${describeState(result.remaining[result.remaining.length - 1])}.`));
      return 0;
    } catch (e) {
      if (e instanceof PromotionError) throw new CliError(`${e.message}.`, e.hint, 1, e.type);
      throw e;
    }
  }, 1),
};
