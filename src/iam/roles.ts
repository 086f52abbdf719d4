// IAM roles: CreateRole … DeleteRole, their tags, inline policies and managed policy attachments.
// Names are matched without regard to case, as AWS does; answers name the role as it was created.
import type { HandlerTable } from '../aws/protocols/query.js';
import type { Operations, Role } from '../aws/generated/iam.js';
import { awsError } from '../core/errors.js';
import type { IamStore, StoredRole } from '../store/iam-store.js';
import { mergeTags, withoutTags } from './tags.js';
import { checkPolicyDocument, encodeDocument, policySize } from './policy-document.js';
import { page, uniqueId } from './listing.js';
import { invalidArn, limitExceeded, noSuchRole, noSuchRolePolicy, notAttachable } from './errors.js';
import { attachableArn, type PolicyLookup } from './policies.js';

const TRUST_POLICY_QUOTA = 2048;
const INLINE_POLICIES_QUOTA = 10240;
const ATTACHED_POLICIES_QUOTA = 10;
const DEFAULT_SESSION_SECONDS = 3600;

type RoleOps = Pick<Operations, 'CreateRole' | 'GetRole' | 'ListRoles' | 'UpdateRole' | 'UpdateRoleDescription' | 'UpdateAssumeRolePolicy' | 'DeleteRole'
  | 'TagRole' | 'UntagRole' | 'ListRoleTags' | 'PutRolePolicy' | 'GetRolePolicy' | 'ListRolePolicies' | 'DeleteRolePolicy'
  | 'AttachRolePolicy' | 'DetachRolePolicy' | 'ListAttachedRolePolicies' | 'ListInstanceProfilesForRole' | 'PutRolePermissionsBoundary' | 'DeleteRolePermissionsBoundary'>;

/** A role as the answers show it; ListRoles leaves out tags, boundary and last use. */
export function roleShape(r: StoredRole, detail: 'get' | 'create' | 'list'): Role {
  return {
    Path: r.path, RoleName: r.name, RoleId: r.id, Arn: r.arn, CreateDate: new Date(r.createdMs),
    AssumeRolePolicyDocument: encodeDocument(r.assumeRolePolicyDocument), Description: r.description, MaxSessionDuration: r.maxSessionDuration,
    PermissionsBoundary: detail !== 'list' && r.permissionsBoundary ? { PermissionsBoundaryType: 'PermissionsBoundaryPolicy', PermissionsBoundaryArn: r.permissionsBoundary } : undefined,
    Tags: detail !== 'list' && r.tags.length ? r.tags : undefined,
    RoleLastUsed: detail === 'get' ? {} : undefined,
  };
}

function checkTrustPolicy(text: string): void {
  checkPolicyDocument(text, 'trust');
  if (policySize(text) > TRUST_POLICY_QUOTA) throw limitExceeded(`Cannot exceed quota for ACLSizePerRole: ${TRUST_POLICY_QUOTA}`);
}

export function roleHandlers(store: IamStore, policies: PolicyLookup): HandlerTable<RoleOps> {
  const role = async (accountId: string, name: string): Promise<StoredRole> => {
    const found = await store.getRole(accountId, name);
    if (!found) throw noSuchRole(name);
    return found;
  };
  const boundary = async (accountId: string, arn: string | undefined): Promise<string | undefined> => {
    if (arn === undefined) return undefined;
    if (!(await policies.exists(accountId, arn))) throw awsError('NoSuchEntity', `Scope ARN: ${arn} does not exist or is not attachable.`);
    return arn;
  };
  const update = async (accountId: string, r: StoredRole) => {
    if (!(await store.updateRole(accountId, r))) throw noSuchRole(r.name);
  };

  return {
    CreateRole: async (input, ctx) => {
      checkTrustPolicy(input.AssumeRolePolicyDocument);
      const path = input.Path ?? '/';
      const r: StoredRole = {
        name: input.RoleName, id: uniqueId('AROA'), path, arn: `arn:aws:iam::${ctx.accountId}:role${path}${input.RoleName}`,
        createdMs: Math.floor(Date.now() / 1000) * 1000, assumeRolePolicyDocument: input.AssumeRolePolicyDocument, description: input.Description,
        maxSessionDuration: input.MaxSessionDuration ?? DEFAULT_SESSION_SECONDS, permissionsBoundary: await boundary(ctx.accountId, input.PermissionsBoundary),
        tags: mergeTags([], input.Tags ?? [], 'TagsPerRole'),
      };
      if (!(await store.createRole(ctx.accountId, r))) throw awsError('EntityAlreadyExists', `Role with name ${input.RoleName} already exists.`);
      return { Role: roleShape(r, 'create') };
    },
    GetRole: async (input, ctx) => ({ Role: roleShape(await role(ctx.accountId, input.RoleName), 'get') }),
    ListRoles: async (input, ctx) => {
      const roles = (await store.listRoles(ctx.accountId)).filter((r) => input.PathPrefix === undefined || r.path.startsWith(input.PathPrefix));
      const { items, ...more } = page(roles, (r) => r.name.toLowerCase(), input);
      return { Roles: items.map((r) => roleShape(r, 'list')), ...more };
    },
    UpdateRole: async (input, ctx) => {
      const r = await role(ctx.accountId, input.RoleName);
      await update(ctx.accountId, { ...r, description: input.Description ?? r.description, maxSessionDuration: input.MaxSessionDuration ?? r.maxSessionDuration });
      return {};
    },
    UpdateRoleDescription: async (input, ctx) => {
      const r = { ...(await role(ctx.accountId, input.RoleName)), description: input.Description };
      await update(ctx.accountId, r);
      return { Role: roleShape(r, 'get') };
    },
    UpdateAssumeRolePolicy: async (input, ctx) => {
      const r = await role(ctx.accountId, input.RoleName);
      checkTrustPolicy(input.PolicyDocument);
      await update(ctx.accountId, { ...r, assumeRolePolicyDocument: input.PolicyDocument });
    },
    PutRolePermissionsBoundary: async (input, ctx) => {
      const r = await role(ctx.accountId, input.RoleName);
      await update(ctx.accountId, { ...r, permissionsBoundary: await boundary(ctx.accountId, input.PermissionsBoundary) });
    },
    DeleteRolePermissionsBoundary: async (input, ctx) => {
      const r = await role(ctx.accountId, input.RoleName);
      await update(ctx.accountId, { ...r, permissionsBoundary: undefined });
    },
    DeleteRole: async (input, ctx) => {
      const { outcome, attached } = await store.deleteRole(ctx.accountId, input.RoleName);
      if (outcome === 'missing') throw noSuchRole(input.RoleName);
      if (outcome === 'conflict') throw awsError('DeleteConflict', attached ? 'Cannot delete entity, must detach all policies first.' : 'Cannot delete entity, must delete policies first.');
    },

    TagRole: async (input, ctx) => {
      const r = await role(ctx.accountId, input.RoleName);
      await update(ctx.accountId, { ...r, tags: mergeTags(r.tags, input.Tags, 'TagsPerRole') });
    },
    UntagRole: async (input, ctx) => {
      const r = await role(ctx.accountId, input.RoleName);
      await update(ctx.accountId, { ...r, tags: withoutTags(r.tags, input.TagKeys) });
    },
    ListRoleTags: async (input, ctx) => {
      const r = await role(ctx.accountId, input.RoleName);
      const { items, ...more } = page(r.tags, (t) => t.Key.toLowerCase(), input);
      return { Tags: items, ...more };
    },

    PutRolePolicy: async (input, ctx) => {
      checkPolicyDocument(input.PolicyDocument, 'identity');
      const others = (await store.listRolePolicies(ctx.accountId, input.RoleName)).filter((p) => p.name.toLowerCase() !== input.PolicyName.toLowerCase());
      if (others.reduce((n, p) => n + policySize(p.document), policySize(input.PolicyDocument)) > INLINE_POLICIES_QUOTA) {
        throw limitExceeded(`Maximum policy size of ${INLINE_POLICIES_QUOTA} bytes exceeded for role ${input.RoleName}`);
      }
      if (!(await store.putRolePolicy(ctx.accountId, input.RoleName, { name: input.PolicyName, document: input.PolicyDocument }))) throw noSuchRole(input.RoleName);
    },
    GetRolePolicy: async (input, ctx) => {
      const r = await role(ctx.accountId, input.RoleName);
      const p = (await store.listRolePolicies(ctx.accountId, r.name)).find((x) => x.name.toLowerCase() === input.PolicyName.toLowerCase());
      if (!p) throw noSuchRolePolicy(input.PolicyName);
      return { RoleName: r.name, PolicyName: p.name, PolicyDocument: encodeDocument(p.document) };
    },
    ListRolePolicies: async (input, ctx) => {
      await role(ctx.accountId, input.RoleName);
      const { items, ...more } = page(await store.listRolePolicies(ctx.accountId, input.RoleName), (p) => p.name.toLowerCase(), input);
      return { PolicyNames: items.map((p) => p.name), ...more };
    },
    DeleteRolePolicy: async (input, ctx) => {
      await role(ctx.accountId, input.RoleName);
      if (!(await store.deleteRolePolicy(ctx.accountId, input.RoleName, input.PolicyName))) throw noSuchRolePolicy(input.PolicyName);
    },

    AttachRolePolicy: async (input, ctx) => {
      const arn = input.PolicyArn;
      if (!attachableArn(arn)) throw invalidArn(arn);
      const kind = await policies.kind(ctx.accountId, arn);
      if (!kind) throw notAttachable(arn);
      const attached = await store.attachedPolicies(ctx.accountId, input.RoleName);
      if (!attached.includes(arn) && attached.length >= ATTACHED_POLICIES_QUOTA) throw limitExceeded(`Cannot exceed quota for PoliciesPerRole: ${ATTACHED_POLICIES_QUOTA}`);
      const outcome = await store.attachRolePolicy(ctx.accountId, input.RoleName, arn, kind === 'customer');
      if (outcome === 'no-role') throw noSuchRole(input.RoleName);
      if (outcome === 'no-policy') throw notAttachable(arn);
    },
    DetachRolePolicy: async (input, ctx) => {
      if (!attachableArn(input.PolicyArn)) throw invalidArn(input.PolicyArn);
      await role(ctx.accountId, input.RoleName);
      if (!(await store.detachRolePolicy(ctx.accountId, input.RoleName, input.PolicyArn))) throw awsError('NoSuchEntity', `Policy ${input.PolicyArn} was not found.`);
    },
    ListAttachedRolePolicies: async (input, ctx) => {
      await role(ctx.accountId, input.RoleName);
      const attached = [];
      for (const arn of await store.attachedPolicies(ctx.accountId, input.RoleName)) {
        const p = await policies.describe(ctx.accountId, arn);
        if (p && (input.PathPrefix === undefined || p.path.startsWith(input.PathPrefix))) attached.push({ PolicyName: p.name, PolicyArn: arn });
      }
      const { items, ...more } = page(attached, (p) => p.PolicyArn, input);
      return { AttachedPolicies: items, ...more };
    },
    // Instance profiles are not served; a role is in none (Terraform asks before it deletes a role).
    ListInstanceProfilesForRole: async (input, ctx) => {
      await role(ctx.accountId, input.RoleName);
      return { InstanceProfiles: [], IsTruncated: false };
    },
  };
}
