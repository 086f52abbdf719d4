// CreateDocumentationPart, GetDocumentationPart(s), UpdateDocumentationPart,
// DeleteDocumentationPart and ImportDocumentationParts: content attached to a location in an API
// (src/apigateway/documentation-location.ts has the location rules). One part per location;
// messages are AWS's where recorded (404s, patch paths) or documented (the 409).
import type { HandlerTable } from '../../aws/protocols/rest-json.js';
import type { Operations } from '../../aws/generated/apigateway.js';
import { newShortId } from '../../core/ids.js';
import type { DocumentationPartRecord } from '../../store/apigateway-documentation-store.js';
import { locationKey } from '../../store/apigateway-documentation-store.js';
import { badRequest, notFound, unsupportedOpForPath, invalidPathForReplace } from '../errors.js';
import { canonicalLocation, checkProperties, isDocumented, partExists, partView } from '../documentation-location.js';
import { isObject, parseJsonOrYaml, type JsonObject } from '../openapi/document.js';
import { readDocumentationParts, type DocumentationEntry } from '../openapi/documentation.js';
import { importWarnings } from '../openapi/import.js';
import { listPage, requireApi, withApiLock, type Deps } from './context.js';

export const partNotFound = () => notFound('Invalid Documentation part identifier specified');
/** AWS's answer to an ImportDocumentationParts body that is neither JSON nor YAML (recorded for both). */
const unreadableImport = () => badRequest('Unable to build importer with provided input.');

async function requirePart(deps: Deps, apiId: string, id: string): Promise<DocumentationPartRecord> {
  const part = await deps.documentation.getPart(apiId, id);
  if (!part) throw partNotFound();
  return part;
}

/**
 * Writes imported parts to an API. Overwrite: they replace all its parts, under new ids. Merge: a
 * part at a location the API documents keeps its id, its properties taking the imported
 * top-level attributes over its own; the others are added. Returns the ids of the imported parts.
 */
export async function importParts(deps: Deps, apiId: string, entries: DocumentationEntry[], overwrite: boolean): Promise<string[]> {
  const existing = overwrite ? new Map<string, DocumentationPartRecord>() : new Map((await deps.documentation.listParts(apiId)).map((p) => [locationKey(p.location), p]));
  const parts = entries.map(({ location, properties }): DocumentationPartRecord => {
    const old = existing.get(locationKey(location));
    if (!old) return { id: newShortId(6), location, properties };
    return { ...old, properties: mergedProperties(old.properties, properties) };
  });
  await deps.documentation.putParts(apiId, parts, overwrite);
  return parts.map((p) => p.id);
}

function mergedProperties(old: string, imported: string): string {
  try {
    const [a, b] = [JSON.parse(old) as unknown, JSON.parse(imported) as unknown];
    return isObject(a) && isObject(b) ? JSON.stringify({ ...a, ...b }) : imported;
  } catch {
    return imported;
  }
}

function parseImportBody(body: Buffer | undefined): JsonObject {
  const root = parseJsonOrYaml(body, unreadableImport);
  if (!isObject(root) || (root.swagger === undefined && root.openapi === undefined)) throw unreadableImport();
  return root;
}

export function documentationPartHandlers(deps: Deps): HandlerTable<Operations> {
  return {
    async CreateDocumentationPart(input, ctx) {
      return withApiLock(deps, input.restApiId, async () => {
        await requireApi(deps, ctx, input.restApiId);
        const location = canonicalLocation(input.location);
        const part: DocumentationPartRecord = { id: newShortId(6), location, properties: checkProperties(input.properties) };
        if (!(await deps.documentation.createPart(input.restApiId, part))) throw partExists(location);
        return partView(part);
      });
    },

    async GetDocumentationPart(input, ctx) {
      // AWS answers a missing API here with the part's 404 (recorded).
      await requireApi(deps, ctx, input.restApiId, partNotFound);
      return partView(await requirePart(deps, input.restApiId, input.documentationPartId));
    },

    async GetDocumentationParts(input, ctx) {
      await requireApi(deps, ctx, input.restApiId);
      const query = input.nameQuery?.toLowerCase();
      const parts = (await deps.documentation.listParts(input.restApiId)).filter((p) => (!input.type || p.location.type === input.type)
        && (input.path === undefined || p.location.path === input.path)
        && (query === undefined || (p.location.name ?? '').toLowerCase().includes(query))
        && (!input.locationStatus || isDocumented(p) === (input.locationStatus === 'DOCUMENTED')));
      return listPage(parts, input, partView);
    },

    async UpdateDocumentationPart(input, ctx) {
      return withApiLock(deps, input.restApiId, async () => {
        await requireApi(deps, ctx, input.restApiId, partNotFound);
        const part = await requirePart(deps, input.restApiId, input.documentationPartId);
        for (const op of input.patchOperations ?? []) {
          const path = op.path ?? '';
          if (op.op !== 'replace') throw unsupportedOpForPath(path, op.op ?? 'null');
          if (path !== '/properties') throw invalidPathForReplace(path, ['/properties']);
          part.properties = checkProperties(op.value);
        }
        await deps.documentation.updatePart(input.restApiId, part.id, part.properties);
        return partView(part);
      });
    },

    async DeleteDocumentationPart(input, ctx) {
      await withApiLock(deps, input.restApiId, async () => {
        await requireApi(deps, ctx, input.restApiId);
        if (!(await deps.documentation.deletePart(input.restApiId, input.documentationPartId))) throw partNotFound();
      });
    },

    async ImportDocumentationParts(input, ctx) {
      return withApiLock(deps, input.restApiId, async () => {
        await requireApi(deps, ctx, input.restApiId);
        const { entries, warnings } = readDocumentationParts(parseImportBody(input.body));
        if (input.failOnWarnings && warnings.length) throw importWarnings(warnings);
        const ids = await importParts(deps, input.restApiId, entries, input.mode === 'overwrite');
        return warnings.length ? { ids, warnings } : { ids };
      });
    },
  };
}
