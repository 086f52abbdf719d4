// Before anything is deployed: the stack's Fn::ImportValue names must be exports of the region, and
// the export names it declares must be its to take (or drop), as CloudFormation checks them.
import { exportViolations } from '../cloudformation/export-rules.js';
import type { LoadedStack } from './deploy.js';
import { DeployStepError } from './errors.js';
import { Issues } from './issues.js';
import { templateImports, type StackExport } from './stack-exports.js';

/**
 * What the stack imports (each import an export of the region: else CloudFormation's error, at the
 * template's line) and whether its export names are its to take or drop, before anything is deployed.
 */
export function checkCrossStack(stack: LoadedStack, current: readonly StackExport[]): { imports: string[] } {
  const { model, stackName } = stack;
  const scope = model.scope(() => undefined);
  const issues = new Issues();
  const imports = templateImports(model, scope, new Set(current.map((e) => e.name)), issues);
  issues.throwIfErrors(stack.templateFile);
  const names = model.exportNames(scope).map((name) => ({ name }));
  const refused = exportViolations(current, stackName, names, imports);
  if (refused.length) throw new DeployStepError('Outputs', 'checking the stack\'s exports', new Error(refused.join('; ')));
  return { imports };
}
