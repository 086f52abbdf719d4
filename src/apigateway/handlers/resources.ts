// CreateResource, GetResource, GetResources (embed=methods), UpdateResource, DeleteResource.
// The tree rules AWS enforces: unique names among siblings, at most one variable ({x} or {x+})
// among siblings, nothing below a greedy {x+}, no cycles, and the root stays where it is.
import type { HandlerTable } from '../../aws/protocols/rest-json.js';
import type { Operations } from '../../aws/generated/apigateway.js';
import type { ResourceRecord } from '../../store/apigateway-store.js';
import { newShortId } from '../../core/ids.js';
import { badRequest, conflict, invalidPathForReplace, resourceNotFound, unsupportedOpForPath } from '../errors.js';
import { pathSegments } from '../patch.js';
import { resourceView } from '../views.js';
import { listPage, requireApi, requireResource, withApiLock, type Deps } from './context.js';

const LITERAL_PART = /^[a-zA-Z0-9._\-:]+$/;
const VARIABLE_PART = /^\{[a-zA-Z0-9._-]+\+?\}$/;

export const isVariablePart = (pathPart: string | undefined) => pathPart !== undefined && pathPart.startsWith('{');
export const isGreedyPart = (pathPart: string | undefined) => pathPart !== undefined && pathPart.endsWith('+}');

const childPath = (parent: ResourceRecord, pathPart: string) => (parent.path === '/' ? `/${pathPart}` : `${parent.path}/${pathPart}`);

function checkPathPart(pathPart: string): void {
  if (!pathPart) throw badRequest("Resource's path part must be specified");
  if (!LITERAL_PART.test(pathPart) && !VARIABLE_PART.test(pathPart)) {
    throw badRequest("Resource's path part only allow a-zA-Z0-9._- and curly braces at the beginning and the end and an optional plus sign before the closing brace.");
  }
}

/** Can a resource named `pathPart` (with id `selfId`, when it exists) live under `parent`? Throws AWS's answer if not. */
export function checkPlacement(parent: ResourceRecord, pathPart: string, siblings: ResourceRecord[], selfId?: string): void {
  if (isGreedyPart(parent.pathPart)) throw badRequest(`Cannot create a child of a resource with a greedy path variable: ${parent.pathPart}`);
  const others = siblings.filter((s) => s.id !== selfId);
  if (others.some((s) => s.pathPart === pathPart)) throw conflict(`Another resource with the same parent already has this name: ${pathPart}`);
  if (isVariablePart(pathPart)) {
    const variable = others.find((s) => isVariablePart(s.pathPart));
    if (variable) throw badRequest(`A sibling (${variable.pathPart}) of this resource already has a variable path part -- only one is allowed`);
  }
}

export function resourceHandlers(deps: Deps): HandlerTable<Operations> {
  return {
    async CreateResource(input, ctx) {
      return withApiLock(deps, input.restApiId, async () => {
        const { resource: parent } = await requireResource(deps, ctx, input.restApiId, input.parentId);
        checkPathPart(input.pathPart);
        const all = await deps.store.listResources(input.restApiId);
        checkPlacement(parent, input.pathPart, all.filter((r) => r.parentId === parent.id));
        const resource: ResourceRecord = { id: newShortId(), parentId: parent.id, pathPart: input.pathPart, path: childPath(parent, input.pathPart) };
        while (all.some((r) => r.id === resource.id)) resource.id = newShortId();
        await deps.store.createResource(input.restApiId, resource);
        return resourceView(resource, [], false);
      });
    },

    async GetResource(input, ctx) {
      const { resource } = await requireResource(deps, ctx, input.restApiId, input.resourceId);
      const methods = await deps.store.listMethods(input.restApiId, resource.id);
      return resourceView(resource, methods.map((m) => m.method), input.embed?.includes('methods') ?? false);
    },

    async GetResources(input, ctx) {
      await requireApi(deps, ctx, input.restApiId);
      const [resources, methods] = await Promise.all([deps.store.listResources(input.restApiId), deps.store.listMethods(input.restApiId)]);
      const embed = input.embed?.includes('methods') ?? false;
      return listPage(resources, input, (r) => resourceView(r, methods.filter((m) => m.resourceId === r.id).map((m) => m.method), embed));
    },

    async UpdateResource(input, ctx) {
      return withApiLock(deps, input.restApiId, async () => {
        const { resource } = await requireResource(deps, ctx, input.restApiId, input.resourceId);
        const all = await deps.store.listResources(input.restApiId);
        const byId = new Map(all.map((r) => [r.id, r]));
        let parentId = resource.parentId;
        let pathPart = resource.pathPart;
        for (const op of input.patchOperations ?? []) {
          const path = op.path ?? 'null';
          if (op.op !== 'replace') throw unsupportedOpForPath(path, op.op ?? 'null');
          const segments = pathSegments(op.path);
          const field = segments?.length === 1 ? segments[0] : undefined;
          if (field !== 'parentId' && field !== 'pathPart') throw invalidPathForReplace(path, ['/parentId', '/pathPart']);
          if (resource.parentId === undefined) throw badRequest(`Root resource cannot update its ${field}.`);
          if (field === 'pathPart') {
            checkPathPart(op.value ?? '');
            pathPart = op.value;
          } else {
            const parent = op.value === undefined ? undefined : byId.get(op.value);
            if (!parent) throw resourceNotFound();
            for (let p: ResourceRecord | undefined = parent; p; p = p.parentId === undefined ? undefined : byId.get(p.parentId)) {
              if (p.id === resource.id) throw badRequest('Resources cannot be cyclical.');
            }
            parentId = parent.id;
          }
        }
        if (parentId === resource.parentId && pathPart === resource.pathPart) return resourceView(resource, [], false);
        const parent = byId.get(parentId!)!;
        checkPlacement(parent, pathPart!, all.filter((r) => r.parentId === parent.id), resource.id);
        if (isGreedyPart(pathPart) && all.some((r) => r.parentId === resource.id)) {
          throw badRequest(`Cannot create a child of a resource with a greedy path variable: ${pathPart}`);
        }
        const moved: ResourceRecord = { id: resource.id, parentId, pathPart, path: childPath(parent, pathPart!) };
        await deps.store.moveResource(input.restApiId, resource.id, parentId!, pathPart!, moved.path);
        return resourceView(moved, [], false);
      });
    },

    async DeleteResource(input, ctx) {
      await withApiLock(deps, input.restApiId, async () => {
        const { api, resource } = await requireResource(deps, ctx, input.restApiId, input.resourceId);
        if (resource.id === api.rootResourceId) throw badRequest('Cannot delete the root resource.');
        await deps.store.deleteResource(input.restApiId, resource.id);
      });
    },
  };
}
