// Test support for deploy without a server: a template's text read into a StackModel (stack
// "demo" in eu-west-1, account 111122223333), with the issues found on the way.
import { Issues } from './issues.js';
import { resolveParameters } from './parameters.js';
import { StackModel } from './stack-model.js';
import { parseTemplate } from './template.js';

/** `imports`: the region's exports Fn::ImportValue resolves from (absent: placeholders). */
export function stackModelOf(text: string, strict = false, imports?: ReadonlyMap<string, string>): { issues: Issues; model: StackModel } {
  const issues = new Issues();
  const template = parseTemplate(text, 'template.yaml', issues)!;
  const model = new StackModel(template, resolveParameters(template, {}, issues), { stackName: 'demo', region: 'eu-west-1', accountId: '111122223333' }, undefined, issues, strict, imports);
  return { issues, model };
}
