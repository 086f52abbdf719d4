// The layers of a stack in a deploy: packaging each LayerVersion's content with the functions' code,
// and deploying one (read in the deploy's scope) when the dependency order reaches it.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { FunctionContext } from './functions.js';
import type { Issues } from './issues.js';
import type { Scope } from './intrinsics.js';
import { layerSpec, type LayerSpec } from './layer-spec.js';
import { deployLayer, type DeployedLayer } from './layers.js';
import { packageOnce, PackageError, type CodePackage } from './package.js';
import type { ActiveResource, StackModel } from './stack-model.js';

/** Where runtimes find a layer's content under /opt (Node.js, Python, Java, Ruby, binaries, libraries, extensions). */
const LAYER_DIRECTORIES = ['nodejs', 'python', 'java', 'ruby', 'bin', 'lib', 'extensions'];

/** Packages each layer's content into `packages` (by logical ID); a packaging problem is a located error. */
export async function packageLayers(layers: LayerSpec[], packages: Map<string, CodePackage>, issues: Issues, packaged?: Map<string, CodePackage>): Promise<void> {
  for (const l of layers) {
    try {
      packages.set(l.logicalId, await packageOnce(l.code, packaged));
      const code = l.code;
      if (code.kind === 'directory' && !LAYER_DIRECTORIES.some((d) => existsSync(join(code.path, d)))) {
        issues.warn(`${l.code.display} has none of ${LAYER_DIRECTORIES.map((d) => `${d}/`).join(', ')} at its top: Lambda extracts a layer into /opt, and runtimes look for modules in /opt/nodejs/node_modules, /opt/python and the like`, l.code.templatePath, l.code.loc);
      }
    } catch (e) {
      if (!(e instanceof PackageError)) throw e;
      issues.error(e.message, l.code.templatePath, l.code.loc);
    }
  }
}

export async function deployStackLayer(model: StackModel, r: ActiveResource, scope: Scope, packages: Map<string, CodePackage>, ctx: FunctionContext): Promise<DeployedLayer> {
  const spec = layerSpec(model, r, scope);
  return ctx.step(spec.logicalId, `deploying layer ${spec.name}`, () => deployLayer(ctx, spec, packages.get(spec.logicalId)!));
}
