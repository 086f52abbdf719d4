// The stack a template (plus stagecraft.yml) describes: its resources after conditions and
// Globals, SAM's implicit API added, in dependency order; and the scope its intrinsic functions
// are evaluated in (parameters, pseudo parameters, resource attributes, conditions).
// What each resource becomes is worked out in function-spec.ts and api-spec.ts.
import { eventSources } from './api-events.js';
import { Issues, TemplateError, didYouMean } from './issues.js';
import { conditionValue, evaluateValue, referencedNames, type Scope } from './intrinsics.js';
import type { ResolvedParameters } from './parameters.js';
import type { ProjectFile } from './project.js';
import { get, isIntrinsic, synthetic, type MapEntry, type MapNode, type TNode } from './source.js';
import { API_TYPE, FUNCTION_TYPE, GLOBALS_SECTIONS, HTTP_API_TYPE, IMPLICIT_API, IMPLICIT_HTTP_API, IMPLICIT_STAGE, LAYER_TYPE, PSEUDO_PARAMETERS } from './spec.js';
import { EVENT_SOURCE_MAPPING_TYPE } from './event-source-mappings.js';
import { PROVISIONED_TYPES, DEPLOYED_TYPES, USAGE_PLAN_TYPES, LAMBDA_PERMISSION_TYPE, located, otherAttribute, otherAttributeNames, otherContext, otherRef, samRoleArn, skippedResourceMessage, type NotDeployedResource } from './other-resources.js';
import type { ResourceDef, Template } from './template.js';
import { substituteDynamic } from './dynamic-references.js';

/** Properties that are acted on after every resource exists: their references order nothing. */
const LATE_PROPERTIES = ['Events', 'Auth', 'DeploymentPreference'];

/** Attribute values of deployed resources: Ref, Arn, Alias, Version, RootResourceId, Stage, Deployment. */
export type AttributeLookup = (logicalId: string, attribute: string) => string | undefined;

export interface StackIdentity {
  stackName: string;
  region: string;
  accountId: string;
  /** A server-side CloudFormation stack's ID (AWS::StackId); absent, the fixed `…:stack/{name}/stagecraft`. */
  stackId?: string;
  /** The server's endpoint, as the deploy reaches it: a queue's URL names it (!Ref of an AWS::SQS::Queue). */
  endpoint?: string;
}

/** A resource after Globals and conditions: what the deploy works from. */
export interface ActiveResource {
  def: ResourceDef;
  properties: MapNode;
}

export interface StackOutput {
  name: string;
  value: string;
  description?: string;
  /** Export: Name, for an exported output. */
  exportName?: string;
}

/** What Fn::ImportValue gives while nothing says what the region exports (checks let it pass, as other placeholders). */
export const IMPORT_PLACEHOLDER = '<ImportValue>';

/** An output's Export Name: a non-empty string. */
export function exportNameOf(node: TNode, scope: Scope): string {
  const v = evaluateValue(node, scope);
  if (typeof v !== 'string' || !v) throw new TemplateError(`Export Name must be a non-empty string, got ${JSON.stringify(v)}`, node.path, node.loc);
  return v;
}

/** What scope() gives for a resource attribute it doesn't know yet (`<Hello.Arn>`); checks let such values pass. */
export const PLACEHOLDER = /<[A-Za-z0-9.]+>/;

export class StackModel {
  readonly resources: ActiveResource[] = [];
  readonly byId = new Map<string, ActiveResource>();
  /** Resources whose Condition is false: referring to them is an error. */
  readonly skipped = new Map<string, string>();
  /** Resources of types Stagecraft doesn't run (other-resources.ts): not deployed, but references to them resolve. */
  readonly others = new Map<string, ActiveResource>();
  /**
   * `Ref` of resources known only once they exist (an SNS subscription's ARN), set by the deploy:
   * references evaluated after that see it, earlier ones the generated ID.
   */
  readonly deployedRefs = new Map<string, string>();
  /** `{id}.{attribute}` of resources known only once they exist (a table's StreamArn), set by the deploy like deployedRefs. */
  readonly deployedAttributes = new Map<string, string>();
  readonly order: ActiveResource[] = [];
  private readonly conditionCache = new Map<string, boolean>();
  private readonly conditionStack: string[] = [];

  constructor(
    readonly template: Template,
    readonly parameters: ResolvedParameters,
    readonly identity: StackIdentity,
    readonly project: ProjectFile | undefined,
    readonly issues: Issues,
    /** --strict: resources and events Stagecraft doesn't run are errors instead of warnings. */
    readonly strict = false,
    /** The region's stack exports (name → value) Fn::ImportValue resolves from; absent: a placeholder stands for each. */
    readonly imports?: ReadonlyMap<string, string>,
    /** The `{{resolve:…}}` references' values fetched from the server; absent: they stay as written. */
    readonly dynamicValues?: ReadonlyMap<string, string>,
  ) {
    const placeholderScope = this.scope(() => undefined);
    for (const def of template.resources) {
      if (def.condition) {
        const active = issues.collect(() => placeholderScope.condition(def.condition!, synthetic(def.condition, `${def.path}.Condition`, def.loc)));
        if (active === false) {
          this.skipped.set(def.logicalId, def.condition);
          continue;
        }
      }
      if (!DEPLOYED_TYPES.includes(def.type)) {
        const own = def.properties ?? ({ kind: 'map', entries: [], loc: def.loc, path: `${def.path}.Properties` } as MapNode);
        this.others.set(def.logicalId, { def, properties: own });
        // CloudWatch alarms, dashboards and Logs filters go into Stagecraft's CloudWatch (metric-alarms.ts, …), queues, topics, rules and buckets into its SQS, SNS, EventBridge and S3 (service-resources.ts); references resolve as for the others.
        // Usage plans and API keys are put into its API Gateway (template-usage-plans.ts).
        if (PROVISIONED_TYPES.includes(def.type) || USAGE_PLAN_TYPES.includes(def.type) || def.type === EVENT_SOURCE_MAPPING_TYPE) continue;
        if (strict) issues.error(skippedResourceMessage(def.logicalId, def.type, true), `${def.path}.Type`, def.loc);
        else issues.warn(skippedResourceMessage(def.logicalId, def.type, false), def.path, def.loc);
        continue;
      }
      const globals = globalsFor(template, def.type);
      const own = def.properties ?? ({ kind: 'map', entries: [], loc: def.loc, path: `${def.path}.Properties` } as MapNode);
      const properties = globals ? (mergeNodes(globals, own) as MapNode) : own;
      this.add({ def, properties });
    }
    this.addImplicitApi();
    this.addImplicitHttpApi();
    this.checkOverlay();
    for (const r of this.resources) {
      for (const d of r.def.dependsOn) {
        if (!this.byId.has(d) && !this.skipped.has(d) && !this.others.has(d)) issues.error(`DependsOn names '${d}', which is not a resource in this template${didYouMean(d, this.byId.keys())}`, `${r.def.path}.DependsOn`, r.def.loc);
      }
    }
    this.sortByDependencies();
  }

  private add(resource: ActiveResource): void {
    this.resources.push(resource);
    this.byId.set(resource.def.logicalId, resource);
  }

  /** SAM's implicit API: Api events without RestApiId share one API named after the stack, stage Prod. */
  private addImplicitApi(): void {
    if (this.byId.has(IMPLICIT_API)) return;
    const needs = this.resources.find((r) => r.def.type === FUNCTION_TYPE && eventSources(r).some((e) => e.type === 'Api' && !e.restApiId));
    if (!needs) return;
    const loc = needs.def.loc;
    const path = `Resources.${IMPLICIT_API}`;
    const own = synthetic({ StageName: IMPLICIT_STAGE }, `${path}.Properties`, loc) as MapNode;
    const globals = this.template.globals.Api;
    const properties = globals ? (mergeNodes(globals, own) as MapNode) : own;
    this.add({ def: { logicalId: IMPLICIT_API, type: API_TYPE, properties, dependsOn: [], loc, path }, properties });
  }

  /** SAM's implicit HTTP API: HttpApi events without ApiId share one, named after the stack, on an auto-deploying $default stage. */
  private addImplicitHttpApi(): void {
    if (this.byId.has(IMPLICIT_HTTP_API)) return;
    const needs = this.resources.find((r) => r.def.type === FUNCTION_TYPE && eventSources(r).some((e) => e.type === 'HttpApi' && !get(e.props, 'ApiId')));
    if (!needs) return;
    const path = `Resources.${IMPLICIT_HTTP_API}`;
    const own = synthetic({}, `${path}.Properties`, needs.def.loc) as MapNode;
    const globals = this.template.globals.HttpApi;
    const properties = globals ? (mergeNodes(globals, own) as MapNode) : own;
    this.add({ def: { logicalId: IMPLICIT_HTTP_API, type: HTTP_API_TYPE, properties, dependsOn: [], loc: needs.def.loc, path }, properties });
  }

  private checkOverlay(): void {
    for (const api of this.project?.apis ?? []) {
      const r = this.byId.get(api.logicalId);
      if (!r || r.def.type !== API_TYPE) {
        const apis = this.resources.filter((x) => x.def.type === API_TYPE).map((x) => x.def.logicalId);
        this.issues.error(`Apis.${api.logicalId} names no AWS::Serverless::Api in ${this.template.file}${didYouMean(api.logicalId, apis)}`, `Apis.${api.logicalId}`, api.loc);
      }
    }
  }

  private sortByDependencies(): void {
    const visiting = new Set<string>();
    const done = new Set<string>();
    const visit = (r: ActiveResource, chain: string[]) => {
      const id = r.def.logicalId;
      if (done.has(id)) return;
      if (visiting.has(id)) {
        this.issues.error(`circular dependency: ${[...chain.slice(chain.indexOf(id)), id].join(' → ')}`, r.def.path, r.def.loc);
        return;
      }
      visiting.add(id);
      for (const dep of this.dependencies(r)) {
        const target = this.byId.get(dep);
        if (target) visit(target, [...chain, id]);
      }
      visiting.delete(id);
      done.add(id);
      this.order.push(r);
    };
    for (const r of this.resources) visit(r, []);
  }

  /**
   * What a resource's own settings refer to. Routes and authorizers are deployed after every
   * resource, and traffic shifts (with their hooks) run once every function exists, so a
   * function's Events and DeploymentPreference and an API's Auth don't count.
   */
  dependencies(r: ActiveResource): Set<string> {
    const names = new Set<string>();
    for (const e of r.properties.entries) if (!LATE_PROPERTIES.includes(e.key)) referencedNames(e.value, names);
    for (const d of r.def.dependsOn) names.add(d);
    return new Set([...names].filter((n) => this.byId.has(n) && n !== r.def.logicalId));
  }

  pseudo(name: string): string | string[] | undefined {
    const { region, accountId, stackName } = this.identity;
    switch (name) {
      case 'AWS::Region': return region;
      case 'AWS::AccountId': return accountId;
      case 'AWS::StackName': return stackName;
      case 'AWS::StackId': return this.identity.stackId ?? `arn:aws:cloudformation:${region}:${accountId}:stack/${stackName}/stagecraft`;
      case 'AWS::Partition': return 'aws';
      case 'AWS::URLSuffix': return 'amazonaws.com';
      case 'AWS::NotificationARNs': return [];
      default: return undefined;
    }
  }

  /** A scope that takes resource attributes from `lookup`, or placeholders (`<Id>`) where it has none. */
  scope(lookup: AttributeLookup): Scope {
    const attr = (id: string, attribute: string, display: string) => lookup(id, attribute) ?? `<${display}>`;
    const splitName = (name: string) => {
      const dot = name.indexOf('.');
      return dot < 0 ? { id: name, suffix: undefined } : { id: name.slice(0, dot), suffix: name.slice(dot + 1) };
    };
    const self = this;
    /** SAM generates `{Id}Url` (AWS::Lambda::Url) for a function with FunctionUrlConfig: the function's id, or undefined. */
    const urlOwner = (name: string): string | undefined => {
      if (!name.endsWith('Url') || self.byId.has(name)) return undefined;
      const id = name.slice(0, -3);
      const r = self.byId.get(id);
      return r && r.def.type === FUNCTION_TYPE && get(r.properties, 'FunctionUrlConfig') ? id : undefined;
    };
    /** SAM generates `{Id}Role` (AWS::IAM::Role) for a function without Role: the function's id, or undefined. */
    const roleOwner = (name: string): string | undefined => {
      if (!name.endsWith('Role') || self.byId.has(name) || self.others.has(name)) return undefined;
      const r = self.byId.get(name.slice(0, -4));
      return r && r.def.type === FUNCTION_TYPE && !get(r.properties, 'Role') ? r.def.logicalId : undefined;
    };
    const roleArn = (owner: string) => samRoleArn(self.identity, owner);
    const requireActive = (id: string, node: TNode) => {
      const cond = self.skipped.get(id);
      if (cond) throw new TemplateError(`${id} is not deployed because its condition ${cond} is false`, node.path, node.loc);
    };
    const other = (id: string) => otherContext(this.identity, id, this.others.get(id)!.def.type, this.others.get(id)!.properties, scope);
    const scope: Scope = {
      mappings: this.template.mappings,
      parameter: (name) => this.parameters.values.get(name) ?? this.pseudo(name),
      hasResource(name) {
        if (urlOwner(name) || roleOwner(name)) return true;
        const { id, suffix } = splitName(name);
        if (self.skipped.has(id)) return true;
        if (self.others.has(id)) return suffix === undefined;
        const r = self.byId.get(id);
        if (!r) return false;
        if (suffix === undefined) return true;
        if (r.def.type === LAYER_TYPE || r.def.type === LAMBDA_PERMISSION_TYPE) return false;
        if (r.def.type === FUNCTION_TYPE) return suffix === 'Alias' || suffix === 'Version';
        // SAM's {Api}.UsagePlan and {Api}.ApiKey exist when the API's Auth.UsagePlan is PER_API.
        return suffix === 'Stage' || suffix === 'Deployment' || (r.def.type === API_TYPE && (suffix === 'UsagePlan' || suffix === 'ApiKey') && perApiUsagePlan(r.properties));
      },
      resourceRef(name, node) {
        const role = roleOwner(name);
        if (role) return roleArn(role).split('/').pop()!;
        const owner = urlOwner(name);
        if (owner) {
          requireActive(owner, node);
          return attr(owner, 'UrlFunctionArn', name);
        }
        const { id, suffix } = splitName(name);
        requireActive(id, node);
        // A usage plan's or API key's ID is known once template-usage-plans.ts has made it.
        if (self.others.has(id) && USAGE_PLAN_TYPES.includes(self.others.get(id)!.def.type)) return attr(id, 'Ref', name);
        if (self.others.has(id)) return self.deployedRefs.get(id) ?? located(node, () => otherRef(other(id)));
        const r = self.byId.get(id)!;
        if (r.def.type === FUNCTION_TYPE && suffix === 'Alias' && !get(r.properties, 'AutoPublishAlias')) {
          throw new TemplateError(`${id}.Alias exists only when ${id} sets AutoPublishAlias`, node.path, node.loc);
        }
        return attr(id, suffix ?? 'Ref', name);
      },
      resourceAttribute(id, attribute, node) {
        const role = roleOwner(id);
        if (role) {
          if (attribute !== 'Arn') throw new TemplateError(`${id} (the AWS::IAM::Role SAM generates for ${role}) is not deployed; Stagecraft can give its Arn`, node.path, node.loc);
          return roleArn(role);
        }
        const owner = urlOwner(id);
        if (owner) {
          requireActive(owner, node);
          const allowed = ['FunctionUrl', 'FunctionArn'];
          if (!allowed.includes(attribute)) throw new TemplateError(`${id} (AWS::Lambda::Url) has no attribute '${attribute}'; it has ${allowed.join(', ')}`, node.path, node.loc);
          return attr(owner, attribute === 'FunctionUrl' ? 'FunctionUrl' : 'UrlFunctionArn', `${id}.${attribute}`);
        }
        requireActive(id, node);
        if (self.others.has(id)) return self.deployedAttributes.get(`${id}.${attribute}`) ?? located(node, () => otherAttribute(other(id), attribute));
        const r = self.byId.get(id)!;
        const allowed = r.def.type === FUNCTION_TYPE ? ['Arn', 'Version.Version'] : r.def.type === API_TYPE ? ['RootResourceId'] : [];
        if (!allowed.includes(attribute)) {
          const has = allowed.length ? `it has ${allowed.join(', ')}` : `use !Ref for its ${r.def.type === HTTP_API_TYPE ? 'API id' : r.def.type === LAMBDA_PERMISSION_TYPE ? 'statement ID' : 'layer version ARN'}`;
          throw new TemplateError(`${id} (${r.def.type}) has no attribute '${attribute}'; ${has}${didYouMean(attribute, allowed)}`, node.path, node.loc);
        }
        return attr(id, attribute, `${id}.${attribute}`);
      },
      condition: (name, node) => this.condition(name, node, this.scope(lookup)),
      importValue(name, node) {
        if (!self.imports) return IMPORT_PLACEHOLDER;
        const value = self.imports.get(name);
        if (value === undefined) throw new TemplateError(`No export named ${name} found`, node.path, node.loc);
        return value;
      },
      dynamic: (text, node) => (self.dynamicValues ? substituteDynamic(text, self.dynamicValues, node) : text),
      knownNames: () => [...this.parameters.values.keys(), ...PSEUDO_PARAMETERS, ...this.byId.keys(), ...this.others.keys()],
    };
    return scope;
  }

  /** The resources Stagecraft skips: the others but CloudWatch alarms, dashboards and Logs metric filters, which it puts into its CloudWatch (Logs). */
  skippedResources(): ActiveResource[] {
    return [...this.others.values()].filter(({ def }) => !PROVISIONED_TYPES.includes(def.type) && !USAGE_PLAN_TYPES.includes(def.type) && def.type !== EVENT_SOURCE_MAPPING_TYPE);
  }

  /** The resources not deployed, with what their references resolve to in `scope`. */
  notDeployed(scope: Scope): NotDeployedResource[] {
    return this.skippedResources().map(({ def }) => {
      const node = synthetic({ Ref: def.logicalId }, def.path, def.loc);
      const out: NotDeployedResource = { logicalId: def.logicalId, type: def.type, ref: scope.resourceRef(def.logicalId, node) };
      if (otherAttributeNames(def.type).includes('Arn')) out.arn = String(scope.resourceAttribute(def.logicalId, 'Arn', node));
      return out;
    });
  }

  /** A condition's value, worked out once; conditions may refer to each other, but not in a circle. */
  condition(name: string, node: TNode, scope: Scope): boolean {
    const cached = this.conditionCache.get(name);
    if (cached !== undefined) return cached;
    const def = this.template.conditions.get(name);
    if (!def) throw new TemplateError(`condition '${name}' is not defined in Conditions${didYouMean(name, this.template.conditions.keys())}`, node.path, node.loc);
    if (this.conditionStack.includes(name)) throw new TemplateError(`conditions refer to each other in a circle: ${[...this.conditionStack, name].join(' → ')}`, def.path, def.loc);
    this.conditionStack.push(name);
    try {
      const value = conditionValue(def, scope);
      this.conditionCache.set(name, value);
      return value;
    } finally {
      this.conditionStack.pop();
    }
  }

  /** Output values once everything is deployed. */
  outputs(scope: Scope): StackOutput[] {
    const out: StackOutput[] = [];
    for (const o of this.template.outputs) {
      if (o.condition && !this.condition(o.condition, o.value, scope)) continue;
      const v = evaluateValue(o.value, scope);
      const d = o.description ? evaluateValue(o.description, scope) : undefined;
      const output: StackOutput = { name: o.name, value: typeof v === 'string' ? v : JSON.stringify(v), description: d === undefined ? undefined : String(d) };
      if (o.exportName) output.exportName = exportNameOf(o.exportName, scope);
      out.push(output);
    }
    return out;
  }

  /** The export names of the outputs deployed (their Conditions true): known before any resource is (they may not name one). */
  exportNames(scope: Scope): string[] {
    return this.template.outputs.filter((o) => o.exportName && (!o.condition || this.condition(o.condition, o.value, scope))).map((o) => exportNameOf(o.exportName!, scope));
  }
}

/** The Globals section that applies to a resource type, if any. */
function globalsFor(template: Template, type: string): MapNode | undefined {
  const section = Object.entries(GLOBALS_SECTIONS).find(([, s]) => s.type === type)?.[0];
  return section ? template.globals[section as keyof Template['globals']] : undefined;
}

/** SAM's Globals merge: maps merge key by key, lists concatenate (globals first), scalars: the resource wins. */
export function mergeNodes(global: TNode, own: TNode): TNode {
  if (global.kind === 'map' && own.kind === 'map' && !isIntrinsic(global) && !isIntrinsic(own)) {
    const entries: MapEntry[] = [];
    for (const g of global.entries) {
      const o = own.entries.find((x) => x.key === g.key);
      entries.push(o ? { ...o, value: mergeNodes(g.value, o.value) } : g);
    }
    for (const o of own.entries) if (!global.entries.some((g) => g.key === o.key)) entries.push(o);
    return { ...own, entries };
  }
  if (global.kind === 'seq' && own.kind === 'seq') return { ...own, items: [...global.items, ...own.items] };
  return own;
}

/** Whether an Api's Auth.UsagePlan is PER_API (so SAM makes {Api}.UsagePlan and {Api}.ApiKey). */
function perApiUsagePlan(properties: MapNode): boolean {
  const auth = get(properties, 'Auth');
  const plan = auth?.kind === 'map' ? get(auth, 'UsagePlan') : undefined;
  const create = plan?.kind === 'map' ? get(plan, 'CreateUsagePlan') : undefined;
  return create?.kind === 'scalar' && create.value === 'PER_API';
}
