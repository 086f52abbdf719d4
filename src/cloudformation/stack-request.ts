// What CreateStack, UpdateStack and CreateChangeSet are asked, made into one checked StackRequest:
// the template (TemplateBody, or TemplateURL read by the plugged-in reader), its parameters settled,
// the capabilities it needs checked, code locations the server can reach.
import { awsError } from '../core/errors.js';
import { validationMessage } from '../aws/validate.js';
import type { KeyValue, StoredStack } from '../store/cloudformation-stacks-store.js';
import type { StackRequest } from './stack-operations.js';
import { settleParameters, type GivenParameter } from './stack-parameters.js';
import { checkCapabilities, checkCodeLocations, parseDocument } from './template-document.js';

/** Who asks for a TemplateURL: the account, and the Host its request came to (this server's own URLs). */
export interface TemplateCaller {
  accountId: string;
  host: string | undefined;
}

/** Reads a TemplateURL's template (this server's S3, s3-template-reader.ts). */
export type TemplateReader = (url: string, caller: TemplateCaller) => Promise<string>;

/** A TemplateReader bound to one request's caller; undefined where no reader is plugged in. */
export type UrlReader = ((url: string) => Promise<string>) | undefined;

/** CloudFormation's limit on TemplateBody (51,200); larger templates go through S3 (TemplateURL). */
export const MAX_TEMPLATE_BODY = 51_200;

export interface TemplateInput {
  TemplateBody?: string;
  TemplateURL?: string;
  UsePreviousTemplate?: boolean;
}

/** The template text asked for; `previous`: the stack's, for UsePreviousTemplate. */
export async function templateText(input: TemplateInput, reader: UrlReader, previous?: StoredStack): Promise<string> {
  const given = [input.TemplateBody !== undefined, input.TemplateURL !== undefined, input.UsePreviousTemplate === true].filter(Boolean).length;
  if (given > 1) throw awsError('ValidationError', 'Specify exactly one of TemplateBody, TemplateURL or UsePreviousTemplate.');
  if (input.UsePreviousTemplate) {
    if (!previous) throw awsError('ValidationError', 'UsePreviousTemplate can only be used with an existing stack.');
    return previous.templateBody;
  }
  if (input.TemplateURL !== undefined) {
    if (!reader) throw awsError('ValidationError', 'TemplateURL is not supported by Stagecraft yet; pass TemplateBody');
    return reader(input.TemplateURL);
  }
  if (input.TemplateBody === undefined) throw awsError('ValidationError', 'Either Template URL or Template Body must be specified.');
  // The member's length constraint, worded as AWS's validation of the request.
  if (input.TemplateBody.length > MAX_TEMPLATE_BODY) {
    throw awsError('ValidationError', validationMessage([`Value '${input.TemplateBody}' at 'templateBody' failed to satisfy constraint: Member must have length less than or equal to ${MAX_TEMPLATE_BODY}`]));
  }
  return input.TemplateBody;
}

export interface RequestInput extends TemplateInput {
  Parameters?: GivenParameter[];
  Capabilities?: string[];
  Tags?: { Key: string; Value: string }[];
}

/** A checked request: refusals come here, before anything is recorded or changed. */
export async function stackRequest(input: RequestInput, reader: UrlReader, previous: StoredStack | undefined, changeSet: boolean): Promise<StackRequest> {
  const templateBody = await templateText(input, reader, previous);
  const doc = parseDocument(templateBody);
  const { all, overrides } = settleParameters(doc, input.Parameters, previous?.parameters);
  const capabilities = input.Capabilities ?? [];
  checkCapabilities(doc, capabilities, changeSet);
  // A change set with code the server can't reach is created FAILED (change-sets.ts), as when SAM's transform fails.
  if (!changeSet) checkCodeLocations(doc);
  // As CloudFormation: an update without Tags keeps the stack's.
  const tags: KeyValue[] = input.Tags ? input.Tags.map((t) => ({ key: t.Key, value: t.Value })) : previous?.tags ?? [];
  return { templateBody, doc, parameters: all, overrides, capabilities, tags };
}
