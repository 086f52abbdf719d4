// GetExport: the deployment a stage serves, exported as Swagger 2.0 or OpenAPI 3.0.1 in JSON or
// YAML (src/apigateway/openapi/export.ts writes the document), with the stage's documentation
// version when extensions=documentation asks for it.
import { stringify as toYaml } from 'yaml';
import type { HandlerTable } from '../../aws/protocols/rest-json.js';
import type { Operations } from '../../aws/generated/apigateway.js';
import { badRequest, deploymentNotFound, stageNotFound } from '../errors.js';
import { exportDocument, exportVersion, type Extension, type ExportType } from '../openapi/export.js';
import { applyDocumentation } from '../openapi/documentation-export.js';
import { requireApi, type Deps } from './context.js';

const EXPORT_TYPES: ExportType[] = ['oas30', 'swagger'];
const EXTENSIONS: Extension[] = ['integrations', 'authorizers', 'apigateway', 'documentation', 'postman'];

export function exportHandlers(deps: Deps): HandlerTable<Operations> {
  return {
    async GetExport(input, ctx) {
      const api = await requireApi(deps, ctx, input.restApiId);
      const type = input.exportType.toLowerCase() as ExportType;
      if (!EXPORT_TYPES.includes(type)) throw badRequest(`No API Export generator found for export type: ${input.exportType}. Valid options are ${EXPORT_TYPES.join(',')}`);
      const accepts = (input.accepts ?? 'application/json').split(',')[0].trim().toLowerCase();
      const yaml = accepts === 'application/yaml';
      if (!yaml && accepts !== 'application/json' && accepts !== '*/*') {
        throw badRequest(`Invalid accepts value: ${input.accepts}. Valid options are application/json,application/yaml`);
      }
      const extensions = new Set<Extension>();
      for (const e of (input.parameters?.extensions ?? '').split(',').map((s) => s.trim()).filter(Boolean)) {
        if (!EXTENSIONS.includes(e as Extension)) throw badRequest(`Invalid extensions value: ${e}. Valid options are ${EXTENSIONS.join(',')}`);
        extensions.add(e as Extension);
      }
      const stage = await deps.store.getStage(api.id, input.stageName);
      if (!stage) throw stageNotFound();
      const deployment = await deps.store.getDeployment(api.id, stage.deploymentId);
      if (!deployment) throw deploymentNotFound();
      const doc = exportDocument({ api, stageName: stage.stageName, snapshot: deployment.snapshot, deployedAt: deployment.createdDate, type, extensions });
      // The documentation published is the version the stage is associated with, if any; AWS's
      // guide: included by default, and with `extensions` given only when it names documentation.
      const documented = extensions.size === 0 || extensions.has('documentation');
      const version = documented && stage.documentationVersion !== undefined
        ? await deps.documentation.getVersion(api.id, stage.documentationVersion) : undefined;
      if (version) applyDocumentation(doc, version);
      const text = yaml ? toYaml(doc) : JSON.stringify(doc, null, 2);
      return {
        contentType: 'application/octet-stream',
        contentDisposition: `attachment; filename="${type}_${exportVersion(api, deployment.createdDate)}.${yaml ? 'yaml' : 'json'}"`,
        body: Buffer.from(text),
      };
    },
  };
}
