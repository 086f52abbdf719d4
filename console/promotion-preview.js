// What the Promote button of a function would change, read through the console's client (api.js)
// and nothing written, in the shape of `stagecraft promote --dry-run --json`. The configuration
// diff and the grants to copy are the CLI's own modules (src/deploy/function-config-diff.ts,
// api-gateway-grants.ts), compiled and served beside these files by the server.
import { diffFunctionConfigurations } from './function-config-diff.js';
import { grantsToCopy } from './api-gateway-grants.js';
import { checkPromotion, ConsoleError, planPromotion, sameState, stateOf } from './model.js';

/** The version `from` (an alias or a version number) runs, and whether it is an alias. */
async function sourceOf(client, name, from) {
  if (/^\d+$/.test(from)) {
    await client.getFunctionConfiguration(name, from);
    return { version: from, alias: false };
  }
  const a = await client.getAlias(name, from);
  if (!a) throw new ConsoleError(`function ${name} has no alias ${from}`, 'Reload the page to see its aliases.', 'ResourceNotFoundException');
  return { version: a.FunctionVersion, alias: true };
}

export async function previewFunctionPromotion(client, name, from, to, canary) {
  checkPromotion(from, to);
  const source = await sourceOf(client, name, from);
  const currentAlias = await client.getAlias(name, to);
  const target = planPromotion({ current: currentAlias, sourceVersion: source.version, canary, to });
  const current = currentAlias ? stateOf(currentAlias) : null;
  const action = !current ? 'create' : sameState(current, target) ? 'unchanged' : Object.keys(target.weights).length ? 'canary' : 'move';
  let configuration = null;
  if (current && current.version !== source.version) {
    const [before, after] = await Promise.all([client.getFunctionConfiguration(name, current.version), client.getFunctionConfiguration(name, source.version)]);
    configuration = { fromVersion: current.version, toVersion: source.version, ...diffFunctionConfigurations(before, after) };
  }
  // Grants are copied only from an alias, as promote does.
  const permissions = source.alias ? grantsToCopy(await client.getPolicyStatements(name, from), await client.getPolicyStatements(name, to)) : [];
  return {
    dryRun: true, kind: 'function', function: name, from, to, source: { ref: from, version: source.version },
    action, current, target, configuration, permissions, changes: action !== 'unchanged' || permissions.length > 0,
  };
}
