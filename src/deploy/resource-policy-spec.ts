// SAM's ResourcePolicyStatement (an Api's Auth.ResourcePolicy, or an Api event's) and how SAM turns
// it into the REST API's resource policy: for each path, an Allow (or Deny) for the listed accounts,
// and for IP ranges and VPCs an Allow for everyone plus a Deny under a condition (NotIpAddress for a
// whitelist, IpAddress for a blacklist; StringNotEquals / StringEquals on aws:SourceVpc(e)), each on
// `execute-api:/{stage}/{METHOD}/{path}` of every method of the path; CustomStatements appended.
// Identical IP and VPC statements are written once, as SAM does.
import { isDeepStrictEqual } from 'node:util';
import { didYouMean } from './issues.js';
import type { Value } from './intrinsics.js';

type Statement = Record<string, Value>;

export interface ResourcePolicySpec {
  accountWhitelist?: string[];
  accountBlacklist?: string[];
  ipWhitelist?: string[];
  ipBlacklist?: string[];
  /** SourceVpc* and IntrinsicVpc(e)* together: VPC ids (vpc-…) and VPC endpoint ids (vpce-…). */
  vpcWhitelist?: VpcList;
  vpcBlacklist?: VpcList;
  customStatements?: Statement[];
}

interface VpcList { vpcs: string[]; endpoints: string[] }

const LISTS = {
  AwsAccountWhitelist: 'accountWhitelist', AwsAccountBlacklist: 'accountBlacklist', IpRangeWhitelist: 'ipWhitelist', IpRangeBlacklist: 'ipBlacklist',
} as const;
const VPC_KEYS: Record<string, { list: 'vpcWhitelist' | 'vpcBlacklist'; kind?: 'vpcs' | 'endpoints' }> = {
  SourceVpcWhitelist: { list: 'vpcWhitelist' }, SourceVpcBlacklist: { list: 'vpcBlacklist' },
  IntrinsicVpcWhitelist: { list: 'vpcWhitelist', kind: 'vpcs' }, IntrinsicVpcBlacklist: { list: 'vpcBlacklist', kind: 'vpcs' },
  IntrinsicVpceWhitelist: { list: 'vpcWhitelist', kind: 'endpoints' }, IntrinsicVpceBlacklist: { list: 'vpcBlacklist', kind: 'endpoints' },
};
export const RESOURCE_POLICY_PROPERTIES = [...Object.keys(LISTS), ...Object.keys(VPC_KEYS), 'CustomStatements'];

const isMap = (v: unknown): v is Record<string, Value> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** A ResourcePolicy's value (intrinsics evaluated), checked; `fail` throws at the ResourcePolicy. */
export function resourcePolicySpec(value: Value, fail: (message: string) => never): ResourcePolicySpec {
  if (!isMap(value)) fail('ResourcePolicy is a map (AwsAccountWhitelist, IpRangeBlacklist, CustomStatements, …)');
  const rp = value as Record<string, Value>;
  const spec: ResourcePolicySpec = {};
  // SAM takes a single string as a list of one.
  const strings = (key: string): string[] => {
    const v = rp[key];
    const list = typeof v === 'string' ? [v] : v;
    if (!Array.isArray(list) || list.some((x) => typeof x !== 'string' || x === '')) fail(`ResourcePolicy.${key} is a list of strings`);
    return list as string[];
  };
  for (const [key, v] of Object.entries(rp)) {
    if (v === null) continue;
    if (key in LISTS) {
      const list = strings(key);
      if (key.startsWith('IpRange')) {
        for (const ip of list) if (!/^[0-9a-fA-F:.]+(\/\d{1,3})?$/.test(ip)) fail(`ResourcePolicy.${key}: '${ip}' is not an IP address or CIDR range`);
      }
      spec[LISTS[key as keyof typeof LISTS]] = list;
    } else if (key in VPC_KEYS) {
      const { list: which, kind } = VPC_KEYS[key];
      const target = (spec[which] ??= { vpcs: [], endpoints: [] });
      for (const id of strings(key)) {
        // SAM sorts SourceVpc* lists by prefix (and drops anything else); the Intrinsic* lists are taken as given.
        const of = kind ?? (id.startsWith('vpce-') ? 'endpoints' : id.startsWith('vpc-') ? 'vpcs' : undefined);
        if (!of) fail(`ResourcePolicy.${key}: '${id}' is neither a VPC id (vpc-…) nor a VPC endpoint id (vpce-…)`);
        target[of!].push(id);
      }
    } else if (key === 'CustomStatements') {
      const list = Array.isArray(v) ? v : [v];
      if (list.some((s) => !isMap(s))) fail('ResourcePolicy.CustomStatements is a list of policy statements (maps with Effect, Action, Resource, …)');
      spec.customStatements = list as Statement[];
    } else {
      fail(`unknown ResourcePolicy property '${key}'${didYouMean(key, RESOURCE_POLICY_PROPERTIES)}`);
    }
  }
  return spec;
}

/** `execute-api:/{stage}/{METHOD}/{path}` for each stage and method, path variables as `*` (SAM's form; ANY is `*`). */
export function methodResources(stages: readonly string[], methods: readonly string[], path: string): string[] {
  const wildcarded = path.replace(/\{[A-Za-z0-9._-]+\+?\}/g, '*').replace(/(.)\/$/, '$1');
  return stages.flatMap((stage) => methods.map((m) => `execute-api:/${stage}/${m === 'ANY' ? '*' : m}${wildcarded}`));
}

/** An API's resource policy, statement by statement, as SAM writes it into x-amazon-apigateway-policy. */
export class PolicyBuilder {
  readonly statements: Statement[] = [];

  constructor(initial: readonly Statement[] = []) {
    this.statements.push(...initial);
  }

  /** The statements a ResourcePolicy asks for on `resources` (one path's methods), in SAM's order. */
  addResourcePolicy(rp: ResourcePolicySpec, resources: string[]): void {
    const invoke = { Action: 'execute-api:Invoke', Resource: resources };
    if (rp.accountWhitelist?.length) this.statements.push({ Effect: 'Allow', ...invoke, Principal: { AWS: rp.accountWhitelist } });
    if (rp.accountBlacklist?.length) this.statements.push({ Effect: 'Deny', ...invoke, Principal: { AWS: rp.accountBlacklist } });
    if (rp.ipWhitelist?.length) this.addConditional(resources, { NotIpAddress: { 'aws:SourceIp': rp.ipWhitelist } });
    if (rp.ipBlacklist?.length) this.addConditional(resources, { IpAddress: { 'aws:SourceIp': rp.ipBlacklist } });
    const vpc = (list: VpcList | undefined, operator: string) => {
      if (!list || (!list.vpcs.length && !list.endpoints.length)) return;
      const condition: Record<string, string[]> = {};
      if (list.vpcs.length) condition['aws:SourceVpc'] = list.vpcs;
      if (list.endpoints.length) condition['aws:SourceVpce'] = list.endpoints;
      this.addConditional(resources, { [operator]: condition });
    };
    vpc(rp.vpcBlacklist, 'StringEquals');
    vpc(rp.vpcWhitelist, 'StringNotEquals');
  }

  addCustomStatements(statements: readonly Statement[] | undefined): void {
    for (const s of statements ?? []) this.addOnce(s);
  }

  /** The policy document, or undefined when there is no statement. */
  document(): { Version: string; Statement: Statement[] } | undefined {
    return this.statements.length ? { Version: '2012-10-17', Statement: this.statements } : undefined;
  }

  private addConditional(resources: string[], condition: Record<string, Value>): void {
    this.addOnce({ Effect: 'Allow', Action: 'execute-api:Invoke', Resource: resources, Principal: '*' });
    this.addOnce({ Effect: 'Deny', Action: 'execute-api:Invoke', Resource: resources, Principal: '*', Condition: condition });
  }

  private addOnce(s: Statement): void {
    if (!this.statements.some((x) => isDeepStrictEqual(x, s))) this.statements.push(s);
  }
}

/** One route as the policy sees it: its path, method, and the event's own ResourcePolicy. */
export interface PolicyRoute {
  resourcePath: string;
  method: string;
  resourcePolicy?: ResourcePolicySpec;
}

/**
 * The REST API's policy: the Policy property's statements, then each event's ResourcePolicy on its
 * path's methods so far (as SAM translates functions before APIs), then the API's ResourcePolicy on
 * every path's methods (CORS preflights included), each followed by its CustomStatements.
 */
export function apiPolicyDocument(
  policy: { [key: string]: Value } | undefined, apiResourcePolicy: ResourcePolicySpec | undefined, routes: readonly PolicyRoute[],
  preflightPaths: readonly string[], stages: readonly string[],
): ReturnType<PolicyBuilder['document']> {
  const own = policy?.Statement;
  const initial = own === undefined || own === null ? [] : Array.isArray(own) ? own : [own];
  const builder = new PolicyBuilder(initial as Statement[]);
  const methods = new Map<string, string[]>();
  for (const r of routes) {
    const list = methods.get(r.resourcePath) ?? [];
    if (!list.includes(r.method)) list.push(r.method);
    methods.set(r.resourcePath, list);
    if (r.resourcePolicy) {
      builder.addResourcePolicy(r.resourcePolicy, methodResources(stages, list, r.resourcePath));
      builder.addCustomStatements(r.resourcePolicy.customStatements);
    }
  }
  for (const path of preflightPaths) {
    const list = methods.get(path) ?? [];
    if (!list.includes('OPTIONS')) methods.set(path, [...list, 'OPTIONS']);
  }
  if (apiResourcePolicy) {
    for (const [path, list] of methods) builder.addResourcePolicy(apiResourcePolicy, methodResources(stages, list, path));
    builder.addCustomStatements(apiResourcePolicy.customStatements);
  }
  return builder.document();
}
