// Everything that can be checked before the deploy changes anything, with placeholders for what
// only deploying tells (IDs, ARNs): every resource's properties and settings, functions and
// routes that clash, authorizers and request models routes name that their API lacks, aliases an
// API calls that nothing publishes, composite alarms no order can put, and the outputs.
import { expandServiceEvents, templateServiceResources } from './service-resources.js';
import { apiSpec, type ApiSpec } from './api-spec.js';
import type { ApiEventSpec } from './api-events.js';
import { apiAuthSpec, routeAuthorizer, type ApiAuthSpec } from './auth-spec.js';
import { functionSpec, type FunctionSpec } from './function-spec.js';
import { exportNameOf } from './stack-model.js';
import { evaluateValue } from './intrinsics.js';
import { didYouMean, type Location } from './issues.js';
import { checkProperties } from './property-checks.js';
import { layerSpec, type LayerSpec } from './layer-spec.js';
import { FUNCTION_TYPE, HTTP_API_TYPE, LAYER_TYPE } from './spec.js';
import { httpApiSpec, type HttpApiSpec } from './http-api-spec.js';
import { httpApiAuthSpec, httpRouteAuthorization, type HttpApiAuthSpec } from './http-api-auth-spec.js';
import { PLACEHOLDER, type StackModel } from './stack-model.js';
import { lambdaPermissionSpec, type LambdaPermissionSpec } from './lambda-permission-spec.js';
import { LAMBDA_PERMISSION_TYPE } from './other-resources.js';
import { checkAlarmCycles } from './metric-alarms.js';

/** The specs (with placeholder IDs) of every function and API that checks out; problems go to `model.issues`. */
export function validateStack(model: StackModel): { functions: FunctionSpec[]; apis: ApiSpec[]; httpApis: HttpApiSpec[]; layers: LayerSpec[]; permissions: LambdaPermissionSpec[] } {
  checkProperties(model.resources, model.issues, model.strict);
  const scope = model.scope(() => undefined);
  const functions: FunctionSpec[] = [];
  const apis: ApiSpec[] = [];
  const layers: LayerSpec[] = [];
  const httpApis: HttpApiSpec[] = [];
  const permissions: LambdaPermissionSpec[] = [];
  const auths = new Map<string, ApiAuthSpec>();
  const httpAuths = new Map<string, HttpApiAuthSpec>();
  // APIs whose Auth failed to read: their routes' authorizers can't be checked without repeating the error.
  const brokenAuth = new Set<string>();
  for (const r of model.order) {
    if (r.def.type === FUNCTION_TYPE) {
      const spec = model.issues.collect(() => functionSpec(model, r, scope));
      if (spec) functions.push(spec);
    } else if (r.def.type === LAYER_TYPE) {
      const spec = model.issues.collect(() => layerSpec(model, r, scope));
      if (spec) layers.push(spec);
      if (spec?.retentionPolicy === 'Delete') model.issues.warn(LAYER_DELETE_WARNING, `Resources.${spec.logicalId}.Properties.RetentionPolicy`, spec.loc);
    } else if (r.def.type === LAMBDA_PERMISSION_TYPE) {
      const spec = model.issues.collect(() => lambdaPermissionSpec(model, r, scope));
      if (spec) permissions.push(spec);
    } else if (r.def.type === HTTP_API_TYPE) {
      const spec = model.issues.collect(() => httpApiSpec(model, r, scope));
      if (spec) httpApis.push(spec);
      const before = model.issues.errors.length;
      const auth = model.issues.collect(() => httpApiAuthSpec(model, r, scope));
      if (auth) httpAuths.set(r.def.logicalId, auth);
      if (model.issues.errors.length > before) brokenAuth.add(r.def.logicalId);
    } else {
      const spec = model.issues.collect(() => apiSpec(model, r, scope));
      if (spec) apis.push(spec);
      const before = model.issues.errors.length;
      const auth = model.issues.collect(() => apiAuthSpec(model, r, scope));
      if (auth) auths.set(r.def.logicalId, auth);
      if (model.issues.errors.length > before) brokenAuth.add(r.def.logicalId);
    }
  }
  checkUniqueNames(model, functions, 'deploy function');
  checkUniqueDomains(model, [...apis, ...httpApis]);
  checkUniqueNames(model, layers, 'publish versions of layer');
  const modelNames = new Map(apis.map((a) => [a.logicalId, a.models?.map((m) => m.name) ?? []]));
  const routes = new Map<string, ApiEventSpec & { fn: string }>();
  for (const f of functions) {
    for (const e of f.events) {
      const key = `${e.apiLogicalId} ${e.method} ${e.resourcePath}`;
      const other = routes.get(key);
      if (other) model.issues.error(`${e.method} ${e.resourcePath} on ${e.apiLogicalId} is claimed by ${other.fn} (event ${other.name}) and ${f.logicalId} (event ${e.name})`, e.path, e.loc);
      routes.set(key, { ...e, fn: f.logicalId });
      if (!brokenAuth.has(e.apiLogicalId)) model.issues.collect(() => routeAuthorizer(e.apiLogicalId, auths.get(e.apiLogicalId), e));
      const known = modelNames.get(e.apiLogicalId);
      if (e.requestModel && known && !known.includes(e.requestModel.model)) {
        model.issues.error(`RequestModel ${e.requestModel.model} is not one of ${e.apiLogicalId}'s Models${known.length ? didYouMean(e.requestModel.model, known) : ` (it has none)`}`,
          e.requestModel.path, e.requestModel.loc);
      }
    }
  }
  const httpRoutes = new Map<string, { fn: string; event: string }>();
  for (const f of functions) {
    for (const e of f.httpApiEvents) {
      const key = `${e.apiLogicalId} ${e.routeKey}`;
      const other = httpRoutes.get(key);
      if (other) model.issues.error(`route ${e.routeKey} on ${e.apiLogicalId} is claimed by ${other.fn} (event ${other.event}) and ${f.logicalId} (event ${e.name})`, e.path, e.loc);
      httpRoutes.set(key, { fn: f.logicalId, event: e.name });
      if (!brokenAuth.has(e.apiLogicalId)) model.issues.collect(() => httpRouteAuthorization(e.apiLogicalId, httpAuths.get(e.apiLogicalId), e));
    }
  }
  for (const api of apis.filter((a) => a.definition !== undefined)) {
    for (const f of functions) {
      for (const e of f.events.filter((ev) => ev.apiLogicalId === api.logicalId)) {
        model.issues.error(`${api.logicalId} is defined by its DefinitionBody/DefinitionUri, into which stagecraft deploy merges no Api events: describe ${e.method} ${e.resourcePath} in the OpenAPI document`, e.path, e.loc);
      }
    }
  }
  for (const api of httpApis.filter((a) => a.definition !== undefined)) {
    for (const e of functions.flatMap((f) => f.httpApiEvents.filter((ev) => ev.apiLogicalId === api.logicalId))) {
      // SAM adds an event's route to an inline DefinitionBody only; its Auth would need the document's security schemes.
      if (api.definitionFromUri) model.issues.error(`${api.logicalId} is defined by its DefinitionUri, into which SAM merges no HttpApi events: describe ${e.routeKey} in the OpenAPI document, or use DefinitionBody`, e.path, e.loc);
      else if (e.authorizer || e.authorizationScopes) model.issues.error(`stagecraft deploy does not merge an HttpApi event's Auth into ${api.logicalId}'s DefinitionBody: describe ${e.routeKey} and its security in the OpenAPI document`, e.path, e.loc);
    }
  }
  for (const api of apis) {
    if (!api.functionAlias) continue;
    for (const f of functions.filter((fn) => fn.events.some((e) => e.apiLogicalId === api.logicalId))) {
      if (!f.autoPublishAlias) {
        model.issues.warn(`${api.logicalId} calls ${f.name} through aliases (FunctionAlias ${api.functionAlias}), but ${f.logicalId} has no AutoPublishAlias, so deploy publishes no versions for them`, `Resources.${f.logicalId}`, f.loc);
      }
    }
  }
  // What references to skipped resources resolve to (a name that names itself is an error).
  model.issues.collect(() => model.notDeployed(scope));
  // And the queues, topics, rules and buckets deploy puts into the services, with what SAM's events add to them.
  model.issues.collect(() => templateServiceResources(model, scope));
  model.issues.collect(() => expandServiceEvents(model, scope, new Map(functions.map((f) => [f.logicalId, { logicalId: f.logicalId, name: f.name, arn: `<${f.logicalId}.Arn>` }]))));
  checkAlarmCycles(model, scope);
  for (const o of model.template.outputs) {
    model.issues.collect(() => {
      if (o.condition && !model.condition(o.condition, o.value, scope)) return;
      evaluateValue(o.value, scope);
      if (o.description) evaluateValue(o.description, scope);
      if (o.exportName) exportNameOf(o.exportName, scope);
    });
  }
  return { functions, apis, httpApis, layers, permissions };
}

const LAYER_DELETE_WARNING = 'RetentionPolicy Delete has no effect: with CloudFormation it deletes the version a new one replaces, '
  + 'but stagecraft deploy never deletes layer versions (functions may still use them); delete old ones with `aws lambda delete-layer-version`';

/** Two resources deploying the same function (or publishing to the same layer) would undo each other on every deploy. */
function checkUniqueNames(model: StackModel, specs: { name: string; logicalId: string; loc: Location }[], what: string): void {
  const names = new Map<string, string>();
  for (const x of specs) {
    const other = names.get(x.name);
    if (other && !PLACEHOLDER.test(x.name)) model.issues.error(`${x.logicalId} and ${other} both ${what} ${x.name}`, `Resources.${x.logicalId}`, x.loc);
    names.set(x.name, x.logicalId);
  }
}

/** A domain name is one API's: two APIs naming it would take each other's mappings away on every deploy. */
function checkUniqueDomains(model: StackModel, apis: readonly (ApiSpec | HttpApiSpec)[]): void {
  const claimed = new Map<string, string>();
  for (const api of apis) {
    if (!api.domain) continue;
    const other = claimed.get(api.domain.domainName);
    if (other) model.issues.error(`Domain.DomainName ${api.domain.domainName} is given by ${other} and ${api.logicalId}: a domain maps to one API (list BasePath values on one of them)`, `Resources.${api.logicalId}.Properties.Domain`, api.loc);
    claimed.set(api.domain.domainName, api.logicalId);
  }
}
