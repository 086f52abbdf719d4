// Lambda ARNs and function-name parsing (name, partial ARN, full ARN; qualifier in the name or apart).
export function functionArn(region: string, accountId: string, name: string, qualifier?: string): string {
  return `arn:aws:lambda:${region}:${accountId}:function:${name}${qualifier ? `:${qualifier}` : ''}`;
}

export interface ParsedFunctionName {
  name: string;
  qualifier?: string;
  region?: string;
  accountId?: string;
}

const FULL_ARN = /^arn:aws[a-zA-Z-]*:lambda:([a-z0-9-]+):(\d{12}):function:([a-zA-Z0-9-_.]+)(?::(\$LATEST|[a-zA-Z0-9-_]+))?$/;
const PARTIAL_ARN = /^(\d{12}):function:([a-zA-Z0-9-_.]+)(?::(\$LATEST|[a-zA-Z0-9-_]+))?$/;
const PLAIN = /^([a-zA-Z0-9-_.]+)(?::(\$LATEST|[a-zA-Z0-9-_]+))?$/;
const AWS_PATTERN = /^(?:arn:aws[a-zA-Z-]*:lambda:)?(?:((?:eusc-)?[a-z]{2}(?:-gov|-iso[a-z]?)?-[a-z]+-\d):)?(?:(\d{12}):)?(?:function:)?([a-zA-Z0-9-_.]+)(?::(\$LATEST|[a-zA-Z0-9-_]+))?$/;

/** Parses the FunctionName member of a Lambda request; undefined when it is none of AWS's forms. */
export function parseFunctionName(value: string): ParsedFunctionName | undefined {
  let m = FULL_ARN.exec(value);
  if (m) return { region: m[1], accountId: m[2], name: m[3], qualifier: m[4] };
  m = PARTIAL_ARN.exec(value);
  if (m) return { accountId: m[1], name: m[2], qualifier: m[3] };
  m = PLAIN.exec(value);
  if (m) return { name: m[1], qualifier: m[2] };
  return undefined;
}

/**
 * A Lambda request's FunctionName member: one of the forms above, or any other form AWS's pattern
 * admits, read group by group as AWS reads it (an ARN without `function:` names the function after
 * the account: `…:123456789012:function` is "function"). Not for ARNs found elsewhere (destinations,
 * integration URIs), where only real function ARNs count.
 */
export function parseFunctionNameMember(value: string): ParsedFunctionName | undefined {
  const parsed = parseFunctionName(value);
  if (parsed) return parsed;
  const m = AWS_PATTERN.exec(value);
  return m ? { region: m[1], accountId: m[2], name: m[3], qualifier: m[4] } : undefined;
}

/** A layer's ARN, or one of its versions' when `version` is given. */
export function layerArn(region: string, accountId: string, name: string, version?: number): string {
  return `arn:aws:lambda:${region}:${accountId}:layer:${name}${version === undefined ? '' : `:${version}`}`;
}

export interface ParsedLayerArn {
  region: string;
  accountId: string;
  name: string;
  version?: number;
}

const LAYER_ARN = /^arn:aws[a-zA-Z-]*:lambda:([a-z0-9-]+):(\d{12}):layer:([a-zA-Z0-9-_]+)(?::(\d+))?$/;

/** Parses a layer or layer version ARN; undefined for anything else (e.g. AWS's own `awslayer` ARNs). */
export function parseLayerArn(value: string): ParsedLayerArn | undefined {
  const m = LAYER_ARN.exec(value);
  if (!m) return undefined;
  return { region: m[1], accountId: m[2], name: m[3], version: m[4] === undefined ? undefined : Number(m[4]) };
}
