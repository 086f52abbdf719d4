// Which of the APIs named as the template names one is this stack's. API names are not unique
// (CDK names a RestApi after its construct id, so two stacks' `new RestApi(this, 'Api')` are both
// "Api"): as CloudFormation, a stack owns what it made, by its stack tag, and within the stack by
// the resource's logical ID, which it tags as CloudFormation does (aws:cloudformation:logical-id).
// Another stack's API of the same name is never taken over: this stack makes its own.
import { STACK_TAG } from './functions.js';

/** The tags CloudFormation puts on the resources of a stack, visible through each service's tag API. */
export const CFN_STACK_NAME_TAG = 'aws:cloudformation:stack-name';
export const CFN_LOGICAL_ID_TAG = 'aws:cloudformation:logical-id';

type Tags = Record<string, string> | undefined;

/** The tags a stack's API carries: the stack's mark and CloudFormation's. */
export function stackApiTags(stackName: string, logicalId: string): Record<string, string> {
  return { [STACK_TAG]: stackName, [CFN_STACK_NAME_TAG]: stackName, [CFN_LOGICAL_ID_TAG]: logicalId };
}

/** What of stackApiTags `tags` lack (APIs deployed before the logical-ID tag get it on their next deploy). */
export function missingApiTags(tags: Tags, stackName: string, logicalId: string): Record<string, string> {
  return Object.fromEntries(Object.entries(stackApiTags(stackName, logicalId)).filter(([k, v]) => tags?.[k] !== v));
}

export type OwnedApi<T> = { found?: T; adopted?: boolean; ambiguous?: T[] };

/**
 * Among the APIs with the template's name: this stack's with the resource's logical ID; else this
 * stack's one without a logical ID (deployed before it was tagged); else one no stack owns (made by
 * hand: adopted, as before). Several candidates at one step are ambiguous; none means create.
 */
export function ownedApi<T>(named: readonly T[], tagsOf: (api: T) => Tags, stackName: string, logicalId: string): OwnedApi<T> {
  const mine = named.filter((a) => tagsOf(a)?.[STACK_TAG] === stackName);
  const steps = [
    mine.filter((a) => tagsOf(a)?.[CFN_LOGICAL_ID_TAG] === logicalId),
    mine.filter((a) => tagsOf(a)?.[CFN_LOGICAL_ID_TAG] === undefined),
    named.filter((a) => tagsOf(a)?.[STACK_TAG] === undefined),
  ];
  for (const [i, candidates] of steps.entries()) {
    if (candidates.length > 1) return { ambiguous: candidates };
    if (candidates.length === 1) return { found: candidates[0], adopted: i === 2 };
  }
  return {};
}
