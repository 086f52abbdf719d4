// What IAM checks of a policy document before it stores one, with AWS's MalformedPolicyDocument
// messages, and how IAM answers documents: URL-encoded, as AWS does (the AWS CLI decodes them).
// Stagecraft evaluates no policy, so only the structure tools rely on is checked.
import { awsError } from '../core/errors.js';

const VERSIONS = new Set(['2008-10-17', '2012-10-17']);

/** Identity policies (inline and managed) or a role's trust policy. */
export type PolicyKind = 'identity' | 'trust';

const malformed = (message: string) => awsError('MalformedPolicyDocument', message);

export function checkPolicyDocument(text: string, kind: PolicyKind): void {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw malformed('This policy contains invalid Json');
  }
  if (!isObject(parsed) || parsed.Statement === undefined || parsed.Statement === null) throw malformed('Syntax errors in policy.');
  if (parsed.Version !== undefined && (typeof parsed.Version !== 'string' || !VERSIONS.has(parsed.Version))) throw malformed('The policy failed legacy parsing');
  const statements = Array.isArray(parsed.Statement) ? parsed.Statement : [parsed.Statement];
  for (const s of statements) {
    if (!isObject(s)) throw malformed('Syntax errors in policy.');
    if (kind === 'identity') {
      if (s.Principal !== undefined || s.NotPrincipal !== undefined) throw malformed('Policy document should not specify a principal.');
      if (s.Action === undefined && s.NotAction === undefined) throw malformed('Policy statement must contain actions.');
      if (s.Resource === undefined && s.NotResource === undefined) throw malformed('Policy statement must contain resources.');
    } else if (s.Resource !== undefined) {
      throw malformed('Has prohibited field Resource');
    } else if (s.Principal === undefined && s.NotPrincipal === undefined) {
      throw malformed('Invalid principal in policy: com.amazon.balsa.error.InvalidPolicyException: The passed in policy has a statement with no principals!');
    }
  }
}

/** A document's size as IAM counts it against quotas: without whitespace. */
export const policySize = (text: string): number => text.replace(/\s/g, '').length;

/** A document as IAM answers it: percent-encoded (RFC 3986). */
export const encodeDocument = (text: string): string =>
  encodeURIComponent(text).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
