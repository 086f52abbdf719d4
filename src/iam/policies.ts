// Managed policies: customer managed ones (CreatePolicy … DeletePolicy, their versions, stored per
// account) and the AWS managed catalogue (aws-managed-policies.ts), read-only, attachable by ARN.
import type { HandlerTable } from '../aws/protocols/query.js';
import type { Operations, Policy } from '../aws/generated/iam.js';
import { awsError } from '../core/errors.js';
import type { IamStore, StoredPolicy } from '../store/iam-store.js';
import { AWS_MANAGED_POLICIES, awsManagedArn, awsManagedPolicy } from './aws-managed-policies.js';
import { checkPolicyDocument, encodeDocument, policySize } from './policy-document.js';
import { page, stableId, uniqueId, underPrefix } from './listing.js';
import { limitExceeded, noSuchPolicy } from './errors.js';
import { mergeTags, withoutTags } from './tags.js';

const POLICY_SIZE_QUOTA = 6144;
const VERSIONS_QUOTA = 5;

type PolicyOps = Pick<Operations, 'CreatePolicy' | 'GetPolicy' | 'ListPolicies' | 'DeletePolicy' | 'GetPolicyVersion' | 'CreatePolicyVersion'
  | 'ListPolicyVersions' | 'DeletePolicyVersion' | 'SetDefaultPolicyVersion' | 'ListEntitiesForPolicy' | 'TagPolicy' | 'UntagPolicy' | 'ListPolicyTags'>;

/** A managed policy of either kind, as attachments and listings need it. */
export interface ManagedPolicy extends Pick<StoredPolicy, 'name' | 'id' | 'arn' | 'path' | 'description' | 'createdMs' | 'updatedMs' | 'defaultVersionId'> {
  kind: 'aws' | 'customer';
  stored?: StoredPolicy;
}

export interface PolicyLookup {
  kind(accountId: string, arn: string): Promise<'aws' | 'customer' | undefined>;
  exists(accountId: string, arn: string): Promise<boolean>;
  describe(accountId: string, arn: string): Promise<ManagedPolicy | undefined>;
}

/** An ARN AttachRolePolicy can take at all: a managed policy's, of AWS or of an account. */
export const attachableArn = (arn: string): boolean => /^arn:aws:iam::(aws|\d{12}):policy\/(.+\/)?[\w+=,.@-]+$/.test(arn);

const fromAws = (arn: string): ManagedPolicy | undefined => {
  const p = awsManagedPolicy(arn);
  const date = p && Date.parse(p.date);
  return p && { kind: 'aws', name: p.name, arn, path: p.path, description: p.description, createdMs: date!, updatedMs: date!, defaultVersionId: p.versionId, id: stableId('ANPA', arn) };
};
const fromStored = (p: StoredPolicy): ManagedPolicy => ({ kind: 'customer', name: p.name, id: p.id, arn: p.arn, path: p.path, description: p.description,
  createdMs: p.createdMs, updatedMs: p.updatedMs, defaultVersionId: p.defaultVersionId, stored: p });

export function policyLookup(store: IamStore): PolicyLookup {
  const describe = async (accountId: string, arn: string) => {
    const stored = arn.startsWith('arn:aws:iam::aws:') ? undefined : await store.getPolicy(accountId, arn);
    return stored ? fromStored(stored) : fromAws(arn);
  };
  return {
    describe,
    kind: async (accountId, arn) => (await describe(accountId, arn))?.kind,
    exists: async (accountId, arn) => (await describe(accountId, arn)) !== undefined,
  };
}

export function policyHandlers(store: IamStore, lookup: PolicyLookup): HandlerTable<PolicyOps> {
  /** How many roles each policy is attached to, and is the boundary of. */
  const usage = async (accountId: string) => {
    const attachments = new Map<string, number>();
    for (const a of await store.attachments(accountId)) attachments.set(a.policyArn, (attachments.get(a.policyArn) ?? 0) + 1);
    const boundaries = new Map<string, number>();
    for (const r of await store.listRoles(accountId)) if (r.permissionsBoundary) boundaries.set(r.permissionsBoundary, (boundaries.get(r.permissionsBoundary) ?? 0) + 1);
    return { attachments, boundaries };
  };
  const shape = (p: ManagedPolicy, counts: Awaited<ReturnType<typeof usage>>, detail: 'get' | 'create' | 'list'): Policy => ({
    PolicyName: p.name, PolicyId: p.id, Arn: p.arn, Path: p.path, DefaultVersionId: p.defaultVersionId,
    AttachmentCount: counts.attachments.get(p.arn) ?? 0, PermissionsBoundaryUsageCount: counts.boundaries.get(p.arn) ?? 0, IsAttachable: true,
    Description: detail === 'get' ? p.description : undefined, CreateDate: new Date(p.createdMs), UpdateDate: new Date(p.updatedMs),
    Tags: detail !== 'list' && p.stored?.tags.length ? p.stored.tags : undefined,
  });
  const policy = async (accountId: string, arn: string): Promise<ManagedPolicy> => {
    const p = await lookup.describe(accountId, arn);
    if (!p) throw noSuchPolicy(arn);
    return p;
  };
  /** A customer managed policy, for the operations that change one. */
  const customer = async (accountId: string, arn: string): Promise<StoredPolicy> => {
    const p = arn.startsWith('arn:aws:iam::aws:') ? undefined : await store.getPolicy(accountId, arn);
    if (!p) throw noSuchPolicy(arn);
    return p;
  };
  const save = async (accountId: string, p: StoredPolicy) => {
    if (!(await store.updatePolicy(accountId, p))) throw noSuchPolicy(p.arn);
  };
  const checkDocument = (text: string) => {
    checkPolicyDocument(text, 'identity');
    if (policySize(text) > POLICY_SIZE_QUOTA) throw limitExceeded(`Cannot exceed quota for PolicySize: ${POLICY_SIZE_QUOTA}`);
  };
  const version = (p: StoredPolicy, id: string) => {
    const v = p.versions.find((x) => x.id === id);
    if (!v) throw awsError('NoSuchEntity', `Policy ${p.arn} version ${id} does not exist or is not attachable.`);
    return v;
  };

  return {
    CreatePolicy: async (input, ctx) => {
      checkDocument(input.PolicyDocument);
      const path = input.Path ?? '/';
      const now = Math.floor(Date.now() / 1000) * 1000;
      const p: StoredPolicy = {
        name: input.PolicyName, id: uniqueId('ANPA'), arn: `arn:aws:iam::${ctx.accountId}:policy${path}${input.PolicyName}`, path, description: input.Description,
        createdMs: now, updatedMs: now, defaultVersionId: 'v1', versions: [{ id: 'v1', document: input.PolicyDocument, createdMs: now }], nextVersion: 2,
        tags: mergeTags([], input.Tags ?? [], 'TagsPerPolicy'),
      };
      if (!(await store.createPolicy(ctx.accountId, p))) throw awsError('EntityAlreadyExists', `A policy called ${input.PolicyName} already exists. Duplicate names are not allowed.`);
      return { Policy: shape(fromStored(p), { attachments: new Map(), boundaries: new Map() }, 'create') };
    },
    GetPolicy: async (input, ctx) => ({ Policy: shape(await policy(ctx.accountId, input.PolicyArn), await usage(ctx.accountId), 'get') }),
    ListPolicies: async (input, ctx) => {
      const scope = input.Scope ?? 'All';
      const counts = await usage(ctx.accountId);
      const all: ManagedPolicy[] = [
        ...(scope === 'Local' ? [] : AWS_MANAGED_POLICIES.map((p) => fromAws(awsManagedArn(p))!)),
        ...(scope === 'AWS' ? [] : (await store.listPolicies(ctx.accountId)).map(fromStored)),
      ].filter((p) => underPrefix(p.path, input.PathPrefix) && (!input.OnlyAttached || (counts.attachments.get(p.arn) ?? 0) > 0))
        .sort((a, b) => (a.arn < b.arn ? -1 : a.arn > b.arn ? 1 : 0));
      const { items, ...more } = page(all, (p) => p.arn, input);
      return { Policies: items.map((p) => shape(p, counts, 'list')), ...more };
    },
    DeletePolicy: async (input, ctx) => {
      if ((await customer(ctx.accountId, input.PolicyArn)).versions.length > 1) {
        throw awsError('DeleteConflict', 'This policy has more than one version. Before you delete a policy, you must delete the policy\'s versions. The default version is deleted with the policy.');
      }
      // A permissions boundary counts as an attachment (checked outside the store's transaction: boundaries are rarely raced).
      if ((await usage(ctx.accountId)).boundaries.has(input.PolicyArn)) throw awsError('DeleteConflict', 'Cannot delete a policy attached to entities.');
      const outcome = await store.deletePolicy(ctx.accountId, input.PolicyArn);
      if (outcome === 'missing') throw noSuchPolicy(input.PolicyArn);
      if (outcome === 'conflict') throw awsError('DeleteConflict', 'Cannot delete a policy attached to entities.');
    },

    GetPolicyVersion: async (input, ctx) => {
      const p = await policy(ctx.accountId, input.PolicyArn);
      if (p.kind === 'aws') {
        if (input.VersionId !== p.defaultVersionId) throw awsError('NoSuchEntity', `Policy ${p.arn} version ${input.VersionId} does not exist or is not attachable.`);
        const document = JSON.stringify(awsManagedPolicy(p.arn)!.document);
        return { PolicyVersion: { Document: encodeDocument(document), VersionId: p.defaultVersionId, IsDefaultVersion: true, CreateDate: new Date(p.createdMs) } };
      }
      const v = version(p.stored!, input.VersionId);
      return { PolicyVersion: { Document: encodeDocument(v.document), VersionId: v.id, IsDefaultVersion: v.id === p.defaultVersionId, CreateDate: new Date(v.createdMs) } };
    },
    CreatePolicyVersion: async (input, ctx) => {
      const p = await customer(ctx.accountId, input.PolicyArn);
      checkDocument(input.PolicyDocument);
      if (p.versions.length >= VERSIONS_QUOTA) {
        throw limitExceeded(`A managed policy can have up to ${VERSIONS_QUOTA} versions. Before you create a new version, you must delete an existing version.`);
      }
      const now = Math.floor(Date.now() / 1000) * 1000;
      const v = { id: `v${p.nextVersion}`, document: input.PolicyDocument, createdMs: now };
      const next = { ...p, versions: [...p.versions, v], nextVersion: p.nextVersion + 1, ...(input.SetAsDefault ? { defaultVersionId: v.id, updatedMs: now } : {}) };
      await save(ctx.accountId, next);
      return { PolicyVersion: { VersionId: v.id, IsDefaultVersion: v.id === next.defaultVersionId, CreateDate: new Date(now) } };
    },
    ListPolicyVersions: async (input, ctx) => {
      const p = await policy(ctx.accountId, input.PolicyArn);
      const versions = p.stored ? [...p.stored.versions].reverse() : [{ id: p.defaultVersionId, createdMs: p.createdMs }];
      const { items, ...more } = page(versions.map((v, i) => ({ v, key: String(i).padStart(4, '0') })), (x) => x.key, input);
      return { Versions: items.map(({ v }) => ({ VersionId: v.id, IsDefaultVersion: v.id === p.defaultVersionId, CreateDate: new Date(v.createdMs) })), ...more };
    },
    DeletePolicyVersion: async (input, ctx) => {
      const p = await customer(ctx.accountId, input.PolicyArn);
      version(p, input.VersionId);
      if (input.VersionId === p.defaultVersionId) throw awsError('DeleteConflict', 'Cannot delete the default version of a policy.');
      await save(ctx.accountId, { ...p, versions: p.versions.filter((v) => v.id !== input.VersionId) });
    },
    SetDefaultPolicyVersion: async (input, ctx) => {
      const p = await customer(ctx.accountId, input.PolicyArn);
      version(p, input.VersionId);
      await save(ctx.accountId, { ...p, defaultVersionId: input.VersionId, updatedMs: Date.now() });
    },

    ListEntitiesForPolicy: async (input, ctx) => {
      const p = await policy(ctx.accountId, input.PolicyArn);
      const rolesWanted = input.EntityFilter === undefined || input.EntityFilter === 'Role';
      const attachedTo = new Set((await store.attachments(ctx.accountId)).filter((a) => a.policyArn === p.arn).map((a) => a.roleName.toLowerCase()));
      const roles = rolesWanted ? (await store.listRoles(ctx.accountId)).filter((r) => attachedTo.has(r.name.toLowerCase()) && underPrefix(r.path, input.PathPrefix)) : [];
      const { items, ...more } = page(roles, (r) => r.name.toLowerCase(), input);
      return { PolicyGroups: [], PolicyUsers: [], PolicyRoles: items.map((r) => ({ RoleName: r.name, RoleId: r.id })), ...more };
    },

    TagPolicy: async (input, ctx) => {
      const p = await customer(ctx.accountId, input.PolicyArn);
      await save(ctx.accountId, { ...p, tags: mergeTags(p.tags, input.Tags, 'TagsPerPolicy') });
    },
    UntagPolicy: async (input, ctx) => {
      const p = await customer(ctx.accountId, input.PolicyArn);
      await save(ctx.accountId, { ...p, tags: withoutTags(p.tags, input.TagKeys) });
    },
    ListPolicyTags: async (input, ctx) => {
      const p = await customer(ctx.accountId, input.PolicyArn);
      const { items, ...more } = page(p.tags, (t) => t.Key.toLowerCase(), input);
      return { Tags: items, ...more };
    },
  };
}
