// `stagecraft deploy` as a library: load and check the template (and stagecraft.yml), package the
// code, then bring the server in line with it: layers, APIs and functions in dependency order, each API's
// authorizers, models and request validators, routes and integrations, API Gateway's permissions, stages, and finally the outputs
// (exported ones recorded for other stacks' Fn::ImportValue, which resolves from the exports recorded before), and last
// deletes the stack's resources the template no longer has (stack-prune.ts). Nothing is
// changed unless the whole template checks out; a failing step stops the deploy and names itself.
import { syncEventInvokeConfig } from './event-invoke.js';
import { GetAliasCommand } from '@aws-sdk/client-lambda';
import { basename, dirname, resolve } from 'node:path';
import { existsSync } from 'node:fs';
import { apiSpec, canaryStage, integrationQualifier, stageAlias, type ApiSpec } from './api-spec.js';
import { removeStaleDomains, syncDomain, type DomainContext, type DomainTarget } from './domains.js';
import type { DomainSpec } from './domain-spec.js';
import { ensureRestApi, syncRoutes, syncStages, type DeployedApi, type RouteTarget } from './apis.js';
import { preflightRoutes } from './cors.js';
import { deployDefinition } from './definitions.js';
import { syncApiPolicy } from './api-policy.js';
import { apiPolicyDocument, type ResourcePolicySpec } from './resource-policy-spec.js';
import { syncUsagePlan, wantedPlanNames, type WantedPlan } from './usage-plans.js';
import { apiAuthSpec, methodAuthorizer, routeApiKeyRequired, routeAuthorizer, type UsagePlanSpec } from './auth-spec.js';
import { syncAuthorizers } from './authorizers.js';
import { syncModelsAndValidators, validatorName } from './models.js';
import { syncGatewayResponses } from './gateway-responses.js';
import { callerAccount, type AwsClients } from './clients.js';
import { DeployStepError, isNotFound } from './errors.js';
import { pruneRemoved, type KeptResources } from './stack-prune.js';
import { syncApiRetention } from './api-retention.js';
import { retains } from './template.js';
import { functionSpec, type FunctionSpec } from './function-spec.js';
import { deployFunction, type DeployedFunction } from './functions.js';
import { deployFunctionUrl } from './function-urls.js';
import { InvalidTemplateError, Issues, TemplateError, type Issue } from './issues.js';
import { handlerFailure, handlerFileCandidates, packageOnce, PackageError, type CodePackage } from './package.js';
import { resolveParameters } from './parameters.js';
import { serverValues, templateValues, type ValueSource } from './dynamic-references.js';
import { ensurePermission, removeStaleGrants, statementId } from './permissions.js';
import { readProjectFile, type ProjectFile } from './project.js';
import { ChangeLog, type Change, type Progress } from './progress.js';
import { StackModel, type StackOutput } from './stack-model.js';
import { involves, readExports, recordExports } from './stack-exports.js';
import { checkCrossStack } from './cross-stack-check.js';
import { validateStack } from './stack-validation.js';
import { readTemplate } from './template.js';
import { executeApiSourceArn, functionArn, invokeUrls, lambdaIntegrationUri } from './urls.js';
import { API_TYPE, FUNCTION_TYPE, HTTP_API_TYPE, LAYER_TYPE, executableRuntime } from './spec.js';
import { httpApiSpec, type HttpApiSpec } from './http-api-spec.js';
import { documentOf } from './http-api-document.js';
import { finishHttpApiDocument, importHttpApiDocument } from './http-api-definitions.js';
import { ensureHttpApi, httpApiUrl, syncHttpApi, type DeployedHttpApi } from './http-apis.js';
import { httpApiAuthSpec, httpRouteAuthorization } from './http-api-auth-spec.js';
import { deployStackLayer, packageLayers } from './stack-layers.js';
import { resolveS3Packages } from './s3-code.js';
import type { LayerSpec } from './layer-spec.js';
import { shiftAll, type ShiftTarget, type TrafficShiftOptions } from './traffic-shift.js';
import { alarmNames } from './deployment-preference.js';
import { evaluateValue } from './intrinsics.js';
import { metricFilterInput, putMetricFilter, removeStaleMetricFilters } from './metric-filters.js';
import { deploySubscriptionFilters } from './subscription-filters.js';
import { deployEventSourceMappings } from './event-source-mappings.js';
import { CLOUDWATCH_ALARM_TYPES, alarmInput, alarmSubject, putAlarm, putOrder, removeStaleAlarms } from './metric-alarms.js';
import { dashboardInput, putDashboard, removeStaleDashboards } from './dashboards.js';
import { DASHBOARD_TYPE, LAMBDA_PERMISSION_TYPE, METRIC_FILTER_TYPE, USAGE_PLAN_TYPES, type NotDeployedResource } from './other-resources.js';
import { syncTemplateUsagePlans } from './template-usage-plans.js';
import { lambdaPermissionSpec, type LambdaPermissionSpec } from './lambda-permission-spec.js';
import { grantLambdaPermission, removeDroppedPermissions } from './lambda-permissions.js';
import { SNS_SUBSCRIPTION_TYPE } from './service-resource.js';
import { grantServiceEventPermissions, syncServiceResources, type ServiceResult } from './service-resources.js';
import { DataDeploy } from './data-resources.js';

export interface DeployOptions {
  /** How DeploymentPreference traffic shifts pace themselves. */
  trafficShift?: TrafficShiftOptions;
  /** Told the checked stack (code packaged) before the server is asked anything: `deploy --watch` learns what to watch. */
  onLoaded?(stack: LoadedStack): void;
  /** Whether to delete, last, what the template no longer has (stack-prune.ts); the server's stacks do it in their own cleanup phase. */
  prune?: boolean;
}

export interface StackSource {
  /** A SAM template (used when no project file is given). */
  templateFile?: string;
  /** A stagecraft.yml; its Template names the SAM template. */
  projectFile?: string;
  stackName?: string;
  parameterOverrides?: Record<string, string>;
  /** Resources and events Stagecraft doesn't run are errors instead of skipped with a warning. */
  strict?: boolean;
  /** The ID of the server-side CloudFormation stack being deployed (AWS::StackId). */
  stackId?: string;
}

export interface LoadedStack {
  templateFile: string;
  project?: ProjectFile;
  stackName: string;
  model: StackModel;
  functions: FunctionSpec[];
  apis: ApiSpec[];
  httpApis: HttpApiSpec[];
  layers: LayerSpec[];
  /** AWS::Lambda::Permission resources. */
  permissions: LambdaPermissionSpec[];
  /** Code packages by logical ID (functions and layers). */
  packages: Map<string, CodePackage>;
  issues: Issues;
}

export interface DeployedRoute {
  method: string;
  path: string;
  url: string;
  /** `/restapis/{id}/{stage}/_user_request_/…` (REST APIs only). */
  pathStyleUrl?: string;
}

export interface DeployResult extends ServiceResult {
  stackName: string;
  templateFile: string;
  accountId: string;
  region: string;
  endpoint: string;
  changes: Change[];
  notes: string[];
  warnings: Issue[];
  functions: { logicalId: string; name: string; arn: string; alias?: string; version?: string; functionUrl?: string }[];
  layers: { logicalId: string; name: string; arn: string; version: number }[];
  apis: { logicalId: string; id: string; name: string; stages: { name: string; variables: Record<string, string>; routes: DeployedRoute[] }[] }[];
  outputs: StackOutput[];
  /** Custom domain names (SAM's Domain): the stage's URL at each base path, called with the domain as Host. */
  domains: { logicalId: string; domainName: string; stage: string; urls: string[] }[];
  /** Resources of types Stagecraft doesn't run: skipped, with what references to them resolved to. */
  notDeployed: NotDeployedResource[];
  /** What the template deploys, as the server names it: the rest of the stack's resources are pruned. */
  kept: KeptResources;
}

const PLACEHOLDER_ACCOUNT = '123456789012';

/**
 * Reads and checks everything; throws InvalidTemplateError listing every problem found. `imports`:
 * the region's stack exports (name → value) for Fn::ImportValue; without, a placeholder stands for each.
 */
export async function loadStack(source: StackSource, region: string, accountId = PLACEHOLDER_ACCOUNT, packaged?: Map<string, CodePackage>,
  imports?: ReadonlyMap<string, string>, endpoint?: string, values?: ValueSource): Promise<LoadedStack> {
  const issues = new Issues();
  let project: ProjectFile | undefined;
  let templateFile = source.templateFile ?? 'template.yaml';
  if (source.projectFile) {
    project = readProjectFile(source.projectFile, issues);
    issues.throwIfErrors(source.projectFile);
    templateFile = project!.template;
  }
  const template = readTemplate(templateFile, issues);
  if (!template) throw new InvalidTemplateError(issues.list, templateFile);
  const stackName = source.stackName ?? project?.stackName ?? defaultStackName(templateFile);
  const overrides = { ...(project?.parameters ?? {}), ...(source.parameterOverrides ?? {}) };
  const fetched = await templateValues(template, overrides, values, issues, templateFile); // SSM-typed parameters, {{resolve:…}}
  const parameters = resolveParameters(template, overrides, issues, source.parameterOverrides && Object.keys(source.parameterOverrides).length ? '--parameter-overrides' : 'stagecraft.yml', fetched?.ssm);
  const model = new StackModel(template, parameters, { stackName, region, accountId, stackId: source.stackId, endpoint }, project, issues, source.strict, imports, fetched?.dynamic);
  const { functions, apis, httpApis, layers, permissions } = validateStack(model);
  issues.throwIfErrors(templateFile);

  const packages = new Map<string, CodePackage>();
  await packageLayers(layers, packages, issues, packaged);
  for (const f of functions) {
    try {
      const pkg = await packageOnce(f.code, packaged);
      packages.set(f.logicalId, pkg);
      if (f.code.kind === 'directory' && executableRuntime(f.runtime)) {
        // Lambda accepts any handler at deploy time; these would fail at the first invocation.
        const candidates = handlerFileCandidates(f.handler, f.runtime);
        if (candidates === undefined) {
          issues.warn(`Handler ${f.handler} is not module.function (e.g. index.handler): invocations would fail with ${handlerFailure(f.runtime, 'malformed')}`, f.handlerAt.path, f.handlerAt.loc);
        } else if (candidates.length && !candidates.some((c) => existsSync(resolve(f.code.kind === 'directory' ? f.code.path : '', c)))) {
          issues.warn(`Handler ${f.handler} needs ${candidates.join(' or ')} in ${f.code.display}, which has no such file: invocations would fail with ${handlerFailure(f.runtime, 'missing')}`, f.handlerAt.path, f.handlerAt.loc);
        }
      }
    } catch (e) {
      if (!(e instanceof PackageError)) throw e;
      issues.error(e.message, f.code.templatePath, f.code.loc);
    }
  }
  issues.throwIfErrors(templateFile);
  return { templateFile, project, stackName, model, functions, apis, httpApis, layers, permissions, packages, issues };
}

/** The template's directory name; for `cdk synth` output (`cdk.out/{Stack}.template.json`), the CDK stack's. */
export function defaultStackName(templateFile: string): string {
  const cdkStack = /^(.+)\.template\.json$/.exec(basename(templateFile))?.[1];
  const dir = cdkStack ?? basename(dirname(resolve(templateFile)));
  const cleaned = dir.replace(/[^A-Za-z0-9-]/g, '-').replace(/^[^A-Za-z]+/, '');
  return cleaned || 'stagecraft';
}

export async function deployStack(source: StackSource, clients: AwsClients, progress: Progress, options: DeployOptions = {}): Promise<DeployResult> {
  // Check the template before talking to the server: a broken template fails fast, offline.
  const packaged = new Map<string, CodePackage>();
  const checked = await loadStack(source, clients.region, PLACEHOLDER_ACCOUNT, packaged);
  options.onLoaded?.(checked);
  for (const w of checked.issues.warnings) progress.warn(formatWarning(w));
  const accountId = await callerAccount(clients);
  // Other stacks' exports, for Fn::ImportValue: an unknown one fails the deploy before anything changes.
  const exportsBefore = await readExports(clients);
  const values = serverValues(clients);
  const stack = await loadStack(source, clients.region, accountId, packaged, new Map(exportsBefore.map((e) => [e.name, e.value])), clients.endpoint, values).finally(() => values.close());
  await resolveS3Packages([...stack.functions, ...stack.layers], stack.packages, clients, stack.issues);
  stack.issues.throwIfErrors(stack.templateFile);
  const log = new ChangeLog(progress);
  const { model, stackName } = stack;
  const region = clients.region;
  const crossStack = checkCrossStack(stack, exportsBefore);
  log.begin({ stackName, templateFile: stack.templateFile, projectFile: source.projectFile, subjects: model.order.map((r) => r.def.logicalId) });

  const step = async <T>(subject: string, action: string, fn: () => Promise<T>): Promise<T> => {
    try {
      return await fn();
    } catch (e) {
      if (e instanceof DeployStepError) throw e;
      throw new DeployStepError(subject, action, e);
    }
  };

  const apiContext = { apigateway: clients.apigateway, progress: log, step, stackName, region };
  const attributes = new Map<string, Record<string, string>>();
  const scope = model.scope((id, attribute) => {
    const v = attributes.get(id)?.[attribute];
    if (v === undefined) throw new TemplateError(`${id}.${attribute} is not known yet: add DependsOn: ${id} to the resource that uses it`);
    return v;
  });

  const deployedLayers: DeployResult['layers'] = [];
  const apis = new Map<string, { spec: ApiSpec; deployed: DeployedApi }>();
  const functions = new Map<string, DeployedFunction>();
  const permissions: LambdaPermissionSpec[] = [];
  const httpApiContext = { apigatewayv2: clients.apigatewayv2, lambda: clients.lambda, progress: log, step, stackName, region, accountId };
  const httpApis = new Map<string, { spec: HttpApiSpec; deployed: DeployedHttpApi; document?: string }>();
  const domainContext: DomainContext = { apigateway: clients.apigateway, apigatewayv2: clients.apigatewayv2, progress: log, step, stackName };
  const data = await DataDeploy.start({ settings: clients, stackName, log, step }, model, scope); // tables, parameters, secrets: the functions' environments name them
  for (const r of model.order) {
    const id = r.def.logicalId;
    if (r.def.type === LAYER_TYPE) {
      const layer = await deployStackLayer(model, r, scope, stack.packages, { lambda: clients.lambda, accountId, region, stackName, progress: log, step });
      attributes.set(id, { Ref: layer.arn });
      deployedLayers.push({ logicalId: id, name: layer.spec.name, arn: layer.arn, version: layer.version });
    } else if (r.def.type === HTTP_API_TYPE) {
      const checked = stack.httpApis.find((a) => a.logicalId === id)!;
      // A document's intrinsics may name resources deployed before it (!GetAtt Fn.Arn): read it again with their values.
      const spec = checked.definition === undefined ? checked : httpApiSpec(model, r, scope);
      const document = spec.definition === undefined ? undefined : documentOf(spec, stack.functions, region, accountId);
      const deployed = await step(id, `deploying HTTP API ${spec.name}`, () => (document === undefined ? ensureHttpApi(httpApiContext, spec) : importHttpApiDocument(httpApiContext, spec, document)));
      httpApis.set(id, { spec, deployed, document });
      attributes.set(id, { Ref: deployed.id });
    } else if (r.def.type === API_TYPE) {
      const spec = apiSpec(model, r, scope);
      const deployed = await step(id, `deploying REST API ${spec.name}`, () => ensureRestApi(apiContext, spec));
      apis.set(id, { spec, deployed });
      attributes.set(id, { Ref: deployed.id, RootResourceId: deployed.rootResourceId, Stage: spec.stages[0].name });
    } else if (r.def.type === FUNCTION_TYPE) {
      const spec = functionSpec(model, r, scope);
      const pkg = stack.packages.get(id)!;
      const fnContext = { lambda: clients.lambda, accountId, region, stackName, progress: log, step };
      const deployed = await step(id, `deploying function ${spec.name}`, () => deployFunction(fnContext, spec, pkg));
      if (spec.functionUrl) deployed.functionUrl = await deployFunctionUrl(fnContext, deployed, spec.functionUrl);
      await syncEventInvokeConfig(fnContext, spec);
      functions.set(id, deployed);
      const attrs: Record<string, string> = { Ref: spec.name, Arn: deployed.arn };
      if (deployed.aliasArn) attrs.Alias = deployed.aliasArn;
      if (deployed.versionArn) {
        attrs.Version = deployed.versionArn;
        // SAM's {Id}.Version is an AWS::Lambda::Version: !GetAtt {Id}.Version.Version is its number.
        attrs['Version.Version'] = deployed.versionArn.slice(deployed.versionArn.lastIndexOf(':') + 1);
      }
      // SAM's generated {Id}Url resource (AWS::Lambda::Url): !GetAtt {Id}Url.FunctionUrl / .FunctionArn.
      if (deployed.functionUrl) {
        attrs.FunctionUrl = deployed.functionUrl;
        attrs.UrlFunctionArn = deployed.aliasArn ?? deployed.arn;
      }
      attributes.set(id, attrs);
    } else if (r.def.type === LAMBDA_PERMISSION_TYPE) {
      const spec = lambdaPermissionSpec(model, r, scope);
      const target = `${spec.functionName}${spec.qualifier ? `:${spec.qualifier}` : ''}`;
      const kind = await step(id, `letting ${spec.principal} call ${target}`, () => grantLambdaPermission(clients.lambda, spec));
      log.report({ subject: id, kind, message: `permission ${spec.statementId} for ${spec.principal} to ${spec.action} ${target}` });
      permissions.push(spec);
      attributes.set(id, { Ref: spec.statementId });
    }
  }
  const serviceEvents = await grantServiceEventPermissions({ lambda: clients.lambda, log, step }, model, scope, functions, permissions); // S3, SNS, Schedule, EventBridge events
  // Permission resources the template no longer has: withdrawn from the stack's functions (and aliases) and from what the others name.
  const permissionTargets = [
    ...[...functions.values()].flatMap((f) => [{ functionName: f.spec.name }, ...(f.spec.autoPublishAlias ? [{ functionName: f.spec.name, qualifier: f.spec.autoPublishAlias }] : [])]),
    ...permissions,
  ];
  const withdrawn = await step('Permissions', 'removing permissions the template no longer has', () => removeDroppedPermissions(clients.lambda, stackName, permissionTargets, new Set(permissions.map((p) => p.statementId))));
  for (const w of withdrawn) log.report({ subject: 'Permissions', kind: 'removed', message: `permission ${w.statementId} of ${w.target}` });

  const result: DeployResult = {
    stackName, templateFile: stack.templateFile, accountId, region, endpoint: clients.endpoint, changes: log.changes, notes: log.notes,
    warnings: stack.issues.warnings, functions: [], apis: [], outputs: [], domains: [], notDeployed: model.notDeployed(scope), serviceResources: [],
    layers: deployedLayers,
    kept: { functions: new Set(), restApis: new Set(), httpApis: new Set(), layers: new Set(), usagePlans: new Set(), apiKeys: new Set() },
  };
  for (const f of functions.values()) {
    result.functions.push({ logicalId: f.spec.logicalId, name: f.spec.name, arn: f.arn, alias: f.spec.autoPublishAlias, version: f.version, functionUrl: f.functionUrl });
  }

  const deployDomain = async (id: string, domain: DomainSpec, target: DomainTarget) => {
    await syncDomain(domainContext, id, domain, target);
    const port = new URL(clients.endpoint).port;
    const urls = domain.basePaths.map((key) => `http://${domain.domainName}${port ? `:${port}` : ''}/${key}`);
    result.domains.push({ logicalId: id, domainName: domain.domainName, stage: target.stage, urls });
  };
  const missingAliases = new Map<string, string>();
  /** Usage plans the APIs' Auth asks for, by name (a SHARED plan collects every API's stages). */
  const plans = new Map<string, WantedPlan>();
  const samPlans = new Set<string>();
  const samKeys = new Set<string>();
  const wantPlan = (id: string, spec: ApiSpec, apiId: string, usagePlan: UsagePlanSpec) => {
    const names = wantedPlanNames(stackName, id, usagePlan);
    const plan = plans.get(names.name) ?? { ...names, spec: usagePlan, stages: [] };
    plan.spec = usagePlan; // as SAM: the last API to name a shared plan sets its properties
    plan.stages.push(...spec.stages.map((s) => ({ apiId, stage: s.name })));
    plans.set(names.name, plan);
  };
  for (const { spec, deployed } of apis.values()) {
    const id = spec.logicalId;
    if (spec.definition !== undefined) {
      const defined = await deployDefinition({ ...apiContext, lambda: clients.lambda, accountId, endpoint: clients.endpoint }, spec, deployed, [...functions.values()]);
      result.apis.push({ logicalId: id, id: deployed.id, name: deployed.name, stages: defined.stages });
      attributes.set(id, { ...attributes.get(id), Deployment: defined.deploymentId });
      // Auth beside a document is only a UsagePlan (api-spec.ts).
      const usagePlan = apiAuthSpec(model, model.byId.get(id)!, scope)?.usagePlan;
      if (usagePlan) wantPlan(id, spec, deployed.id, usagePlan);
      if (spec.domain) await deployDomain(id, spec.domain, { kind: 'rest', apiId: deployed.id, stage: spec.stages[0].name });
      continue;
    }
    // Authorizers come first, now that every function they may call exists, so methods can name them.
    const auth = apiAuthSpec(model, model.byId.get(id)!, scope);
    const authorizers = await syncAuthorizers({ ...apiContext, lambda: clients.lambda, accountId }, id, deployed, auth?.authorizers ?? []);
    const callers = [...functions.values()].filter((f) => f.spec.events.some((e) => e.apiLogicalId === id));
    // Models and validators too, so methods can name them.
    const validators = callers.flatMap((f) => f.spec.events.filter((e) => e.apiLogicalId === id).flatMap((e) => (e.requestModel?.validator ? [e.requestModel.validator] : [])));
    const validation = await syncModelsAndValidators(apiContext, id, deployed, spec.models ?? [], validators);
    // Only a template with GatewayResponses manages them (customisations made by hand survive templates without).
    if (spec.gatewayResponses) await syncGatewayResponses(apiContext, id, deployed, spec.gatewayResponses);
    const routes: (RouteTarget & { fn: DeployedFunction; resourcePolicy?: ResourcePolicySpec })[] = [];
    for (const f of callers) {
      const qualifier = integrationQualifier(spec, f.spec);
      for (const e of f.spec.events.filter((ev) => ev.apiLogicalId === id)) {
        const authorizer = routeAuthorizer(id, auth, e);
        routes.push({
          method: e.method,
          resourcePath: e.resourcePath,
          uri: lambdaIntegrationUri(region, functionArn(region, accountId, f.spec.name, qualifier)),
          timeoutInMillis: e.timeoutInMillis,
          label: `${f.spec.name}${qualifier ? `:${qualifier}` : ''}`,
          authorizer: methodAuthorizer(auth, authorizers.ids, authorizer, e),
          apiKeyRequired: routeApiKeyRequired(auth, e.method, e.apiKeyRequired),
          requestModels: e.requestModel ? { 'application/json': e.requestModel.model } : undefined,
          requestParameters: e.requestParameters,
          cacheKeyParameters: e.cacheKeyParameters,
          requestValidator: e.requestModel?.validator
            ? { name: validatorName(e.requestModel.validator), id: validation.validatorIds.get(validatorName(e.requestModel.validator))! }
            : undefined,
          resourcePolicy: e.resourcePolicy,
          fn: f,
        });
      }
    }
    const apiResult: DeployResult['apis'][number] = { logicalId: id, id: deployed.id, name: deployed.name, stages: [] };
    result.apis.push(apiResult);
    if (!routes.length) {
      log.warn(`${id} (${deployed.name}) has no routes: no function has an Api event with RestApiId !Ref ${id}, so no stage was deployed`);
      continue;
    }
    // Cors: a preflight on every path without an OPTIONS route; it runs the default authorizer unless AddDefaultAuthorizerToCorsPreflight is false.
    const preflightAuthorizer = auth?.defaultOnOptions ? auth.defaultAuthorizer : undefined;
    const preflights = spec.cors
      ? preflightRoutes(spec.cors, routes, methodAuthorizer(auth, authorizers.ids, preflightAuthorizer, {}), routeApiKeyRequired(auth, 'OPTIONS'))
      : [];
    await syncRoutes(apiContext, id, deployed, routes, preflights);

    // API Gateway may call each function (or alias) a stage routes to; grants for routes that are
    // gone are removed once the stages no longer serve them.
    const cleanups: (() => Promise<void>)[] = [];
    const grants = new Map<string, { fn: DeployedFunction; qualifier?: string }>();
    // A stage's canary may call other aliases (StageVariableOverrides of the variable FunctionAlias names).
    const served = spec.stages.flatMap((stage) => [stage, canaryStage(spec, stage)].filter((s) => s !== undefined));
    for (const stage of served) {
      for (const f of callers) {
        const qualifier = stageAlias(spec, f.spec, stage);
        grants.set(`${f.spec.name}:${qualifier ?? ''}`, { fn: f, qualifier });
      }
    }
    for (const { fn, qualifier } of grants.values()) {
      const target = `${fn.spec.name}${qualifier ? `:${qualifier}` : ''}`;
      if (qualifier) {
        const exists = await step(id, `reading alias ${target}`, () => clients.lambda.send(new GetAliasCommand({ FunctionName: fn.spec.name, Name: qualifier })).then(() => true, (e) => {
          if (isNotFound(e)) return false;
          throw e;
        }));
        if (!exists) {
          const stages = spec.stages.flatMap((s) => {
            const canary = canaryStage(spec, s);
            return [...(stageAlias(spec, fn.spec, s) === qualifier ? [s.name] : []), ...(canary && stageAlias(spec, fn.spec, canary) === qualifier ? [`${s.name} (canary)`] : [])];
          });
          const from = fn.spec.autoPublishAlias && fn.spec.autoPublishAlias !== qualifier ? fn.spec.autoPublishAlias : fn.version ?? '1';
          missingAliases.set(target, `stage ${stages.join(', ')} of ${deployed.name} calls ${target}, which doesn't exist yet: create it with \`stagecraft promote ${fn.spec.name} --from ${from} --to ${qualifier}\``);
          continue;
        }
      }
      const keep = new Set(routes.filter((r) => r.fn === fn).map((r) => statementId(deployed.id, r.method, r.resourcePath)));
      cleanups.push(async () => {
        const removed = await step(id, `removing unused permissions of ${target}`, () => removeStaleGrants(clients.lambda, fn.spec.name, qualifier, deployed.id, keep));
        if (removed.length) log.report({ subject: id, kind: 'removed', message: `${removed.length} permission${removed.length === 1 ? '' : 's'} for API Gateway to call ${target} that no route needs` });
      });
      for (const route of routes.filter((r) => r.fn === fn)) {
        const sourceArn = executeApiSourceArn(region, accountId, deployed.id, route.method, route.resourcePath);
        const changed = await step(id, `letting API Gateway call ${target} for ${route.method} ${route.resourcePath}`, () => ensurePermission(clients.lambda, {
          functionName: fn.spec.name, qualifier, sourceArn, statementId: statementId(deployed.id, route.method, route.resourcePath),
        }));
        log.report({ subject: id, kind: changed ? 'created' : 'unchanged', message: `permission for API Gateway to call ${target} (${route.method} ${route.resourcePath})` });
      }
    }

    // Policy and the statements SAM generates for Auth.ResourcePolicy, frozen by the deployment like the other API settings.
    const policy = apiPolicyDocument(spec.policy, auth?.resourcePolicy, routes, preflights.map((p) => p.resourcePath), spec.stages.map((s) => s.name));
    await syncApiPolicy(apiContext, id, deployed, policy);
    const { deploymentId } = await syncStages(apiContext, { ...spec, policy }, deployed, routes, auth?.authorizers, preflights);
    if (auth?.usagePlan) wantPlan(id, spec, deployed.id, auth.usagePlan);
    if (spec.domain) await deployDomain(id, spec.domain, { kind: 'rest', apiId: deployed.id, stage: spec.stages[0].name });
    for (const cleanup of cleanups) await cleanup();
    await authorizers.removeUnused();
    await validation.removeUnused();
    attributes.set(id, { ...attributes.get(id), Deployment: deploymentId });
    for (const stage of spec.stages) {
      apiResult.stages.push({
        name: stage.name,
        variables: stage.variables,
        routes: routes.map((r) => {
          const urls = invokeUrls(clients.endpoint, deployed.id, stage.name, r.resourcePath);
          return { method: r.method, path: r.resourcePath, url: urls.hostStyle, pathStyleUrl: urls.pathStyle };
        }),
      });
    }
  }
  for (const { spec, deployed, document } of httpApis.values()) {
    const id = spec.logicalId;
    // An event's RouteSettings are its route's on the stage, over the API's RouteSettings for that key.
    const routeSettings = { ...spec.routeSettings };
    for (const f of functions.values()) {
      for (const e of f.spec.httpApiEvents) if (e.apiLogicalId === id && e.routeSettings) routeSettings[e.routeKey] = { ...routeSettings[e.routeKey], ...e.routeSettings };
    }
    let routes: { routeKey: string }[];
    if (document !== undefined) {
      const defined = await step(id, `deploying the stage of HTTP API ${deployed.name}`, () => finishHttpApiDocument(httpApiContext, { ...spec, routeSettings }, deployed, document, [...functions.values()]));
      routes = defined.map((r) => ({ routeKey: r.path === '/$default' ? '$default' : `${r.method} ${r.path}` }));
    } else {
      // Read now: a Lambda authorizer's FunctionArn is known once its function is deployed.
      const resource = model.byId.get(id);
      const auth = resource && httpApiAuthSpec(model, resource, scope);
      const eventRoutes = [...functions.values()].flatMap((f) => f.spec.httpApiEvents.filter((e) => e.apiLogicalId === id).map((e) => ({
        routeKey: e.routeKey, functionName: f.spec.name, qualifier: f.spec.autoPublishAlias,
        uri: functionArn(region, accountId, f.spec.name, f.spec.autoPublishAlias), payloadFormatVersion: e.payloadFormatVersion, timeoutInMillis: e.timeoutInMillis,
        authorization: httpRouteAuthorization(id, auth, e),
      })));
      if (!eventRoutes.length) log.warn(`${id} (${deployed.name}) has no routes: no function has an HttpApi event for it`);
      await step(id, `deploying the routes of HTTP API ${deployed.name}`, () => syncHttpApi(httpApiContext, { ...spec, routeSettings }, deployed, eventRoutes, auth));
      routes = eventRoutes;
    }
    if (spec.domain) await deployDomain(id, spec.domain, { kind: 'http', apiId: deployed.id, stage: spec.stageName });
    result.apis.push({
      logicalId: id, id: deployed.id, name: deployed.name,
      stages: [{
        name: spec.stageName, variables: spec.stageVariables,
        routes: routes.map((r) => {
          const [method, path] = r.routeKey === '$default' ? ['ANY', '$default'] : r.routeKey.split(' ');
          const pathStyleUrl = invokeUrls(clients.endpoint, deployed.id, spec.stageName, r.routeKey === '$default' ? '/' : path).pathStyle;
          return { method, path, url: httpApiUrl(clients.endpoint, deployed.id, spec.stageName, r.routeKey), pathStyleUrl };
        }),
      }],
    });
  }
  const retention = [...[...apis.values()].map((a) => ({ protocol: 'rest' as const, ...a })), ...[...httpApis.values()].map((a) => ({ protocol: 'http' as const, ...a }))]
    .map(({ protocol, spec, deployed }) => ({ protocol, id: deployed.id, retain: retains(model.byId.get(spec.logicalId)?.def.deletionPolicy) }));
  await step('Retention', 'marking the APIs DeletionPolicy: Retain keeps', () => syncApiRetention(clients, retention));
  // Domains of this stack that no API names any more go (the APIs that keep theirs have just synced them).
  const domains = new Set([...apis.values(), ...httpApis.values()].flatMap(({ spec }) => (spec.domain ? [spec.domain.domainName] : [])));
  await removeStaleDomains(domainContext, domains);
  for (const note of missingAliases.values()) log.note(note);
  for (const plan of plans.values()) {
    const key = await step(plan.subject, `deploying usage plan ${plan.name}`, () => syncUsagePlan(apiContext, plan));
    samPlans.add(key.planId);
    samKeys.add(key.keyId);
    log.note(`API key ${plan.keyName} (id ${key.keyId}) is ${key.value}: send it as the x-api-key header to routes that require a key`);
    // Ref {Api}.UsagePlan and {Api}.ApiKey: a PER_API plan's subject is its API.
    if (apis.has(plan.subject)) attributes.set(plan.subject, { ...attributes.get(plan.subject), UsagePlan: key.planId, ApiKey: key.keyId });
  }
  // The template's own usage plans and keys (CDK's), once every API stage they list exists.
  const templatePlans = [...model.others.values()].filter((r) => USAGE_PLAN_TYPES.includes(r.def.type));
  await syncTemplateUsagePlans(apiContext, templatePlans, scope, (id, ref) => attributes.set(id, { Ref: ref }));
  // Metric filters before the alarms that may watch their metrics.
  const filtersPut = new Set<string>();
  for (const r of model.others.values()) {
    if (r.def.type !== METRIC_FILTER_TYPE) continue;
    const id = r.def.logicalId;
    const input = await step(id, 'reading the metric filter', async () => metricFilterInput(r, scope));
    const kind = await step(id, `putting metric filter ${input.filterName}`, () => putMetricFilter(clients.logs, stackName, input));
    filtersPut.add(`${input.logGroupName}\0${input.filterName}`);
    log.report({ subject: id, kind, message: `CloudWatch Logs metric filter ${input.filterName} on ${input.logGroupName}` });
  }
  const staleFilters = await step('MetricFilters', 'removing metric filters the template no longer has', () => removeStaleMetricFilters(clients.logs, stackName, filtersPut));
  for (const f of staleFilters) log.report({ subject: 'MetricFilters', kind: 'removed', message: `CloudWatch Logs metric filter ${f.filterName} on ${f.logGroupName}` });

  // Subscription filters once their functions and the permissions that let CloudWatch Logs invoke them exist.
  await deploySubscriptionFilters(clients.logs, model, scope, { stackName, log, step });

  result.serviceResources = [...await data.finish(), ...await syncServiceResources({ settings: clients, stackName, log, step }, model, scope, serviceEvents)]; // queues, topics, rules, buckets
  // A subscription's Ref is its ARN, as CloudFormation's, known now that Subscribe answered.
  for (const r of result.serviceResources) if (r.type === SNS_SUBSCRIPTION_TYPE) model.deployedRefs.set(r.logicalId, r.physicalId);
  await deployEventSourceMappings(clients.lambda, model, scope, { stackName, log, step }, serviceEvents.mappings); // once their functions and queues exist

  // CloudWatch alarms once the functions they watch exist, before the shifts that may watch them.
  const alarmNamesPut = new Set<string>();
  const alarms: { id: string; type: string; input: Record<string, unknown> }[] = [];
  for (const r of model.others.values()) {
    if (!CLOUDWATCH_ALARM_TYPES.includes(r.def.type)) continue;
    const id = r.def.logicalId;
    alarms.push({ id, type: r.def.type, input: await step(id, 'reading the alarm', async () => alarmInput(r, scope, stackName)) });
  }
  for (const { id, input } of await step('Alarms', 'ordering the alarms', async () => putOrder(alarms))) {
    const kind = await step(id, `putting alarm ${String(input.AlarmName)}`, () => putAlarm(clients, input));
    alarmNamesPut.add(String(input.AlarmName));
    log.report({ subject: id, kind, message: `CloudWatch alarm ${String(input.AlarmName)} on ${alarmSubject(input)}` });
  }
  const staleAlarms = await step('Alarms', 'removing alarms the template no longer has', () => removeStaleAlarms(clients, stackName, alarmNamesPut));
  for (const name of staleAlarms) log.report({ subject: 'Alarms', kind: 'removed', message: `CloudWatch alarm ${name}` });
  const dashboardsPut = new Set<string>();
  for (const r of model.others.values()) {
    if (r.def.type !== DASHBOARD_TYPE) continue;
    const id = r.def.logicalId;
    const input = await step(id, 'reading the dashboard', async () => dashboardInput(r, scope, stackName));
    const kind = await step(id, `putting dashboard ${input.DashboardName}`, () => putDashboard(clients, input));
    dashboardsPut.add(input.DashboardName);
    log.report({ subject: id, kind, message: `CloudWatch dashboard ${input.DashboardName}` });
  }
  const staleDashboards = await step('Dashboards', 'removing dashboards the template no longer has', () => removeStaleDashboards(clients, stackName, dashboardsPut));
  for (const name of staleDashboards) log.report({ subject: 'Dashboards', kind: 'removed', message: `CloudWatch dashboard ${name}` });

  // DeploymentPreference traffic shifts last: the whole stack (hook functions too) is in place.
  const shiftContext = { lambda: clients.lambda, connection: clients, progress: log, step, options: options.trafficShift ?? {} };
  const shifts: ShiftTarget[] = [];
  for (const f of functions.values()) {
    if (!f.shift) continue;
    const hooks: Record<string, string> = {};
    for (const [lifecycle, node] of Object.entries(f.shift.preference.hooks)) {
      const value = await step(f.spec.logicalId, `reading the ${lifecycle} hook`, async () => evaluateValue(node, scope));
      if (typeof value !== 'string' || !value) throw new DeployStepError(f.spec.logicalId, `reading the ${lifecycle} hook`, new Error(`DeploymentPreference.Hooks.${lifecycle} names a function (!Ref, a logical ID, a name or an ARN), got ${JSON.stringify(value)}`));
      // A logical ID of the template's own functions stands for the function it deployed.
      hooks[lifecycle] = functions.get(value)?.spec.name ?? value;
    }
    const alarmsNode = f.shift.preference.alarms;
    const alarms = alarmsNode ? await step(f.spec.logicalId, 'reading the alarms', async () => alarmNames(evaluateValue(alarmsNode, scope))) : [];
    shifts.push({ logicalId: f.spec.logicalId, name: f.spec.name, arn: f.arn, alias: f.spec.autoPublishAlias!, shift: f.shift, hooks, alarms });
  }
  await shiftAll(shiftContext, shifts);

  try {
    result.outputs = model.outputs(scope);
  } catch (e) {
    if (e instanceof TemplateError) throw new DeployStepError('Outputs', 'evaluating the outputs', e);
    throw e;
  }
  const exported = result.outputs.flatMap((o) => (o.exportName === undefined ? [] : [{ name: o.exportName, value: o.value }]));
  if (exported.length || crossStack.imports.length || involves(exportsBefore, stackName)) {
    await step('Outputs', 'recording the stack\'s exports', () => recordExports(clients, { stackName, exports: exported, imports: crossStack.imports }));
    for (const e of exported) {
      const before = exportsBefore.find((x) => x.name === e.name);
      log.report({ subject: 'Outputs', kind: !before ? 'created' : before.value === e.value ? 'unchanged' : 'updated', message: `export ${e.name}` });
    }
    for (const e of exportsBefore.filter((x) => x.stackName === stackName && !exported.some((y) => y.name === x.name))) {
      log.report({ subject: 'Outputs', kind: 'removed', message: `export ${e.name}` });
    }
  }
  result.kept = {
    usagePlans: samPlans,
    apiKeys: samKeys,
    functions: new Set([...functions.values()].map((f) => f.spec.name)),
    restApis: new Set([...apis.values()].map((a) => a.deployed.id)),
    httpApis: new Set([...httpApis.values()].map((a) => a.deployed.id)),
    layers: new Set(deployedLayers.map((l) => l.name)),
  };
  if (options.prune ?? true) await pruneRemoved(clients, stackName, result.kept, log);
  return result;
}

export function formatWarning(w: Issue): string {
  const where = [w.loc ? `${w.loc.file}:${w.loc.line}:${w.loc.column}` : undefined, w.path ? `(${w.path})` : undefined].filter(Boolean).join(' ');
  return where ? `${where}: ${w.message}` : w.message;
}
