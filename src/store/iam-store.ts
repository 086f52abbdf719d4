// IAM roles, their inline policies, customer managed policies and role-policy attachments. IAM is
// global: everything is keyed by account only, never by region. Names are unique without regard to
// case (as in AWS), so rows are keyed by the lower-cased name and keep the name as given.

export interface IamTag {
  Key: string;
  Value: string;
}

export interface StoredRole {
  name: string;
  id: string;
  path: string;
  arn: string;
  createdMs: number;
  /** The trust policy as given (JSON text). */
  assumeRolePolicyDocument: string;
  description?: string;
  maxSessionDuration: number;
  permissionsBoundary?: string;
  tags: IamTag[];
}

export interface StoredPolicyVersion {
  id: string;
  document: string;
  createdMs: number;
}

export interface StoredPolicy {
  name: string;
  id: string;
  arn: string;
  path: string;
  description?: string;
  createdMs: number;
  updatedMs: number;
  defaultVersionId: string;
  versions: StoredPolicyVersion[];
  /** The number the next version takes (v1, v2, … never reused). */
  nextVersion: number;
  tags: IamTag[];
}

export interface StoredRolePolicy {
  name: string;
  document: string;
}

export type DeleteOutcome = 'deleted' | 'missing' | 'conflict';

export interface IamStore {
  /** False when the account has a role of that name (in any case). */
  createRole(accountId: string, role: StoredRole): Promise<boolean>;
  getRole(accountId: string, name: string): Promise<StoredRole | undefined>;
  /** The account's roles, by lower-cased name. */
  listRoles(accountId: string): Promise<StoredRole[]>;
  /** Rewrites a role's mutable fields; false when it is gone. */
  updateRole(accountId: string, role: StoredRole): Promise<boolean>;
  /** Refused ('conflict', with which) while the role has attached or inline policies. */
  deleteRole(accountId: string, name: string): Promise<{ outcome: DeleteOutcome; attached?: boolean }>;

  /** False when the role is gone. */
  putRolePolicy(accountId: string, roleName: string, policy: StoredRolePolicy): Promise<boolean>;
  /** The role's inline policies by lower-cased name. */
  listRolePolicies(accountId: string, roleName: string): Promise<StoredRolePolicy[]>;
  deleteRolePolicy(accountId: string, roleName: string, policyName: string): Promise<boolean>;

  /** False when the account has a policy of that name (in any case). */
  createPolicy(accountId: string, policy: StoredPolicy): Promise<boolean>;
  getPolicy(accountId: string, arn: string): Promise<StoredPolicy | undefined>;
  listPolicies(accountId: string): Promise<StoredPolicy[]>;
  /** Rewrites a policy (its versions); false when it is gone. */
  updatePolicy(accountId: string, policy: StoredPolicy): Promise<boolean>;
  /** Refused ('conflict') while the policy is attached. */
  deletePolicy(accountId: string, arn: string): Promise<DeleteOutcome>;

  /**
   * Attaches in one transaction, checking that the role exists and, with `customer`, the customer
   * managed policy too (AWS managed ones are not stored). Attaching twice is no change.
   */
  attachRolePolicy(accountId: string, roleName: string, policyArn: string, customer: boolean): Promise<'attached' | 'no-role' | 'no-policy'>;
  detachRolePolicy(accountId: string, roleName: string, policyArn: string): Promise<boolean>;
  /** ARNs of the policies attached to the role, in attachment order. */
  attachedPolicies(accountId: string, roleName: string): Promise<string[]>;
  /** Every attachment of the account: role (as named) and policy ARN. */
  attachments(accountId: string): Promise<{ roleName: string; policyArn: string }[]>;
}

/** The key rows of a name are stored under. */
export const nameKey = (name: string): string => name.toLowerCase();
