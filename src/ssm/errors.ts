// SSM Parameter Store's error answers, in AWS's words. Codes come from the one catalogue
// (src/core/errors.ts); SSM sends every client error with status 400. Several of AWS's own answers
// carry no message at all (ParameterNotFound, InvalidResourceId).
import { awsError, type AwsError } from '../core/errors.js';

export const validation = (message: string): AwsError => awsError('ValidationException', message);
export const parameterNotFound = (): AwsError => awsError('ParameterNotFound', '');
export const parameterExists = (): AwsError =>
  awsError('ParameterAlreadyExists', 'The parameter already exists. To overwrite this value, set the overwrite option in the request to true.');
export const versionNotFound = (name: string, version: string): AwsError =>
  awsError('ParameterVersionNotFound', `Systems Manager could not find version ${version} of ${name}. Verify the version and try again.`);
/** A name (not a path) beginning with aws or ssm. */
export const reservedPrefix = (): AwsError => validation('Parameter name: can\'t be prefixed with "aws" or "ssm" (case-insensitive).');
/** A path beginning with ssm, or a name with characters AWS does not take (AWS answers both so). */
export const invalidPathName = (): AwsError => validation('Parameter name: can\'t be prefixed with "ssm" (case-insensitive). If formed as a path, it can consist of '
  + 'sub-paths divided by slash symbol; each sub-path can be formed as a mix of letters, numbers and the following 3 symbols .-_');
/** A path beginning with /aws: AWS names it without its leading slash. */
export const reservedPath = (name: string): AwsError => awsError('AccessDeniedException', `No access to reserved parameter name: ${name.slice(1)}.`, { status: 400, messageKey: 'message' });
export const notFullyQualified = (): AwsError => validation('Parameter name must be a fully qualified name.');
export const hierarchyTooDeep = (): AwsError => awsError('HierarchyLevelLimitExceededException',
  'A hierarchy can have a maximum of 15 levels. For more information, see Requirements and Constraints for Parameter Names in the AWS Systems Manager User Guide.');
export const invalidPath = (): AwsError => validation('The parameter doesn\'t meet the parameter name requirements. The parameter name must begin with a forward slash "/". '
  + 'It can\'t be prefixed with "aws" or "ssm" (case-insensitive). It must use only letters, numbers, or the following symbols: . (period), - (hyphen), _ (underscore). '
  + 'Special characters are not allowed. All sub-paths, if specified, must use the forward slash symbol "/". Valid example: /get/parameters2-/by1./path0_.');
export const tagsWithOverwrite = (): AwsError => validation('Invalid request: tags and overwrite can\'t be used together. To create a parameter with tags, please remove overwrite flag. '
  + 'To update tags for an existing parameter, please use AddTagsToResource or RemoveTagsFromResource.');
export const patternMismatch = (pattern: string): AwsError => awsError('ParameterPatternMismatchException', `Parameter value, cannot be validated against allowedPattern: ${pattern}`);
export const invalidAllowedPattern = (): AwsError => awsError('InvalidAllowedPatternException', 'The allowed pattern is not valid.');
export const standardTooLarge = (): AwsError => validation('Standard tier parameters support a maximum parameter value of 4096 characters. To create a larger parameter value, '
  + 'upgrade the parameter to use the advanced-parameter tier. For more information, see https://docs.aws.amazon.com/systems-manager/latest/userguide/parameter-store-advanced-parameters.html');
export const advancedTooLarge = (): AwsError => validation('Advanced tier parameters support a maximum parameter value of 8192 characters.');
export const downgradeRefused = (): AwsError => validation('This parameter uses the advanced-parameter tier. You can\'t downgrade a parameter from the advanced-parameter tier '
  + 'to the standard-parameter tier. If necessary, you can delete the advanced parameter and recreate it as a standard parameter.');
export const invalidResourceId = (): AwsError => awsError('InvalidResourceId', '');
export const invalidResourceType = (): AwsError => awsError('InvalidResourceType', '');
export const tooManyTags = (): AwsError => awsError('TooManyTagsError', 'The Tags parameter can\'t contain more than 50 tags.');
export const invalidNextToken = (): AwsError => awsError('InvalidNextToken', 'The specified token isn\'t valid.', { status: 400, messageKey: 'message' });
export const labelLimit = (): AwsError => awsError('ParameterVersionLabelLimitExceeded',
  'A parameter version can have maximum 10 labels.Move one or more labels to another version and try again.');
export const invalidFilterKey = (): AwsError => awsError('InvalidFilterKey', '');
export const invalidFilterOption = (message: string): AwsError => awsError('InvalidFilterOption', message);
export const invalidFilterValue = (message: string): AwsError => awsError('InvalidFilterValue', message);
export const unsupportedDataType = (dataType: string): AwsError =>
  validation(`The following data type is not supported: ${dataType} (Data type names are all lowercase.)`);
export const maxVersions = (name: string, version: number): AwsError => awsError('ParameterMaxVersionLimitExceeded',
  `You attempted to create a new version of ${name} by calling the PutParameter API with the overwrite flag. Version ${version}, the oldest version, can't be deleted `
  + 'because it has a label associated with it. Move the label to another version of the parameter, and try again.');
