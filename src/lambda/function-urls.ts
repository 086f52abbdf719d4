// Function URL configs: Create/Get/Update/Delete FunctionUrlConfig and ListFunctionUrlConfigs,
// with AWS's checks and messages (recorded on AWS). A URL belongs to the unqualified function or
// to an alias — never to $LATEST or a version number (the model's pattern refuses those, and a
// qualifier taken from an ARN gets the same answer). Create and Update echo InvokeMode only once
// it has been set; Get and List show BUFFERED by default, as AWS does.
import type { HandlerTable } from '../aws/protocols/rest-json.js';
import type { Cors, FunctionUrlConfig, Operations } from '../aws/generated/lambda.js';
import type { RequestContext } from '../aws/request-context.js';
import type { ServiceModel } from '../aws/model.js';
import { awsError } from '../core/errors.js';
import type { FunctionUrlRecord } from '../store/lambda-store.js';
import type { LambdaDeps } from './deps.js';
import { arnOf, isVersionNumber, resolveRef, type FunctionRef } from './names.js';
import { functionUrlOf, newUrlId } from './function-url-address.js';
import { pageAfter } from './paging.js';

type H = HandlerTable<Operations>;

const DEFAULT_PAGE = 50;
const QUALIFIER_PATTERN = '((?!^\\d+$)^[0-9a-zA-Z-_]+$)';

const functionDoesNotExist = () => awsError('ResourceNotFoundException', 'Function does not exist');
const resourceDoesNotExist = () => awsError('ResourceNotFoundException', 'The resource you requested does not exist.');

/** The URL's qualifier key ('' = the unqualified function); $LATEST and version numbers are refused as the model refuses them. */
function urlQualifier(ref: FunctionRef): string {
  const q = ref.qualifier;
  if (q === undefined) return '';
  if (q === '$LATEST' || isVersionNumber(q) || !/^[0-9a-zA-Z-_]+$/.test(q)) {
    throw awsError('ValidationException', `1 validation error detected: Value '${q}' at 'qualifier' failed to satisfy constraint: Member must satisfy regular expression pattern: ${QUALIFIER_PATTERN}`);
  }
  return q;
}

/** True when the function exists and, for an alias URL, so does the alias. */
async function targetExists(deps: LambdaDeps, ref: FunctionRef, qualifier: string): Promise<boolean> {
  if (!(await deps.store.getFunction(ref))) return false;
  return qualifier === '' || Boolean(await deps.store.getAlias(ref, qualifier));
}

interface View {
  FunctionUrl: string;
  FunctionArn: string;
  AuthType: 'NONE' | 'AWS_IAM';
  Cors?: Cors;
  CreationTime: string;
  LastModifiedTime?: string;
  InvokeMode?: 'BUFFERED' | 'RESPONSE_STREAM';
}

function view(ctx: RequestContext, r: FunctionUrlRecord, shape: 'create' | 'update' | 'full'): View {
  const out: View = {
    FunctionUrl: functionUrlOf(r.urlId, r.region, ctx.baseUrl),
    FunctionArn: arnOf(r, r.qualifier || undefined),
    AuthType: r.authType,
    Cors: r.cors,
    CreationTime: r.creationTime,
  };
  if (shape !== 'create') out.LastModifiedTime = r.lastModifiedTime;
  out.InvokeMode = shape === 'full' ? (r.invokeMode ?? 'BUFFERED') : r.invokeMode;
  return out;
}

/** AWS lists InvokeMode's values in its own order when it refuses one (recorded). */
export function withFunctionUrlConstraints(model: ServiceModel): ServiceModel {
  return { ...model, shapes: { ...model.shapes, InvokeMode: { ...model.shapes.InvokeMode, enum: ['RESPONSE_STREAM', 'BUFFERED'] } } };
}

export function functionUrlHandlers(deps: LambdaDeps): H {
  const { store } = deps;
  return {
    async CreateFunctionUrlConfig(input, ctx) {
      const ref = resolveRef(ctx, input.FunctionName, input.Qualifier);
      const qualifier = urlQualifier(ref);
      if (!(await targetExists(deps, ref, qualifier))) throw functionDoesNotExist();
      const now = new Date().toISOString();
      const record: FunctionUrlRecord = {
        accountId: ref.accountId, region: ref.region, name: ref.name, qualifier, urlId: newUrlId(),
        authType: input.AuthType, cors: input.Cors, invokeMode: input.InvokeMode, creationTime: now, lastModifiedTime: now,
      };
      const result = await store.createFunctionUrlConfig(record);
      if (result === 'not-found') throw functionDoesNotExist();
      if (result === 'conflict') {
        throw awsError('ResourceConflictException', `Failed to create function url config for [functionArn = ${arnOf(ref, qualifier || undefined)}]. Error message:  FunctionUrlConfig exists for this Lambda function`);
      }
      return view(ctx, record, 'create');
    },

    async GetFunctionUrlConfig(input, ctx) {
      const ref = resolveRef(ctx, input.FunctionName, input.Qualifier);
      // A config whose alias is gone is still found (AWS keeps it), so it can be read and deleted.
      const record = await store.getFunctionUrlConfig(ref, urlQualifier(ref));
      if (!record) throw resourceDoesNotExist();
      return view(ctx, record, 'full') as FunctionUrlConfig;
    },

    async UpdateFunctionUrlConfig(input, ctx) {
      const ref = resolveRef(ctx, input.FunctionName, input.Qualifier);
      const qualifier = urlQualifier(ref);
      if (!(await targetExists(deps, ref, qualifier))) throw functionDoesNotExist();
      const record = await store.updateFunctionUrlConfig(ref, qualifier, (current) => ({
        ...current,
        authType: input.AuthType ?? current.authType,
        cors: input.Cors ?? current.cors,
        invokeMode: input.InvokeMode ?? current.invokeMode,
        lastModifiedTime: new Date().toISOString(),
      }));
      if (!record) throw resourceDoesNotExist();
      return view(ctx, record, 'update') as FunctionUrlConfig;
    },

    async DeleteFunctionUrlConfig(input, ctx) {
      const ref = resolveRef(ctx, input.FunctionName, input.Qualifier);
      if (!(await store.deleteFunctionUrlConfig(ref, urlQualifier(ref)))) throw resourceDoesNotExist();
    },

    async ListFunctionUrlConfigs(input, ctx) {
      const ref = resolveRef(ctx, input.FunctionName);
      if (!(await store.getFunction(ref))) throw functionDoesNotExist();
      const page = pageAfter(await store.listFunctionUrlConfigs(ref), (r) => `:${r.qualifier}`, input.Marker, input.MaxItems ?? DEFAULT_PAGE);
      return { FunctionUrlConfigs: page.items.map((r) => view(ctx, r, 'full') as FunctionUrlConfig), NextMarker: page.nextMarker };
    },
  };
}
