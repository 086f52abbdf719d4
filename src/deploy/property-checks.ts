// Checks a stack's resources against what of SAM's specification `stagecraft deploy` implements
// (spec.ts): unknown properties are errors with a "did you mean", unsupported ones errors, and
// ones that have no effect here warnings; the same for each function's event sources and for
// the maps inside Auth (their values are checked where they are read, in auth-spec.ts).
import { didYouMean, type Issues } from './issues.js';
import { get, isIntrinsic, type MapEntry, type TNode } from './source.js';
import {
  API_AUTH_PROPERTIES, API_DOMAIN_PROPERTIES, CANARY_SETTING_PROPERTIES, HTTP_API_DOMAIN_PROPERTIES, DEPLOYMENT_HOOKS_PROPERTIES, DEPLOYMENT_PREFERENCE_PROPERTIES, API_EVENT_AUTH_PROPERTIES, API_EVENT_PROPERTIES, API_PROPERTIES, API_TYPE, AUTHORIZER_IDENTITY_PROPERTIES, AUTHORIZER_PROPERTIES, COGNITO_AUTHORIZER_IDENTITY_PROPERTIES,
  FUNCTION_PROPERTIES, FUNCTION_TYPE, HTTP_API_AUTH_PROPERTIES, HTTP_API_AUTHORIZER_IDENTITY_PROPERTIES, HTTP_API_AUTHORIZER_PROPERTIES,
  HTTP_API_EVENT_AUTH_PROPERTIES, HTTP_API_EVENT_PROPERTIES, HTTP_API_PROPERTIES, HTTP_API_TYPE, LAYER_PROPERTIES, LAYER_TYPE, UNSUPPORTED_EVENT_TYPES,
  type PropertyTable,
} from './spec.js';
import type { ActiveResource } from './stack-model.js';
import { LAMBDA_PERMISSION_PROPERTIES } from './lambda-permission-spec.js';
import { LAMBDA_PERMISSION_TYPE } from './other-resources.js';
import { skippedEventMessage } from './skipped-events.js';
import { SERVICE_EVENT_TYPES } from './service-resource.js';

/** Reports unknown, unsupported and no-effect properties of every resource and event; `strict`: events nothing sends are errors. */
export function checkProperties(resources: readonly ActiveResource[], issues: Issues, strict = false): void {
  for (const r of resources) {
    if (r.def.type === FUNCTION_TYPE) {
      checkTable(issues, r.properties.entries, FUNCTION_PROPERTIES, FUNCTION_TYPE);
      checkEvents(issues, r, strict);
      const preference = mapEntries(get(r.properties, 'DeploymentPreference'));
      if (preference) checkTable(issues, preference, DEPLOYMENT_PREFERENCE_PROPERTIES, 'DeploymentPreference');
      const hooks = mapEntries(preference?.find((e) => e.key === 'Hooks')?.value);
      if (hooks) checkTable(issues, hooks, DEPLOYMENT_HOOKS_PROPERTIES, 'DeploymentPreference.Hooks');
    } else if (r.def.type === LAYER_TYPE) {
      checkTable(issues, r.properties.entries, LAYER_PROPERTIES, LAYER_TYPE);
    } else if (r.def.type === LAMBDA_PERMISSION_TYPE) {
      checkTable(issues, r.properties.entries, LAMBDA_PERMISSION_PROPERTIES, LAMBDA_PERMISSION_TYPE);
    } else if (r.def.type === HTTP_API_TYPE) {
      checkTable(issues, r.properties.entries, HTTP_API_PROPERTIES, HTTP_API_TYPE);
      checkHttpApiAuthKeys(issues, get(r.properties, 'Auth'));
      checkNested(issues, r, 'Domain', HTTP_API_DOMAIN_PROPERTIES);
    } else {
      checkTable(issues, r.properties.entries, API_PROPERTIES, API_TYPE);
      checkApiAuthKeys(issues, get(r.properties, 'Auth'));
      checkNested(issues, r, 'Domain', API_DOMAIN_PROPERTIES);
      checkNested(issues, r, 'CanarySetting', CANARY_SETTING_PROPERTIES);
    }
  }
}

/** The keys of a map property (Domain, CanarySetting) against its table; its values are checked where they are read. */
function checkNested(issues: Issues, r: ActiveResource, property: string, table: PropertyTable): void {
  const entries = mapEntries(get(r.properties, property));
  if (entries) checkTable(issues, entries, table, property);
}

export function checkTable(issues: Issues, entries: MapEntry[], table: PropertyTable, what: string): void {
  for (const e of entries) {
    const path = e.value.path;
    if (table.supported.includes(e.key)) continue;
    if (e.key in table.ignored) issues.warn(`${e.key} has no effect: ${table.ignored[e.key]}`, path, e.keyLoc);
    else if (table.unsupported.includes(e.key)) issues.error(`${what} property ${e.key} is not supported by stagecraft deploy${table.why?.[e.key] ? `: ${table.why[e.key]}` : ''}`, path, e.keyLoc);
    else issues.error(`unknown ${what} property '${e.key}'${didYouMean(e.key, [...table.supported, ...table.unsupported, ...Object.keys(table.ignored)])}`, path, e.keyLoc);
  }
}

function checkEvents(issues: Issues, r: ActiveResource, strict: boolean): void {
  const events = get(r.properties, 'Events');
  if (!events) return;
  if (events.kind !== 'map') {
    issues.error('Events is a map of event names to event sources', events.path, events.loc);
    return;
  }
  for (const e of events.entries) {
    if (e.value.kind !== 'map') {
      issues.error('an event source is a map with Type and Properties', e.value.path, e.value.loc);
      continue;
    }
    for (const k of e.value.entries) {
      if (k.key !== 'Type' && k.key !== 'Properties') issues.error(`unknown event key '${k.key}'; an event has Type and Properties`, k.value.path, k.keyLoc);
    }
    const type = get(e.value, 'Type');
    const typeName = type?.kind === 'scalar' ? String(type.value) : undefined;
    const props = get(e.value, 'Properties');
    if (typeName === 'HttpApi') {
      if (props && props.kind !== 'map') issues.error('an HttpApi event\'s Properties is a map (Path, Method, ApiId, PayloadFormatVersion, TimeoutInMillis)', props.path, props.loc);
      else if (props) {
        checkTable(issues, props.entries, HTTP_API_EVENT_PROPERTIES, 'HttpApi event');
        const auth = mapEntries(get(props, 'Auth'));
        if (auth) checkTable(issues, auth, HTTP_API_EVENT_AUTH_PROPERTIES, 'HttpApi event Auth');
      }
      continue;
    }
    if (typeName && SERVICE_EVENT_TYPES.includes(typeName)) continue; // sam-service-events.ts
    if (typeName !== 'Api') {
      if (!typeName) issues.error('event needs a Type', e.value.path, e.keyLoc);
      else if (UNSUPPORTED_EVENT_TYPES.includes(typeName)) {
        if (strict) issues.error(`event type ${typeName} is not supported: stagecraft deploy wires Api and HttpApi events (without --strict, other events are skipped with a warning)`, type!.path, type!.loc);
        else issues.warn(skippedEventMessage(r.def.logicalId, e.key, typeName), e.value.path, e.keyLoc);
      }
      else issues.error(`unknown event type '${typeName}'${didYouMean(typeName, ['Api', 'HttpApi', ...SERVICE_EVENT_TYPES, ...UNSUPPORTED_EVENT_TYPES])}`, type!.path, type!.loc);
      continue;
    }
    if (!props || props.kind !== 'map') {
      issues.error('an Api event needs Properties with Path and Method', `${e.value.path}.Properties`, e.keyLoc);
      continue;
    }
    checkTable(issues, props.entries, API_EVENT_PROPERTIES, 'Api event');
    checkEventAuthKeys(issues, get(props, 'Auth'));
  }
}

/** A map's entries to check; anything else is left to auth-spec.ts, which reads the values and says what they should be. */
function mapEntries(node: TNode | undefined): MapEntry[] | undefined {
  return node?.kind === 'map' && !isIntrinsic(node) ? node.entries : undefined;
}

/** The Identity table of one authorizer (by its properties), or undefined when its type is unknown (auth-spec.ts says so). */
type IdentityTable = (props: MapEntry[]) => { table: PropertyTable; what: string } | undefined;

/** An Auth map: its own keys, each authorizer's, and each authorizer's Identity. */
function checkAuthKeys(issues: Issues, auth: TNode | undefined, tables: { auth: PropertyTable; what: string; authorizer: PropertyTable; identity: IdentityTable }): void {
  const entries = mapEntries(auth);
  if (!entries) return;
  checkTable(issues, entries, tables.auth, tables.what);
  for (const a of mapEntries(entries.find((e) => e.key === 'Authorizers')?.value) ?? []) {
    const props = mapEntries(a.value);
    if (!props) continue;
    checkTable(issues, props, tables.authorizer, `authorizer ${a.key}`);
    const identityTable = tables.identity(props);
    const identity = mapEntries(props.find((e) => e.key === 'Identity')?.value);
    if (identity && identityTable) checkTable(issues, identity, identityTable.table, identityTable.what);
  }
}

/** A REST API's Auth, whose Identity keys depend on the authorizer's kind (UserPoolArn, FunctionPayloadType). */
function checkApiAuthKeys(issues: Issues, auth: TNode | undefined): void {
  checkAuthKeys(issues, auth, {
    auth: API_AUTH_PROPERTIES, what: 'Auth', authorizer: AUTHORIZER_PROPERTIES,
    identity: (props) => {
      if (props.some((e) => e.key === 'UserPoolArn')) return { table: COGNITO_AUTHORIZER_IDENTITY_PROPERTIES, what: 'Cognito authorizer Identity' };
      const payload = props.find((e) => e.key === 'FunctionPayloadType')?.value;
      if (payload && !(payload.kind === 'scalar' && (payload.value === 'TOKEN' || payload.value === 'REQUEST'))) return undefined;
      const kind = payload?.kind === 'scalar' && payload.value === 'REQUEST' ? 'REQUEST' : 'TOKEN';
      return { table: AUTHORIZER_IDENTITY_PROPERTIES[kind], what: `${kind} authorizer Identity` };
    },
  });
}

/** An HttpApi's Auth; only Lambda authorizers have an Identity. */
function checkHttpApiAuthKeys(issues: Issues, auth: TNode | undefined): void {
  checkAuthKeys(issues, auth, {
    auth: HTTP_API_AUTH_PROPERTIES, what: 'HttpApi Auth', authorizer: HTTP_API_AUTHORIZER_PROPERTIES,
    identity: () => ({ table: HTTP_API_AUTHORIZER_IDENTITY_PROPERTIES, what: 'Lambda authorizer Identity' }),
  });
}

/** An Api event's Auth (api-events.ts reads only its Authorizer, so its shape is checked here). */
function checkEventAuthKeys(issues: Issues, auth: TNode | undefined): void {
  if (!auth || isIntrinsic(auth)) return;
  if (auth.kind !== 'map') issues.error('Auth is a map with Authorizer', auth.path, auth.loc);
  else checkTable(issues, auth.entries, API_EVENT_AUTH_PROPERTIES, 'Api event Auth');
}
