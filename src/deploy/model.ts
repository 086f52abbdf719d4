// The stack's desired state: which functions and APIs a template (plus stagecraft.yml) asks for,
// with Globals merged, conditions applied, the implicit API added, properties checked against
// SAM's specification and intrinsic functions evaluated.
import { existsSync, statSync } from 'node:fs';
import { isAbsolute, join, relative } from 'node:path';
import { Issues, TemplateError, didYouMean, type Location } from './issues.js';
import { conditionValue, evaluate, evaluateValue, NO_VALUE, referencedNames, type Scope, type Value } from './intrinsics.js';
import type { ResolvedParameters } from './parameters.js';
import { ALIAS_NAME, STAGE_NAME, STAGE_VARIABLE_ALIAS, VARIABLE_NAME, VARIABLE_VALUE, type ApiOverlay, type ProjectFile } from './project.js';
import { childPath, entry, get, isIntrinsic, synthetic, type MapEntry, type MapNode, type TNode } from './source.js';
import {
  API_EVENT_PROPERTIES, API_PROPERTIES, API_TYPE, FUNCTION_PROPERTIES, FUNCTION_TYPE, LAMBDA_RUNTIMES, PSEUDO_PARAMETERS,
  UNSUPPORTED_EVENT_TYPES, type PropertyTable,
} from './spec.js';
import type { ResourceDef, Template } from './template.js';

export const IMPLICIT_API = 'ServerlessRestApi';
const IMPLICIT_STAGE = 'Prod';

export type CodeSource =
  | { kind: 'directory'; path: string; display: string; loc: Location; templatePath: string }
  | { kind: 'zip'; path: string; display: string; loc: Location; templatePath: string }
  | { kind: 'inline'; source: string; fileName: string; display: string; loc: Location; templatePath: string };

export interface ApiEventSpec {
  name: string;
  apiLogicalId: string;
  /** Resource path, e.g. /hello or /items/{id} or /{proxy+}. */
  resourcePath: string;
  /** GET, POST, …, or ANY. */
  method: string;
  timeoutInMillis?: number;
  loc: Location;
  path: string;
}

export interface FunctionSpec {
  logicalId: string;
  loc: Location;
  name: string;
  code: CodeSource;
  runtime: string;
  handler: string;
  memorySize: number;
  timeout: number;
  description: string;
  environment: Record<string, string>;
  role?: string;
  architectures?: string[];
  tags: Record<string, string>;
  autoPublishAlias?: string;
  versionDescription?: string;
  reservedConcurrency?: number;
  events: ApiEventSpec[];
}

export interface StageSpec {
  name: string;
  variables: Record<string, string>;
  description?: string;
}

export interface ApiSpec {
  logicalId: string;
  loc: Location;
  name: string;
  description?: string;
  binaryMediaTypes?: string[];
  stages: StageSpec[];
  /** From stagecraft.yml: the alias every integration calls, literal or `${stageVariables.X}`. */
  functionAlias?: string;
  implicit: boolean;
}

/** Attribute values of deployed resources: Ref, Arn, Alias, Version, RootResourceId, Stage, Deployment. */
export type AttributeLookup = (logicalId: string, attribute: string) => string | undefined;

export interface StackIdentity {
  stackName: string;
  region: string;
  accountId: string;
}

/** A resource after Globals and conditions: what the deploy works from. */
export interface ActiveResource {
  def: ResourceDef;
  properties: MapNode;
}

const PLACEHOLDER = /<[A-Za-z0-9.]+>/;

export class StackModel {
  readonly resources: ActiveResource[] = [];
  readonly byId = new Map<string, ActiveResource>();
  /** Resources whose Condition is false: referring to them is an error. */
  readonly skipped = new Map<string, string>();
  readonly order: ActiveResource[] = [];
  private readonly conditionCache = new Map<string, boolean>();
  private readonly conditionStack: string[] = [];

  constructor(
    readonly template: Template,
    readonly parameters: ResolvedParameters,
    readonly identity: StackIdentity,
    readonly project: ProjectFile | undefined,
    readonly issues: Issues,
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
      const globals = def.type === FUNCTION_TYPE ? template.globals.Function : template.globals.Api;
      const own = def.properties ?? ({ kind: 'map', entries: [], loc: def.loc, path: `${def.path}.Properties` } as MapNode);
      const properties = globals ? (mergeNodes(globals, own) as MapNode) : own;
      this.add({ def, properties });
    }
    this.addImplicitApi();
    this.checkOverlay();
    for (const r of this.resources) {
      for (const d of r.def.dependsOn) {
        if (!this.byId.has(d) && !this.skipped.has(d)) issues.error(`DependsOn names '${d}', which is not a resource in this template${didYouMean(d, this.byId.keys())}`, `${r.def.path}.DependsOn`, r.def.loc);
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
    const needs = this.resources.find((r) => r.def.type === FUNCTION_TYPE && this.rawEvents(r).some((e) => e.type === 'Api' && !e.restApiId));
    if (!needs) return;
    const loc = needs.def.loc;
    const path = `Resources.${IMPLICIT_API}`;
    const own = synthetic({ StageName: IMPLICIT_STAGE }, `${path}.Properties`, loc) as MapNode;
    const globals = this.template.globals.Api;
    const properties = globals ? (mergeNodes(globals, own) as MapNode) : own;
    this.add({ def: { logicalId: IMPLICIT_API, type: API_TYPE, properties, dependsOn: [], loc, path }, properties });
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

  /** What a resource's own settings refer to (routes come later, so Events don't count). */
  dependencies(r: ActiveResource): Set<string> {
    const names = new Set<string>();
    for (const e of r.properties.entries) if (e.key !== 'Events') referencedNames(e.value, names);
    for (const d of r.def.dependsOn) names.add(d);
    return new Set([...names].filter((n) => this.byId.has(n) && n !== r.def.logicalId));
  }

  pseudo(name: string): string | string[] | undefined {
    const { region, accountId, stackName } = this.identity;
    switch (name) {
      case 'AWS::Region': return region;
      case 'AWS::AccountId': return accountId;
      case 'AWS::StackName': return stackName;
      case 'AWS::StackId': return `arn:aws:cloudformation:${region}:${accountId}:stack/${stackName}/stagecraft`;
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
    const requireActive = (id: string, node: TNode) => {
      const cond = self.skipped.get(id);
      if (cond) throw new TemplateError(`${id} is not deployed because its condition ${cond} is false`, node.path, node.loc);
    };
    return {
      mappings: this.template.mappings,
      parameter: (name) => this.parameters.values.get(name) ?? this.pseudo(name),
      hasResource(name) {
        const { id, suffix } = splitName(name);
        if (self.skipped.has(id)) return true;
        const r = self.byId.get(id);
        if (!r) return false;
        if (suffix === undefined) return true;
        return r.def.type === FUNCTION_TYPE ? suffix === 'Alias' || suffix === 'Version' : suffix === 'Stage' || suffix === 'Deployment';
      },
      resourceRef(name, node) {
        const { id, suffix } = splitName(name);
        requireActive(id, node);
        const r = self.byId.get(id)!;
        if (r.def.type === FUNCTION_TYPE && suffix === 'Alias' && !get(r.properties, 'AutoPublishAlias')) {
          throw new TemplateError(`${id}.Alias exists only when ${id} sets AutoPublishAlias`, node.path, node.loc);
        }
        return attr(id, suffix ?? 'Ref', name);
      },
      resourceAttribute(id, attribute, node) {
        requireActive(id, node);
        const r = self.byId.get(id)!;
        const allowed = r.def.type === FUNCTION_TYPE ? ['Arn'] : ['RootResourceId'];
        if (!allowed.includes(attribute)) {
          throw new TemplateError(`${id} (${r.def.type}) has no attribute '${attribute}'; it has ${allowed.join(', ')}${didYouMean(attribute, allowed)}`, node.path, node.loc);
        }
        return attr(id, attribute, `${id}.${attribute}`);
      },
      condition: (name, node) => this.condition(name, node, this.scope(lookup)),
      knownNames: () => [...this.parameters.values.keys(), ...PSEUDO_PARAMETERS, ...this.byId.keys()],
    };
  }

  private condition(name: string, node: TNode, scope: Scope): boolean {
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

  // ---- checking properties against SAM's specification -------------------------------------

  /** Reports unknown, unsupported and no-effect properties of every resource and event. */
  checkProperties(): void {
    for (const r of this.resources) {
      if (r.def.type === FUNCTION_TYPE) {
        this.checkTable(r.properties.entries, FUNCTION_PROPERTIES, FUNCTION_TYPE);
        this.checkEvents(r);
      } else {
        this.checkTable(r.properties.entries, API_PROPERTIES, API_TYPE);
      }
    }
  }

  private checkTable(entries: MapEntry[], table: PropertyTable, what: string): void {
    for (const e of entries) {
      const path = e.value.path;
      if (table.supported.includes(e.key)) continue;
      if (e.key in table.ignored) this.issues.warn(`${e.key} has no effect: ${table.ignored[e.key]}`, path, e.keyLoc);
      else if (table.unsupported.includes(e.key)) this.issues.error(`${what} property ${e.key} is not supported by stagecraft deploy`, path, e.keyLoc);
      else this.issues.error(`unknown ${what} property '${e.key}'${didYouMean(e.key, [...table.supported, ...table.unsupported, ...Object.keys(table.ignored)])}`, path, e.keyLoc);
    }
  }

  private rawEvents(r: ActiveResource): { name: string; type?: string; typeNode?: TNode; props?: MapNode; restApiId?: TNode; loc: Location; path: string }[] {
    const events = get(r.properties, 'Events');
    if (!events || events.kind !== 'map') return [];
    return events.entries.map((e) => {
      const value = e.value.kind === 'map' ? e.value : undefined;
      const typeNode = get(value, 'Type');
      const props = get(value, 'Properties');
      return {
        name: e.key,
        type: typeNode?.kind === 'scalar' ? String(typeNode.value) : undefined,
        typeNode,
        props: props?.kind === 'map' ? props : undefined,
        restApiId: props?.kind === 'map' ? get(props, 'RestApiId') : undefined,
        loc: e.keyLoc,
        path: e.value.path,
      };
    });
  }

  private checkEvents(r: ActiveResource): void {
    const events = get(r.properties, 'Events');
    if (!events) return;
    if (events.kind !== 'map') {
      this.issues.error('Events is a map of event names to event sources', events.path, events.loc);
      return;
    }
    for (const e of events.entries) {
      if (e.value.kind !== 'map') {
        this.issues.error('an event source is a map with Type and Properties', e.value.path, e.value.loc);
        continue;
      }
      for (const k of e.value.entries) {
        if (k.key !== 'Type' && k.key !== 'Properties') this.issues.error(`unknown event key '${k.key}'; an event has Type and Properties`, k.value.path, k.keyLoc);
      }
      const type = get(e.value, 'Type');
      const typeName = type?.kind === 'scalar' ? String(type.value) : undefined;
      if (typeName !== 'Api') {
        if (!typeName) this.issues.error('event needs a Type', e.value.path, e.keyLoc);
        else if (UNSUPPORTED_EVENT_TYPES.includes(typeName)) this.issues.error(`event type ${typeName} is not supported: stagecraft deploy wires Api events`, type!.path, type!.loc);
        else this.issues.error(`unknown event type '${typeName}'${didYouMean(typeName, ['Api', ...UNSUPPORTED_EVENT_TYPES])}`, type!.path, type!.loc);
        continue;
      }
      const props = get(e.value, 'Properties');
      if (!props || props.kind !== 'map') {
        this.issues.error('an Api event needs Properties with Path and Method', `${e.value.path}.Properties`, e.keyLoc);
        continue;
      }
      this.checkTable(props.entries, API_EVENT_PROPERTIES, 'Api event');
    }
  }

  // ---- building specs --------------------------------------------------------------------

  functionSpec(r: ActiveResource, scope: Scope): FunctionSpec {
    const p = r.properties;
    const id = r.def.logicalId;
    const where = (key: string): { path: string; loc: Location } => {
      const e = entry(p, key);
      return e ? { path: e.value.path, loc: e.value.loc } : { path: childPath(`${r.def.path}.Properties`, key), loc: r.def.loc };
    };
    const fail = (key: string, message: string): never => {
      const w = where(key);
      throw new TemplateError(message, w.path, w.loc);
    };
    const value = (key: string): Value | undefined => {
      const node = get(p, key);
      if (!node) return undefined;
      const v = evaluate(node, scope);
      return v === NO_VALUE || v === null ? undefined : v;
    };
    const str = (key: string): string | undefined => {
      const v = value(key);
      if (v === undefined) return undefined;
      if (typeof v === 'string' || typeof v === 'number') return String(v);
      return fail(key, `${key} must be a string`);
    };
    const int = (key: string, min: number, max: number, unit: string): number | undefined => {
      const v = value(key);
      if (v === undefined) return undefined;
      const n = typeof v === 'string' && v.trim() !== '' ? Number(v) : v;
      if (typeof n !== 'number' || !Number.isInteger(n) || n < min || n > max) fail(key, `${key} must be a whole number of ${unit} from ${min} to ${max}, got ${JSON.stringify(v)}`);
      return n as number;
    };

    const packageType = str('PackageType');
    if (packageType && packageType !== 'Zip') fail('PackageType', `PackageType ${packageType} is not supported; stagecraft deploy deploys Zip functions`);

    const name = str('FunctionName') ?? `${this.identity.stackName}-${id}`;
    if (!PLACEHOLDER.test(name) && !/^[a-zA-Z0-9-_]{1,64}$/.test(name)) {
      fail('FunctionName', `function name '${name}' must be 1 to 64 letters, digits, hyphens or underscores`);
    }

    const runtime = str('Runtime');
    if (!runtime) fail('Runtime', `${id} needs a Runtime (for example nodejs20.x or python3.12), here or in Globals.Function`);
    if (!LAMBDA_RUNTIMES.includes(runtime!)) {
      fail('Runtime', `Runtime '${runtime}' is not a Lambda runtime${didYouMean(runtime!, LAMBDA_RUNTIMES)}; use one of ${LAMBDA_RUNTIMES.filter((x) => /^(nodejs2|python3\.1|provided)/.test(x)).join(', ')}`);
    }
    const handler = str('Handler');
    if (!handler) fail('Handler', `${id} needs a Handler (for example index.handler), here or in Globals.Function`);

    const code = this.codeSource(r, scope);

    const envNode = get(p, 'Environment');
    const environment: Record<string, string> = {};
    if (envNode) {
      const env = evaluate(envNode, scope);
      if (env !== NO_VALUE && env !== null) {
        if (typeof env !== 'object' || Array.isArray(env) || Object.keys(env).some((k) => k !== 'Variables')) {
          fail('Environment', 'Environment is a map with one key, Variables');
        }
        const vars = (env as Record<string, Value>).Variables ?? {};
        if (typeof vars !== 'object' || Array.isArray(vars) || vars === null) fail('Environment', 'Environment.Variables is a map of names to values');
        for (const [k, v] of Object.entries(vars as Record<string, Value>)) {
          if (!/^[a-zA-Z]([a-zA-Z0-9_])*$/.test(k)) fail('Environment', `environment variable name '${k}' must start with a letter and contain only letters, digits and underscores`);
          if (typeof v === 'object' && v !== null) fail('Environment', `environment variable ${k} must be a string, number or boolean`);
          environment[k] = v === null ? '' : String(v);
        }
      }
    }

    const tags: Record<string, string> = {};
    const tagsValue = value('Tags');
    if (tagsValue !== undefined) {
      if (typeof tagsValue !== 'object' || Array.isArray(tagsValue) || tagsValue === null) fail('Tags', 'Tags is a map of tag names to values');
      for (const [k, v] of Object.entries(tagsValue as Record<string, Value>)) {
        if (k.startsWith('aws:') || k.startsWith('stagecraft:')) fail('Tags', `tag keys starting with aws: or stagecraft: are reserved ('${k}')`);
        tags[k] = String(v);
      }
    }

    let architectures: string[] | undefined;
    const arch = value('Architectures');
    if (arch !== undefined) {
      if (!Array.isArray(arch) || arch.length !== 1 || !['x86_64', 'arm64'].includes(String(arch[0]))) fail('Architectures', 'Architectures is a list with one of x86_64 or arm64');
      architectures = (arch as Value[]).map(String);
    }

    const alias = str('AutoPublishAlias');
    if (alias !== undefined && !PLACEHOLDER.test(alias) && (!ALIAS_NAME.test(alias) || alias.length > 128 || alias === '$LATEST')) {
      fail('AutoPublishAlias', `alias name '${alias}' must be letters, digits, hyphens or underscores, and not only digits`);
    }
    const allProps = value('AutoPublishAliasAllProperties');
    if (allProps !== undefined && typeof allProps !== 'boolean') fail('AutoPublishAliasAllProperties', 'AutoPublishAliasAllProperties is true or false');

    const description = str('Description') ?? '';
    if (description.length > 256) fail('Description', 'Description is at most 256 characters');

    return {
      logicalId: id,
      loc: r.def.loc,
      name,
      code,
      runtime: runtime!,
      handler: handler!,
      memorySize: int('MemorySize', 128, 10240, 'MB') ?? 128,
      timeout: int('Timeout', 1, 900, 'seconds') ?? 3,
      description,
      environment,
      role: str('Role'),
      architectures,
      tags,
      autoPublishAlias: alias,
      versionDescription: str('VersionDescription'),
      reservedConcurrency: int('ReservedConcurrentExecutions', 0, 1000, 'executions'),
      events: this.eventSpecs(r, scope),
    };
  }

  private codeSource(r: ActiveResource, scope: Scope): CodeSource {
    const codeEntry = entry(r.properties, 'CodeUri');
    const inlineEntry = entry(r.properties, 'InlineCode');
    const id = r.def.logicalId;
    if (codeEntry && inlineEntry) throw new TemplateError(`${id} sets both CodeUri and InlineCode; keep one`, inlineEntry.value.path, inlineEntry.keyLoc);
    if (inlineEntry) {
      const source = evaluateValue(inlineEntry.value, scope);
      if (typeof source !== 'string') throw new TemplateError('InlineCode is the source text of the handler module', inlineEntry.value.path, inlineEntry.keyLoc);
      const runtime = String(evaluate(get(r.properties, 'Runtime') ?? synthetic('', '', r.def.loc), scope));
      const handler = String(evaluate(get(r.properties, 'Handler') ?? synthetic('index.handler', '', r.def.loc), scope));
      const module = handler.includes('.') ? handler.slice(0, handler.lastIndexOf('.')) : 'index';
      const ext = runtime.startsWith('python') ? '.py' : '.js';
      return { kind: 'inline', source, fileName: `${module}${ext}`, display: 'InlineCode', loc: inlineEntry.keyLoc, templatePath: inlineEntry.value.path };
    }
    if (!codeEntry) throw new TemplateError(`${id} needs CodeUri (a directory or .zip file) or InlineCode, here or in Globals.Function`, `${r.def.path}.Properties`, r.def.loc);
    const v = evaluateValue(codeEntry.value, scope);
    const fail = (m: string): never => {
      throw new TemplateError(m, codeEntry.value.path, codeEntry.value.loc);
    };
    if (typeof v !== 'string') fail('CodeUri in S3 ({Bucket, Key}) is not supported: point CodeUri at a local directory or .zip file');
    const uri = v as string;
    if (/^s3:\/\//i.test(uri)) fail(`CodeUri ${uri} is in S3, which is not supported: point CodeUri at a local directory or .zip file`);
    const path = isAbsolute(uri) ? uri : join(this.template.dir, uri);
    const display = relative(process.cwd(), path) || '.';
    if (!existsSync(path)) fail(`CodeUri ${uri} does not exist (looked for ${path})`);
    const stat = statSync(path);
    if (stat.isDirectory()) return { kind: 'directory', path, display, loc: codeEntry.value.loc, templatePath: codeEntry.value.path };
    if (stat.isFile() && /\.(zip|jar)$/i.test(path)) return { kind: 'zip', path, display, loc: codeEntry.value.loc, templatePath: codeEntry.value.path };
    return fail(`CodeUri ${uri} is neither a directory nor a .zip file`);
  }

  private eventSpecs(r: ActiveResource, scope: Scope): ApiEventSpec[] {
    const out: ApiEventSpec[] = [];
    for (const e of this.rawEvents(r)) {
      if (e.type !== 'Api' || !e.props) continue;
      const props = e.props;
      let apiLogicalId = IMPLICIT_API;
      if (e.restApiId) {
        const target = e.restApiId.kind === 'map' && e.restApiId.entries.length === 1 && e.restApiId.entries[0].key === 'Ref' ? e.restApiId.entries[0].value : undefined;
        const name = target?.kind === 'scalar' ? String(target.value) : undefined;
        const api = name ? this.byId.get(name) : undefined;
        if (!name || !api || api.def.type !== API_TYPE) {
          if (name && this.skipped.has(name)) throw new TemplateError(`${name} is not deployed because its condition ${this.skipped.get(name)} is false`, e.restApiId.path, e.restApiId.loc);
          const apis = this.resources.filter((x) => x.def.type === API_TYPE).map((x) => x.def.logicalId);
          throw new TemplateError(`RestApiId must be !Ref to an AWS::Serverless::Api in this template${name ? didYouMean(name, apis) : ''}`, e.restApiId.path, e.restApiId.loc);
        }
        apiLogicalId = name;
      }
      const pathNode = get(props, 'Path');
      const methodNode = get(props, 'Method');
      if (!pathNode) throw new TemplateError('an Api event needs a Path', `${e.path}.Properties`, e.loc);
      if (!methodNode) throw new TemplateError('an Api event needs a Method', `${e.path}.Properties`, e.loc);
      const resourcePath = String(evaluateValue(pathNode, scope));
      if (!/^\/(([A-Za-z0-9._~:@!$&'()*+,;=-]+|\{[A-Za-z0-9._-]+\+?\})(\/([A-Za-z0-9._~:@!$&'()*+,;=-]+|\{[A-Za-z0-9._-]+\+?\}))*\/?)?$/.test(resourcePath)) {
        throw new TemplateError(`Path '${resourcePath}' is not an API path such as /hello, /items/{id} or /{proxy+}`, pathNode.path, pathNode.loc);
      }
      const greedy = resourcePath.indexOf('+}');
      if (greedy >= 0 && greedy !== resourcePath.replace(/\/$/, '').length - 2) {
        throw new TemplateError(`a greedy path variable ({name+}) must be the last part of the path '${resourcePath}'`, pathNode.path, pathNode.loc);
      }
      const method = String(evaluateValue(methodNode, scope)).toUpperCase();
      if (!['GET', 'POST', 'PUT', 'DELETE', 'PATCH', 'HEAD', 'OPTIONS', 'ANY'].includes(method)) {
        throw new TemplateError(`Method '${method}' is not an HTTP method (GET, POST, PUT, DELETE, PATCH, HEAD, OPTIONS or ANY)`, methodNode.path, methodNode.loc);
      }
      const timeoutNode = get(props, 'TimeoutInMillis');
      let timeoutInMillis: number | undefined;
      if (timeoutNode) {
        timeoutInMillis = Number(evaluateValue(timeoutNode, scope));
        if (!Number.isInteger(timeoutInMillis) || timeoutInMillis < 50 || timeoutInMillis > 29000) {
          throw new TemplateError('TimeoutInMillis is a whole number from 50 to 29000', timeoutNode.path, timeoutNode.loc);
        }
      }
      out.push({ name: e.name, apiLogicalId, resourcePath: resourcePath.length > 1 ? resourcePath.replace(/\/$/, '') : resourcePath, method, timeoutInMillis, loc: e.loc, path: e.path });
    }
    return out;
  }

  apiSpec(r: ActiveResource, scope: Scope): ApiSpec {
    const p = r.properties;
    const id = r.def.logicalId;
    const implicit = id === IMPLICIT_API && !this.template.resources.some((x) => x.logicalId === IMPLICIT_API);
    const value = (key: string): Value | undefined => {
      const node = get(p, key);
      if (!node) return undefined;
      const v = evaluate(node, scope);
      return v === NO_VALUE || v === null ? undefined : v;
    };
    const at = (key: string) => {
      const e = entry(p, key);
      return e ? { path: e.value.path, loc: e.value.loc } : { path: `${r.def.path}.Properties`, loc: r.def.loc };
    };
    const fail = (key: string, message: string): never => {
      const w = at(key);
      throw new TemplateError(message, w.path, w.loc);
    };
    const name = value('Name') === undefined ? (implicit ? this.identity.stackName : `${this.identity.stackName}-${id}`) : String(value('Name'));
    const stageName = value('StageName');
    if (stageName === undefined) fail('StageName', `${id} needs a StageName (for example dev)`);
    const stage = String(stageName);
    if (!PLACEHOLDER.test(stage) && !STAGE_NAME.test(stage)) fail('StageName', `stage name '${stage}' may only contain letters, digits, hyphens and underscores`);
    const variables: Record<string, string> = {};
    const vars = value('Variables');
    if (vars !== undefined) {
      if (typeof vars !== 'object' || Array.isArray(vars)) fail('Variables', 'Variables is a map of stage variable names to values');
      for (const [k, v] of Object.entries(vars as Record<string, Value>)) {
        if (typeof v === 'object' && v !== null) fail('Variables', `stage variable ${k} must be a string`);
        variables[k] = String(v);
      }
    }
    const binary = value('BinaryMediaTypes');
    if (binary !== undefined && (!Array.isArray(binary) || binary.some((b) => typeof b !== 'string'))) fail('BinaryMediaTypes', 'BinaryMediaTypes is a list of media types');
    const description = value('Description');

    const overlay: ApiOverlay | undefined = this.project?.apis.find((a) => a.logicalId === id);
    const stages: StageSpec[] = [{ name: stage, variables }];
    for (const s of overlay?.stages ?? []) {
      const existing = stages.find((x) => x.name === s.name);
      if (existing) {
        Object.assign(existing.variables, s.variables);
        existing.description = s.description ?? existing.description;
      } else {
        stages.push({ name: s.name, variables: { ...variables, ...s.variables }, description: s.description });
      }
    }
    for (const s of stages) {
      for (const [k, v] of Object.entries(s.variables)) {
        if (!VARIABLE_NAME.test(k)) throw new TemplateError(`stage variable name '${k}' (stage ${s.name}) may only contain letters, digits and underscores`, at('Variables').path, at('Variables').loc);
        if (!PLACEHOLDER.test(v) && !VARIABLE_VALUE.test(v)) throw new TemplateError(`stage variable ${k}='${v}' (stage ${s.name}) has characters API Gateway doesn't allow`, at('Variables').path, at('Variables').loc);
      }
    }
    const spec: ApiSpec = { logicalId: id, loc: r.def.loc, name, stages, implicit };
    if (description !== undefined) spec.description = String(description);
    if (binary !== undefined) spec.binaryMediaTypes = binary as string[];
    if (overlay?.functionAlias) {
      spec.functionAlias = overlay.functionAlias.value;
      const m = STAGE_VARIABLE_ALIAS.exec(overlay.functionAlias.value);
      if (m) {
        for (const s of stages) {
          const aliasName = s.variables[m[1]];
          if (aliasName === undefined) {
            throw new TemplateError(`stage ${s.name} doesn't set stage variable ${m[1]}, which FunctionAlias uses to pick the alias`, `Apis.${id}.FunctionAlias`, overlay.functionAlias.loc);
          }
          if (!PLACEHOLDER.test(aliasName) && !ALIAS_NAME.test(aliasName)) {
            throw new TemplateError(`stage ${s.name} sets ${m[1]}='${aliasName}', which is not a valid alias name`, `Apis.${id}.Stages`, overlay.functionAlias.loc);
          }
        }
      }
    }
    return spec;
  }

  /** The alias a stage's integrations call for a function, or undefined for the unqualified function. */
  static stageAlias(api: ApiSpec, fn: FunctionSpec, stage: StageSpec): string | undefined {
    if (api.functionAlias) {
      const m = STAGE_VARIABLE_ALIAS.exec(api.functionAlias);
      return m ? stage.variables[m[1]] : api.functionAlias;
    }
    return fn.autoPublishAlias;
  }

  /** What an integration URI puts after the function name (`:alias`, `:${stageVariables.env}` or nothing). */
  static integrationQualifier(api: ApiSpec, fn: FunctionSpec): string | undefined {
    return api.functionAlias ?? fn.autoPublishAlias;
  }

  /**
   * Checks everything that can be checked before changing anything: properties, every
   * function's and API's settings (with placeholder IDs), routes, and outputs.
   */
  validate(): { functions: FunctionSpec[]; apis: ApiSpec[] } {
    this.checkProperties();
    const scope = this.scope(() => undefined);
    const functions: FunctionSpec[] = [];
    const apis: ApiSpec[] = [];
    for (const r of this.order) {
      if (r.def.type === FUNCTION_TYPE) {
        const spec = this.issues.collect(() => this.functionSpec(r, scope));
        if (spec) functions.push(spec);
      } else {
        const spec = this.issues.collect(() => this.apiSpec(r, scope));
        if (spec) apis.push(spec);
      }
    }
    const names = new Map<string, FunctionSpec>();
    for (const f of functions) {
      const other = names.get(f.name);
      if (other && !PLACEHOLDER.test(f.name)) this.issues.error(`${f.logicalId} and ${other.logicalId} both deploy function ${f.name}`, `Resources.${f.logicalId}`, f.loc);
      names.set(f.name, f);
    }
    const routes = new Map<string, ApiEventSpec & { fn: string }>();
    for (const f of functions) {
      for (const e of f.events) {
        const key = `${e.apiLogicalId} ${e.method} ${e.resourcePath}`;
        const other = routes.get(key);
        if (other) this.issues.error(`${e.method} ${e.resourcePath} on ${e.apiLogicalId} is claimed by ${other.fn} (event ${other.name}) and ${f.logicalId} (event ${e.name})`, e.path, e.loc);
        routes.set(key, { ...e, fn: f.logicalId });
      }
    }
    for (const api of apis) {
      if (!api.functionAlias) continue;
      for (const f of functions.filter((fn) => fn.events.some((e) => e.apiLogicalId === api.logicalId))) {
        if (!f.autoPublishAlias) {
          this.issues.warn(`${api.logicalId} calls ${f.name} through aliases (FunctionAlias ${api.functionAlias}), but ${f.logicalId} has no AutoPublishAlias, so deploy publishes no versions for them`, `Resources.${f.logicalId}`, f.loc);
        }
      }
    }
    for (const o of this.template.outputs) {
      this.issues.collect(() => {
        if (o.condition && !this.condition(o.condition, o.value, scope)) return;
        evaluateValue(o.value, scope);
        if (o.description) evaluateValue(o.description, scope);
      });
    }
    return { functions, apis };
  }

  /** Output values once everything is deployed. */
  outputs(scope: Scope): { name: string; value: string; description?: string }[] {
    const out: { name: string; value: string; description?: string }[] = [];
    for (const o of this.template.outputs) {
      if (o.condition && !this.condition(o.condition, o.value, scope)) continue;
      const v = evaluateValue(o.value, scope);
      const d = o.description ? evaluateValue(o.description, scope) : undefined;
      out.push({ name: o.name, value: typeof v === 'string' ? v : JSON.stringify(v), description: d === undefined ? undefined : String(d) });
    }
    return out;
  }
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
