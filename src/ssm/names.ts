// Parameter names as AWS checks them (User Guide, "Requirements and constraints for parameter
// names"), the ARN a name has, and how GetParameter's `Name` reads: a name, an ARN, and an optional
// `:version` or `:label` selector.
import type { DocumentScope } from '../store/named-documents.js';
import { hierarchyTooDeep, invalidPath, invalidPathName, notFullyQualified, reservedPath, reservedPrefix } from './errors.js';

const NAME_CHARS = /^[a-zA-Z0-9_.\-/]+$/;
const MAX_LEVELS = 15;

/** Checks a name PutParameter is to create (AWS trims spaces at either end first). */
export function checkNewName(raw: string): string {
  const name = raw.trim();
  // Reserved prefixes: a path under /aws is refused as AWS's own, other reserved names and paths as invalid.
  if (/^\/*(aws|ssm)/i.test(name)) {
    const isPath = name.split('/').length > 2;
    if (isPath && /^\/aws/i.test(name)) throw reservedPath(name);
    throw isPath ? invalidPathName() : reservedPrefix();
  }
  if (!NAME_CHARS.test(name) || name.includes('//') || (name.length > 1 && name.endsWith('/'))) throw invalidPathName();
  if (name.includes('/') && !name.startsWith('/')) throw notFullyQualified();
  if (name.split('/').filter((s) => s !== '').length > MAX_LEVELS) throw hierarchyTooDeep();
  return name;
}

/** Checks GetParametersByPath's Path: `/`, or `/a/b` (a trailing slash allowed). */
export function checkPath(path: string): string {
  if (!path.startsWith('/') || !NAME_CHARS.test(path) || path.includes('//')) throw invalidPath();
  if (path.split('/').filter((s) => s !== '').length > MAX_LEVELS) throw hierarchyTooDeep();
  return path.endsWith('/') ? path : `${path}/`;
}

export const parameterArn = (scope: DocumentScope, name: string): string =>
  `arn:aws:ssm:${scope.region}:${scope.accountId}:parameter/${name.startsWith('/') ? name.slice(1) : name}`;

export interface ParameterReference {
  /** Names to try, in order (an ARN's path does not say whether the name began with a slash). */
  names: string[];
  /** The selector as written after the name (`:3`, `:prod`), absent without one. */
  selector?: string;
  version?: number;
  label?: string;
}

const ARN = /^arn:aws[a-z-]*:ssm:([a-z0-9-]+):(\d{12}):parameter\/(.+)$/;

/** Reads a Name member of GetParameter(s)/GetParameterHistory: name or ARN, with an optional selector. */
export function parseReference(scope: DocumentScope, text: string): ParameterReference {
  const arn = ARN.exec(text);
  const fromArn = arn !== null && arn[1] === scope.region && arn[2] === scope.accountId;
  const base = fromArn ? arn[3] : text;
  const colon = base.indexOf(':');
  const name = colon >= 0 ? base.slice(0, colon) : base;
  const names = !fromArn ? [name] : name.includes('/') ? [`/${name}`] : [name, `/${name}`];
  if (colon < 0) return { names };
  const selector = base.slice(colon);
  const label = selector.slice(1);
  return /^\d+$/.test(label) ? { names, selector, version: Number(label) } : { names, selector, label };
}

/** A label LabelParameterVersion refuses (its InvalidLabels): over 100 characters, other characters, a leading digit, aws or ssm. */
export function isInvalidLabel(label: string): boolean {
  return label.length > 100 || !/^[a-zA-Z0-9_.-]+$/.test(label) || /^\d/.test(label) || /^(aws|ssm)/i.test(label);
}
