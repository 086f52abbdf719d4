// What the Parameter Store operations share: their dependencies, a request's scope, finding a
// parameter version by reference, and the shapes AWS answers with (Parameter, ParameterMetadata,
// ParameterHistory). SecureString values are stored as given; unless a caller asks for decryption
// they are answered as an opaque base64 text standing where AWS shows the KMS ciphertext.
import { createHash } from 'node:crypto';
import type { RequestContext } from '../aws/request-context.js';
import type { DocumentScope } from '../store/named-documents.js';
import type { SsmStore, StoredParameter, StoredParameterVersion } from '../store/ssm-store.js';
import type { Parameter, ParameterHistory, ParameterMetadata } from '../aws/generated/ssm.js';
import { invalidNextToken, parameterNotFound, versionNotFound } from './errors.js';
import { parameterArn, parseReference } from './names.js';

export interface SsmDeps {
  store: SsmStore;
  now(): number;
}

export const scopeOf = (ctx: Pick<RequestContext, 'accountId' | 'region'>): DocumentScope => ({ accountId: ctx.accountId, region: ctx.region });

/** Who changed a parameter, as LastModifiedUser shows it. */
export const userOf = (ctx: Pick<RequestContext, 'accountId'>): string => `arn:aws:iam::${ctx.accountId}:root`;

export const DEFAULT_KEY_ID = 'alias/aws/ssm';

export const current = (p: StoredParameter): StoredParameterVersion => p.versions[p.versions.length - 1];

/** What a SecureString's value looks like without WithDecryption: stable for a version, never the value. */
function ciphertextOf(name: string, v: StoredParameterVersion): string {
  const digest = createHash('sha256').update(`${name}\0${v.version}\0${v.keyId ?? DEFAULT_KEY_ID}\0${v.value}`).digest();
  return Buffer.concat([Buffer.from([1, 2, 2, 0, 0x78]), digest, digest]).toString('base64');
}

export const shownValue = (name: string, v: StoredParameterVersion, decrypt: boolean): string =>
  v.type === 'SecureString' && !decrypt ? ciphertextOf(name, v) : v.value;

export function parameterView(scope: DocumentScope, name: string, v: StoredParameterVersion, decrypt: boolean, selector?: string): Parameter {
  return {
    Name: name, Type: v.type, Value: shownValue(name, v, decrypt), Version: v.version, ...(selector ? { Selector: selector } : {}),
    LastModifiedDate: new Date(v.lastModifiedMs), ARN: parameterArn(scope, name), DataType: v.dataType,
  };
}

export function metadataView(scope: DocumentScope, name: string, p: StoredParameter): ParameterMetadata {
  const v = current(p);
  return {
    Name: name, ARN: parameterArn(scope, name), Type: v.type, ...(v.type === 'SecureString' ? { KeyId: v.keyId ?? DEFAULT_KEY_ID } : {}),
    LastModifiedDate: new Date(v.lastModifiedMs), LastModifiedUser: v.lastModifiedUser, ...(v.description !== undefined ? { Description: v.description } : {}),
    ...(v.allowedPattern !== undefined ? { AllowedPattern: v.allowedPattern } : {}), Version: v.version, Tier: v.tier, Policies: [], DataType: v.dataType,
  };
}

export function historyView(name: string, v: StoredParameterVersion, decrypt: boolean): ParameterHistory {
  return {
    Name: name, Type: v.type, ...(v.type === 'SecureString' ? { KeyId: v.keyId ?? DEFAULT_KEY_ID } : {}), LastModifiedDate: new Date(v.lastModifiedMs),
    LastModifiedUser: v.lastModifiedUser, ...(v.description !== undefined ? { Description: v.description } : {}), Value: shownValue(name, v, decrypt),
    ...(v.allowedPattern !== undefined ? { AllowedPattern: v.allowedPattern } : {}), Version: v.version, Labels: v.labels, Tier: v.tier, Policies: [], DataType: v.dataType,
  };
}

export interface FoundVersion {
  name: string;
  parameter: StoredParameter;
  version: StoredParameterVersion;
  selector?: string;
}

/** The version a reference names (`name`, `name:3`, `name:label`, an ARN), or AWS's error for it. */
export async function findVersion(deps: SsmDeps, scope: DocumentScope, text: string): Promise<FoundVersion> {
  const ref = parseReference(scope, text);
  for (const name of ref.names) {
    const found = await deps.store.get(scope, name);
    if (!found) continue;
    const p = found.doc;
    if (ref.version !== undefined) {
      const version = p.versions.find((v) => v.version === ref.version);
      if (!version) throw versionNotFound(name, String(ref.version));
      return { name, parameter: p, version, selector: ref.selector };
    }
    if (ref.label !== undefined) {
      // An unknown label (or a selector that is neither) finds no parameter, as on AWS.
      const version = p.versions.find((v) => v.labels.includes(ref.label!));
      if (!version) throw parameterNotFound();
      return { name, parameter: p, version, selector: ref.selector };
    }
    return { name, parameter: p, version: current(p) };
  }
  throw parameterNotFound();
}

/** One page of `items` after the token's position (tokens are opaque: the last name answered, base64). */
export function page<T>(items: T[], keyOf: (item: T) => string, maxResults: number, token: string | undefined): { items: T[]; NextToken?: string } {
  let start = 0;
  if (token !== undefined) {
    const after = Buffer.from(token, 'base64url').toString('utf8');
    if (!token || !after.startsWith('k:')) throw invalidNextToken();
    start = items.findIndex((i) => keyOf(i) > after.slice(2));
    if (start < 0) start = items.length;
  }
  const slice = items.slice(start, start + maxResults);
  const more = start + maxResults < items.length;
  return { items: slice, ...(more ? { NextToken: Buffer.from(`k:${keyOf(slice[slice.length - 1])}`).toString('base64url') } : {}) };
}
