// Request validation of WebSocket messages: a route with requestModels checks each message against
// the model its modelSelectionExpression picks (model-selection.ts), as JSON Schema draft 4 with the
// same validator REST APIs use. A message that is no JSON or fails the schema is refused with AWS's
// "Invalid request body" and never reaches the integration. Schemas compile once per deployment.
import type { ValidateFunction } from 'ajv';
import { modelUri, newDraft4, rebaseRefs, type Draft4 } from '../../apigateway/model-schema.js';
import { selectModel } from '../../apigatewayv2/model-selection.js';
import type { ServedDeployment } from '../../apigatewayv2/runtime.js';
import type { RouteRecord } from '../../store/httpapi-store.js';

const compiled = new WeakMap<ServedDeployment, { ajv: Draft4; byName: Map<string, ValidateFunction | undefined> }>();

function validatorFor(deployment: ServedDeployment, apiId: string, name: string): ValidateFunction | undefined {
  let entry = compiled.get(deployment);
  if (!entry) {
    const ajv = newDraft4();
    for (const model of deployment.models) {
      try {
        ajv.addSchema(rebaseRefs(JSON.parse(model.schema), apiId) as object, modelUri(apiId, model.name));
      } catch {
        // CreateModel checked it; a schema that still fails validates nothing.
      }
    }
    entry = { ajv, byName: new Map() };
    compiled.set(deployment, entry);
  }
  if (!entry.byName.has(name)) {
    let fn: ValidateFunction | undefined;
    try {
      fn = entry.ajv.getSchema(modelUri(apiId, name));
    } catch {
      fn = undefined;
    }
    entry.byName.set(name, fn);
  }
  return entry.byName.get(name);
}

/** Why the message fails its route's model (a validation error string), or undefined when it passes or the route validates nothing. */
export function invalidMessage(deployment: ServedDeployment, apiId: string, route: RouteRecord, body: string): string | undefined {
  const name = selectModel(route, body);
  if (name === undefined) return undefined;
  const validate = validatorFor(deployment, apiId, name);
  if (!validate) return undefined;
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch {
    return 'the message is no JSON';
  }
  if (validate(json)) return undefined;
  return (validate.errors ?? []).map((e) => `${e.instancePath || '/'} ${e.message ?? 'is invalid'}`).join('; ');
}
