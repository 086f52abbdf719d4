// CreateDocumentationVersion, GetDocumentationVersion(s), UpdateDocumentationVersion and
// DeleteDocumentationVersion: a version is a frozen copy of the API's documentation parts as they
// were when it was created. Created with a stage name, it also becomes that stage's
// documentationVersion (what GetExport's extensions=documentation exports).
import type { HandlerTable } from '../../aws/protocols/rest-json.js';
import type { DocumentationVersion, Operations } from '../../aws/generated/apigateway.js';
import type { DocumentationVersionSummary } from '../../store/apigateway-documentation-store.js';
import { badRequest, conflict, invalidPathForReplace, notFound, stageNotFound, unsupportedOpForPath } from '../errors.js';
import { listPage, requireApi, withApiLock, type Deps } from './context.js';

/** Worded after AWS's recorded answer for a missing documentation part. */
const versionNotFound = () => notFound('Invalid Documentation version identifier specified');

const versionView = (v: DocumentationVersionSummary): DocumentationVersion => ({
  version: v.version, createdDate: new Date(v.createdDate), ...(v.description !== undefined ? { description: v.description } : {}),
});

export function documentationVersionHandlers(deps: Deps): HandlerTable<Operations> {
  return {
    async CreateDocumentationVersion(input, ctx) {
      return withApiLock(deps, input.restApiId, async () => {
        const apiId = input.restApiId;
        await requireApi(deps, ctx, apiId);
        const stage = input.stageName === undefined ? undefined : await deps.store.getStage(apiId, input.stageName);
        if (input.stageName !== undefined && !stage) throw stageNotFound();
        const version = { version: input.documentationVersion, createdDate: deps.now(), parts: await deps.documentation.listParts(apiId),
          ...(input.description !== undefined ? { description: input.description } : {}) };
        if (!(await deps.documentation.createVersion(apiId, version))) throw conflict(`Documentation version already exists: ${input.documentationVersion}`);
        if (stage) await deps.store.updateStage(apiId, { ...stage, documentationVersion: version.version, lastUpdatedDate: Math.max(deps.now(), stage.lastUpdatedDate) });
        return versionView(version);
      });
    },

    async GetDocumentationVersion(input, ctx) {
      await requireApi(deps, ctx, input.restApiId);
      const version = await deps.documentation.getVersion(input.restApiId, input.documentationVersion);
      if (!version) throw versionNotFound();
      return versionView(version);
    },

    async GetDocumentationVersions(input, ctx) {
      await requireApi(deps, ctx, input.restApiId);
      return listPage(await deps.documentation.listVersions(input.restApiId), input, versionView);
    },

    async UpdateDocumentationVersion(input, ctx) {
      return withApiLock(deps, input.restApiId, async () => {
        await requireApi(deps, ctx, input.restApiId);
        const version = await deps.documentation.getVersion(input.restApiId, input.documentationVersion);
        if (!version) throw versionNotFound();
        for (const op of input.patchOperations ?? []) {
          const path = op.path ?? '';
          if (op.op !== 'replace') throw unsupportedOpForPath(path, op.op ?? 'null');
          if (path !== '/description') throw invalidPathForReplace(path, ['/description']);
          if (op.value === undefined || op.value === '') delete version.description;
          else version.description = op.value;
        }
        await deps.documentation.updateVersionDescription(input.restApiId, version.version, version.description);
        return versionView(version);
      });
    },

    async DeleteDocumentationVersion(input, ctx) {
      await withApiLock(deps, input.restApiId, async () => {
        await requireApi(deps, ctx, input.restApiId);
        if (!(await deps.documentation.getVersion(input.restApiId, input.documentationVersion))) throw versionNotFound();
        // A stage publishes its version: it is not deleted from under the stage (our choice; AWS does not document it).
        const user = (await deps.store.listStages(input.restApiId)).find((s) => s.documentationVersion === input.documentationVersion);
        if (user) throw badRequest(`Documentation version ${input.documentationVersion} is associated with stage ${user.stageName}`);
        await deps.documentation.deleteVersion(input.restApiId, input.documentationVersion);
      });
    },
  };
}
