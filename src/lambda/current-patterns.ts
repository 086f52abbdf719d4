// The ARN patterns AWS's front end checks today, where the published model (botocore) is older.
// AWS added the European Sovereign Cloud regions (`eusc-de-east-1`): every region group of the form
// `[a-z]{2}((-gov)|(-iso([a-z]?)))?` now starts with `(eusc-)?`, and TaggableResource also accepts
// layer ARNs. Recorded on AWS: functionName (CreateFunction, Invoke), resource (TagResource),
// destinationConfig.onFailure.destination (PutFunctionEventInvokeConfig).
import type { ServiceModel } from '../aws/model.js';

const REGION = '[a-z]{2}((-gov)|(-iso([a-z]?)))?';
const SOVEREIGN = `(eusc-)?${REGION}`;
/** Idempotent: patterns already written the current way (LayerVersionArn, see layers.ts) stay as they are. */
const withSovereignRegions = (pattern: string): string => pattern.split(SOVEREIGN).map((part) => part.split(REGION).join(SOVEREIGN)).join(SOVEREIGN);

/** Function names as Invoke and the other `NamespacedFunctionName` members check them. */
export const NAMESPACED_FUNCTION_NAME_PATTERN = withSovereignRegions(
  '(arn:(aws[a-zA-Z-]*)?:lambda:)?([a-z]{2}((-gov)|(-iso([a-z]?)))?-[a-z]+-\\d{1}:)?(\\d{12}:)?(function:)?([a-zA-Z0-9-_\\.]+)(:(\\$LATEST(\\.PUBLISHED)?|[a-zA-Z0-9-_]+))?',
);

export function withCurrentPatterns(model: ServiceModel): ServiceModel {
  const shapes = { ...model.shapes };
  for (const [name, shape] of Object.entries(shapes)) {
    if (shape.pattern?.includes(REGION)) shapes[name] = { ...shape, pattern: withSovereignRegions(shape.pattern) };
  }
  const taggable = shapes.TaggableResource;
  if (taggable?.pattern) shapes.TaggableResource = { ...taggable, pattern: taggable.pattern.replace('|code-signing-config:', '|layer:([a-zA-Z0-9-_]+)|code-signing-config:') };
  return { ...model, shapes };
}
