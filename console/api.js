// The console's client for the server's own AWS APIs: Lambda (REST-JSON, /2015-03-31/…),
// API Gateway (/restapis…, /domainnames…, and /v2/apis… for HTTP and WebSocket APIs), CloudWatch
// Logs and CloudWatch metrics (JSON over POST /), over fetch from the same origin. No signing: by default the server
// accepts unsigned requests; when it verifies signatures, the console signs in once
// (/_stagecraft/session) and its requests carry the session cookie and the X-Stagecraft-Console
// header instead. A region other than the server's default is chosen the way AWS clients do, by
// the credential scope of an Authorization header (the server reads only the scope).
// Promote and rollback follow `stagecraft promote` / `stagecraft rollback` step by step, with the
// same alias history tag, so the console and the CLI can be used interchangeably; canary
// promotion sends the UpdateStage operations model.js plans (stage promotion: stage-actions.js).
import {
  checkPromotion, ConsoleError, errorTypeOf, formatHistory, historyTag, parseHistory, planCanaryRemoval, planPromotion, planRollback,
  sameState, stateOf, advanceFollow, streamFilter, versionsOfQualifier,
} from './model.js';
import { canaryMetricRows, canaryMetricsQuery } from './canary-metrics.js';
import { metricsQuery, metricsView } from './metrics-model.js';

/** An AWS error answer: type (x-amzn-ErrorType), message, HTTP status. */
export class AwsError extends Error {
  constructor(type, message, status) {
    super(message);
    this.name = 'AwsError';
    this.type = type;
    this.status = status;
  }
}

const API_GATEWAY_PRINCIPAL = 'apigateway.amazonaws.com';
/** The statement ID AWS's own console gives the public grant of a NONE function URL. */
const PUBLIC_URL_STATEMENT = 'FunctionURLAllowPublicAccess';
const enc = encodeURIComponent;

/**
 * @param {{ baseUrl?: string, region?: string, fetch?: typeof fetch }} options
 *   baseUrl: the server ('' in the browser: same origin); region: '' for the server's default.
 */
export function createClient(options = {}) {
  const base = options.baseUrl ?? '';
  const doFetch = options.fetch ?? ((...args) => fetch(...args));
  const state = { region: options.region ?? '' };

  async function call(service, method, path, { query, body, headers = {}, raw = false } = {}) {
    const qs = query ? Object.entries(query).filter(([, v]) => v !== undefined && v !== '') : [];
    const url = `${base}${path}${qs.length ? `?${new URLSearchParams(qs).toString()}` : ''}`;
    const h = { 'X-Stagecraft-Console': '1', ...headers };
    if (state.region) {
      h.Authorization = `AWS4-HMAC-SHA256 Credential=console/20240101/${state.region}/${service}/aws4_request, SignedHeaders=host, Signature=0`;
    }
    if (body !== undefined && !h['Content-Type']) h['Content-Type'] = 'application/json';
    let res;
    try {
      res = await doFetch(url, { method, headers: h, body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body) });
    } catch (e) {
      throw new AwsError('NetworkError', `could not reach the server (${e instanceof Error ? e.message : e})`, 0);
    }
    const text = await res.text();
    if (!res.ok) {
      let parsed;
      try {
        parsed = JSON.parse(text);
      } catch {
        parsed = undefined;
      }
      const message = parsed?.message ?? parsed?.Message ?? parsed?.errorMessage ?? (text || res.statusText);
      throw new AwsError(errorTypeOf(res.headers.get('x-amzn-ErrorType'), parsed), message, res.status);
    }
    if (raw) return { text, headers: res.headers, status: res.status };
    return text ? JSON.parse(text) : {};
  }

  const lambda = (method, path, opts) => call('lambda', method, path, opts);
  /** CloudWatch Logs speaks JSON 1.1: POST / with the operation in X-Amz-Target. */
  const logs = (operation, body) => call('logs', 'POST', '/', {
    body, headers: { 'X-Amz-Target': `Logs_20140328.${operation}`, 'Content-Type': 'application/x-amz-json-1.1' },
  });
  const apigw = (method, path, opts) => call('apigateway', method, path, opts);
  /** CloudWatch metrics over AWS JSON 1.0, as SDK v3 sends them: POST / with the operation in X-Amz-Target. */
  const monitoring = (operation, body) => call('monitoring', 'POST', '/', {
    body, headers: { 'X-Amz-Target': `GraniteServiceVersion20100801.${operation}`, 'Content-Type': 'application/x-amz-json-1.0' },
  });

  /** Follows NextMarker pages of a Lambda list. */
  async function listAll(path, key, query = {}) {
    const items = [];
    let marker;
    do {
      const out = await lambda('GET', path, { query: { ...query, Marker: marker } });
      items.push(...(out[key] ?? []));
      marker = out.NextMarker;
    } while (marker);
    return items;
  }

  /** Follows `position` pages of an API Gateway list. */
  async function listItems(path) {
    const items = [];
    let position;
    do {
      const out = await apigw('GET', path, { query: { position, limit: '500' } });
      items.push(...(out.item ?? []));
      position = out.position;
    } while (position);
    return items;
  }

  /** Follows `nextToken` pages of an API Gateway v2 list. */
  async function listV2(path) {
    const items = [];
    let nextToken;
    do {
      const out = await apigw('GET', path, { query: { nextToken, maxResults: '500' } });
      items.push(...(out.items ?? []));
      nextToken = out.nextToken;
    } while (nextToken);
    return items;
  }

  /** The console's sign-in: GET state, POST a key and secret, DELETE to sign out. */
  async function sessionCall(method, body) {
    const res = await doFetch(`${base}/_stagecraft/session`, {
      method, headers: { 'X-Stagecraft-Console': '1', 'Content-Type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body),
    });
    const parsed = await res.json().catch(() => ({}));
    if (!res.ok) throw new AwsError('SignInFailed', parsed.message ?? res.statusText, res.status);
    return parsed;
  }

  const api = {
    session: () => sessionCall('GET'),
    signIn: (accessKeyId, secretAccessKey) => sessionCall('POST', { accessKeyId, secretAccessKey }),
    signOut: () => sessionCall('DELETE'),

    get region() {
      return state.region;
    },
    set region(r) {
      state.region = r;
    },

    listFunctions: () => listAll('/2015-03-31/functions/', 'Functions'),
    getFunction: (name) => lambda('GET', `/2015-03-31/functions/${enc(name)}`),
    getFunctionConfiguration: (name, qualifier) => lambda('GET', `/2015-03-31/functions/${enc(name)}/configuration`, { query: { Qualifier: qualifier } }),
    listAliases: (name) => listAll(`/2015-03-31/functions/${enc(name)}/aliases`, 'Aliases'),
    listVersions: (name) => listAll(`/2015-03-31/functions/${enc(name)}/versions`, 'Versions'),
    publishVersion: (name, description) => lambda('POST', `/2015-03-31/functions/${enc(name)}/versions`, { body: description ? { Description: description } : {} }),

    async getAlias(name, alias) {
      try {
        return await lambda('GET', `/2015-03-31/functions/${enc(name)}/aliases/${enc(alias)}`);
      } catch (e) {
        if (e instanceof AwsError && e.type === 'ResourceNotFoundException') return undefined;
        throw e;
      }
    },
    createAlias: (name, alias, version, weights) => lambda('POST', `/2015-03-31/functions/${enc(name)}/aliases`, {
      body: { Name: alias, FunctionVersion: version, ...(Object.keys(weights).length ? { RoutingConfig: { AdditionalVersionWeights: weights } } : {}) },
    }),
    updateAlias: (name, alias, version, weights, revisionId) => lambda('PUT', `/2015-03-31/functions/${enc(name)}/aliases/${enc(alias)}`, {
      body: { FunctionVersion: version, RoutingConfig: { AdditionalVersionWeights: weights }, RevisionId: revisionId },
    }),

    deleteAlias: (name, alias) => lambda('DELETE', `/2015-03-31/functions/${enc(name)}/aliases/${enc(alias)}`),

    listTags: async (arn) => (await lambda('GET', `/2017-03-31/tags/${enc(arn)}`)).Tags ?? {},
    tagResource: (arn, tags) => lambda('POST', `/2017-03-31/tags/${enc(arn)}`, { body: { Tags: tags } }),
    untagResource: (arn, keys) => lambda('DELETE', `/2017-03-31/tags/${enc(arn)}`, { query: { tagKeys: keys.join(',') } }),

    async getPolicyStatements(name, qualifier) {
      try {
        const out = await lambda('GET', `/2015-03-31/functions/${enc(name)}/policy`, { query: { Qualifier: qualifier } });
        return JSON.parse(out.Policy ?? '{}').Statement ?? [];
      } catch (e) {
        if (e instanceof AwsError && e.type === 'ResourceNotFoundException') return [];
        throw e;
      }
    },
    addPermission: (name, qualifier, statement) => lambda('POST', `/2015-03-31/functions/${enc(name)}/policy`, { query: { Qualifier: qualifier }, body: statement }),

    /** Invokes synchronously with the log tail; returns result text, executed version, error, log, request ID. */
    async invoke(name, qualifier, payload) {
      const out = await lambda('POST', `/2015-03-31/functions/${enc(name)}/invocations`, {
        query: { Qualifier: qualifier }, body: payload, headers: { 'X-Amz-Invocation-Type': 'RequestResponse', 'X-Amz-Log-Type': 'Tail' }, raw: true,
      });
      return {
        status: out.status,
        payload: out.text,
        executedVersion: out.headers.get('x-amz-executed-version') ?? '',
        requestId: out.headers.get('x-amzn-requestid') ?? '',
        functionError: out.headers.get('x-amz-function-error') ?? '',
        logResult: out.headers.get('x-amz-log-result') ?? '',
      };
    },

    // Function URLs and provisioned concurrency ('' as the qualifier: the unqualified function).
    listFunctionUrls: (name) => listAll(`/2021-10-31/functions/${enc(name)}/urls`, 'FunctionUrlConfigs'),
    createFunctionUrl: (name, qualifier, authType) => lambda('POST', `/2021-10-31/functions/${enc(name)}/url`, { query: { Qualifier: qualifier }, body: { AuthType: authType } }),
    listProvisionedConcurrency: (name) => listAll(`/2019-09-30/functions/${enc(name)}/provisioned-concurrency`, 'ProvisionedConcurrencyConfigs', { List: 'ALL' }),
    putProvisionedConcurrency: (name, qualifier, count) => lambda('PUT', `/2019-09-30/functions/${enc(name)}/provisioned-concurrency`, {
      query: { Qualifier: qualifier }, body: { ProvisionedConcurrentExecutions: count },
    }),
    deleteProvisionedConcurrency: (name, qualifier) => lambda('DELETE', `/2019-09-30/functions/${enc(name)}/provisioned-concurrency`, { query: { Qualifier: qualifier } }),

    listRestApis: () => listItems('/restapis'),
    getStages: async (apiId) => (await apigw('GET', `/restapis/${enc(apiId)}/stages`)).item ?? [],
    getDeployments: (apiId) => listItems(`/restapis/${enc(apiId)}/deployments`),
    getModels: (apiId) => listItems(`/restapis/${enc(apiId)}/models`),
    getRequestValidators: (apiId) => listItems(`/restapis/${enc(apiId)}/requestvalidators`),
    getGatewayResponses: (apiId) => listItems(`/restapis/${enc(apiId)}/gatewayresponses`),
    /** GetExport of a stage as OpenAPI 3.0 JSON: the document's text; `extensions` e.g. 'integrations'. */
    getExport: async (apiId, stage, extensions) => (await apigw('GET', `/restapis/${enc(apiId)}/stages/${enc(stage)}/exports/oas30`, {
      query: { extensions }, headers: { Accept: 'application/json' }, raw: true,
    })).text,
    getDeployment: (apiId, deploymentId) => apigw('GET', `/restapis/${enc(apiId)}/deployments/${enc(deploymentId)}`),
    /** Tags of a REST API resource (a stage: arn:aws:apigateway:{region}::/restapis/{id}/stages/{name}). */
    getRestTags: async (arn) => (await apigw('GET', `/tags/${enc(arn)}`)).tags ?? {},
    tagRestResource: (arn, tags) => apigw('PUT', `/tags/${enc(arn)}`, { body: { tags } }),
    untagRestResource: (arn, keys) => apigw('DELETE', `/tags/${enc(arn)}`, { query: { tagKeys: keys.join(',') } }),
    /** CreateDeployment to a stage; with `canaryPercent` the deployment goes to the stage's canary instead. */
    createDeployment: (apiId, stageName, description, canaryPercent) => apigw('POST', `/restapis/${enc(apiId)}/deployments`, {
      body: { stageName, ...(description ? { description } : {}), ...(canaryPercent !== undefined ? { canarySettings: { percentTraffic: canaryPercent } } : {}) },
    }),
    createStage: (apiId, stageName, deploymentId) => apigw('POST', `/restapis/${enc(apiId)}/stages`, { body: { stageName, deploymentId } }),
    updateStage: (apiId, stageName, patchOperations) => apigw('PATCH', `/restapis/${enc(apiId)}/stages/${enc(stageName)}`, { body: { patchOperations } }),
    getStage: (apiId, stageName) => apigw('GET', `/restapis/${enc(apiId)}/stages/${enc(stageName)}`),

    // HTTP and WebSocket APIs (API Gateway v2).
    listHttpApis: () => listV2('/v2/apis'),
    getRoutes: (apiId) => listV2(`/v2/apis/${enc(apiId)}/routes`),
    getIntegrations: (apiId) => listV2(`/v2/apis/${enc(apiId)}/integrations`),
    getV2Stages: (apiId) => listV2(`/v2/apis/${enc(apiId)}/stages`),
    getV2Deployments: (apiId) => listV2(`/v2/apis/${enc(apiId)}/deployments`),
    /** ExportApi of an HTTP API as OpenAPI 3.0 JSON: the document's text; with `stageName`, what that stage serves. */
    exportV2Api: async (apiId, stageName, specification = 'OAS30') => (await apigw('GET', `/v2/apis/${enc(apiId)}/exports/${enc(specification)}`, { query: { outputType: 'JSON', stageName }, raw: true })).text,
    getV2Deployment: (apiId, deploymentId) => apigw('GET', `/v2/apis/${enc(apiId)}/deployments/${enc(deploymentId)}`),
    createV2Stage: (apiId, stageName, deploymentId) => apigw('POST', `/v2/apis/${enc(apiId)}/stages`, { body: { stageName, deploymentId } }),
    updateV2Stage: (apiId, stageName, deploymentId) => apigw('PATCH', `/v2/apis/${enc(apiId)}/stages/${enc(stageName)}`, { body: { deploymentId } }),
    /** Tags of an HTTP API resource (a stage: arn:aws:apigateway:{region}::/apis/{id}/stages/{name}). */
    getV2Tags: async (arn) => (await apigw('GET', `/v2/tags/${enc(arn)}`)).tags ?? {},
    tagV2Resource: (arn, tags) => apigw('POST', `/v2/tags/${enc(arn)}`, { body: { tags } }),
    untagV2Resource: (arn, keys) => apigw('DELETE', `/v2/tags/${enc(arn)}`, { query: { tagKeys: keys.join(',') } }),

    /** The region requests go to: the one chosen, else the server's default (from its health answer). */
    async effectiveRegion() {
      if (state.region) return state.region;
      const res = await doFetch(`${base}/_stagecraft/health`);
      return (await res.json()).defaultRegion ?? 'us-east-1';
    },

    filterLogEvents: (input) => logs('FilterLogEvents', input),
    getMetricData: (input) => monitoring('GetMetricData', input),
    /** Every dashboard of the account (ListDashboards pages). */
    async listDashboards() {
      const entries = [];
      let NextToken;
      do {
        const out = await monitoring('ListDashboards', { NextToken });
        entries.push(...(out.DashboardEntries ?? []));
        NextToken = out.NextToken;
      } while (NextToken);
      return entries;
    },
    getDashboard: (name) => monitoring('GetDashboard', { DashboardName: name }),
    /** Every alarm DescribeAlarms answers for `input` (both types when asked), following NextToken. */
    async describeAlarms(input) {
      const out = { MetricAlarms: [], CompositeAlarms: [] };
      let NextToken;
      do {
        const page = await monitoring('DescribeAlarms', { ...input, NextToken });
        out.MetricAlarms.push(...(page.MetricAlarms ?? []));
        out.CompositeAlarms.push(...(page.CompositeAlarms ?? []));
        NextToken = page.NextToken;
      } while (NextToken);
      return out;
    },
    /** One page of an alarm's history, newest first (AWS's default order); `NextToken` for the next. */
    describeAlarmHistory: (name, type, nextToken, maxRecords = 20) => monitoring('DescribeAlarmHistory', {
      AlarmName: name, AlarmTypes: [type], ScanBy: 'TimestampDescending', MaxRecords: maxRecords, NextToken: nextToken,
    }),
    disableAlarmActions: (name) => monitoring('DisableAlarmActions', { AlarmNames: [name] }),
    enableAlarmActions: (name) => monitoring('EnableAlarmActions', { AlarmNames: [name] }),
    setAlarmState: (name, state, reason) => monitoring('SetAlarmState', { AlarmName: name, StateValue: state, StateReason: reason }),
    /** Creates the alarm or replaces it whole (AWS's PutMetricAlarm / PutCompositeAlarm). */
    putMetricAlarm: (input) => monitoring('PutMetricAlarm', input),
    putCompositeAlarm: (input) => monitoring('PutCompositeAlarm', input),
    deleteAlarm: (name) => monitoring('DeleteAlarms', { AlarmNames: [name] }),

    // Custom domain names: one set for REST and v2; their base path mappings are the API mappings.
    listDomainNames: () => listItems('/domainnames'),
    getApiMappings: (domainName) => listV2(`/v2/domainnames/${enc(domainName)}/apimappings`),
  };

  /**
   * A function URL for an alias (or the function), as the README does it with the CLI: with auth
   * type NONE the URL also needs a resource-based policy statement letting anyone call it.
   */
  api.addFunctionUrl = async (name, qualifier, authType) => {
    const config = await api.createFunctionUrl(name, qualifier, authType);
    if (authType === 'NONE') {
      try {
        await api.addPermission(name, qualifier, {
          StatementId: PUBLIC_URL_STATEMENT, Action: 'lambda:InvokeFunctionUrl', Principal: '*', FunctionUrlAuthType: 'NONE',
        });
      } catch (e) {
        // Left over from an earlier URL of the same alias: the grant is already there.
        if (!(e instanceof AwsError && e.type === 'ResourceConflictException')) throw e;
      }
    }
    return config;
  };

  /** The function's unqualified ARN, with AWS's not-found error turned into a readable one. */
  async function functionArnOf(name) {
    try {
      const out = await api.getFunction(name);
      return out.Configuration.FunctionArn.replace(/:\$LATEST$/, '');
    } catch (e) {
      if (e instanceof AwsError && e.type === 'ResourceNotFoundException') throw new ConsoleError(`function ${name} does not exist`, 'Reload the page.', 'ResourceNotFoundException');
      throw e;
    }
  }

  async function readHistory(arn, alias) {
    return parseHistory((await api.listTags(arn))[historyTag(alias)]);
  }

  async function writeHistory(arn, alias, history) {
    const value = formatHistory(history);
    if (value === undefined) await api.untagResource(arn, [historyTag(alias)]);
    else await api.tagResource(arn, { [historyTag(alias)]: value });
  }

  /** Points `alias` at `target`; a move is recorded in the history tag unless `record` is false. */
  async function moveAlias(fn, alias, target, current, record = true) {
    if (!current) {
      await api.createAlias(fn.name, alias, target.version, target.weights);
      return { action: 'created', after: target };
    }
    const before = stateOf(current);
    if (sameState(before, target)) return { action: 'unchanged', before, after: target };
    const updated = await api.updateAlias(fn.name, alias, target.version, target.weights, current.RevisionId);
    if (record) await writeHistory(fn.arn, alias, [...(await readHistory(fn.arn, alias)), before]);
    return { action: 'moved', before, after: stateOf(updated) };
  }

  /** Gives alias `to` the API Gateway grants alias `from` has (same statement IDs), as promote does. */
  async function copyApiGatewayGrants(name, from, to) {
    const isApiGw = (s) => s.Effect !== 'Deny' && (s.Principal === API_GATEWAY_PRINCIPAL || s.Principal?.Service === API_GATEWAY_PRINCIPAL);
    const source = (await api.getPolicyStatements(name, from)).filter(isApiGw);
    if (!source.length) return 0;
    const target = await api.getPolicyStatements(name, to);
    let added = 0;
    const arnOf = (s) => {
      const like = s.Condition?.ArnLike?.['AWS:SourceArn'] ?? s.Condition?.ArnEquals?.['AWS:SourceArn'];
      return Array.isArray(like) ? like[0] : like;
    };
    for (const s of source) {
      // The same grant under another statement ID (given by hand, say) is not given twice, as the CLI skips it.
      if (target.some((t) => t.Sid === s.Sid || (isApiGw(t) && arnOf(t) === arnOf(s) && (t.Action ?? 'lambda:InvokeFunction') === (s.Action ?? 'lambda:InvokeFunction')))) continue;
      const like = arnOf(s);
      await api.addPermission(name, to, {
        StatementId: s.Sid, Action: s.Action ?? 'lambda:InvokeFunction', Principal: API_GATEWAY_PRINCIPAL,
        ...(like ? { SourceArn: like } : {}),
      });
      added++;
    }
    return added;
  }

  /** `stagecraft promote <name> --from <from> --to <to> [--canary]`, through the APIs. */
  api.promote = async (name, from, to, canary) => {
    checkPromotion(from, to);
    const arn = await functionArnOf(name);
    let sourceVersion;
    let fromIsAlias = false;
    if (/^\d+$/.test(from)) {
      await api.getFunctionConfiguration(name, from);
      sourceVersion = from;
    } else {
      const a = await api.getAlias(name, from);
      if (!a) throw new ConsoleError(`function ${name} has no alias ${from}`, 'Reload the page to see its aliases.', 'ResourceNotFoundException');
      sourceVersion = a.FunctionVersion;
      fromIsAlias = true;
    }
    const current = await api.getAlias(name, to);
    const target = planPromotion({ current, sourceVersion, canary, to });
    const move = await moveAlias({ name, arn }, to, target, current);
    const grantsCopied = fromIsAlias ? await copyApiGatewayGrants(name, from, to) : 0;
    return { function: name, alias: to, source: { ref: from, version: sourceVersion }, ...move, grantsCopied };
  };

  /**
   * `stagecraft rollback <name> --alias <alias> [--to <version>]`, through the APIs. With a
   * version, the alias goes there and the move is recorded like a promotion, as the CLI does.
   */
  api.rollback = async (name, alias, toVersion) => {
    const arn = await functionArnOf(name);
    const current = await api.getAlias(name, alias);
    if (!current) throw new ConsoleError(`function ${name} has no alias ${alias}`, 'Reload the page to see its aliases.', 'ResourceNotFoundException');
    if (toVersion !== undefined) {
      await api.getFunctionConfiguration(name, toVersion); // a version deleted since the page loaded is AWS's 404
      const move = await moveAlias({ name, arn }, alias, { version: toVersion, weights: {} }, current);
      return { function: name, alias, before: stateOf(current), after: move.after, remaining: await readHistory(arn, alias) };
    }
    const plan = planRollback({ functionName: name, alias, current, history: await readHistory(arn, alias) });
    const move = await moveAlias({ name, arn }, alias, plan.target, current, false);
    await writeHistory(arn, alias, plan.remaining);
    return { function: name, alias, before: plan.before, after: move.after, remaining: plan.remaining };
  };

  /** A function's log group: its LoggingConfig.LogGroup, else /aws/lambda/{name}. */
  api.functionLogGroup = async (name) => (await api.getFunctionConfiguration(name)).LoggingConfig?.LogGroup ?? `/aws/lambda/${name}`;

  /** The versions whose log streams a qualifier covers ('' → all): an alias's version, and the other one of a weighted alias. */
  api.logVersions = async (name, qualifier) => {
    if (!qualifier || qualifier === '$LATEST' || /^\d+$/.test(qualifier)) return versionsOfQualifier(qualifier);
    const alias = await api.getAlias(name, qualifier);
    if (!alias) throw new ConsoleError(`function ${name} has no alias ${qualifier}`, 'Reload the page to see its aliases.', 'ResourceNotFoundException');
    return versionsOfQualifier(qualifier, alias);
  };

  /**
   * One page of a log group's events (FilterLogEvents, oldest first; `nextToken` for the next
   * page), keeping only the streams of `versions` when given. A group that does not exist yet
   * (nothing logged so far) reads as empty, with `missing` set.
   */
  api.readLogs = async ({ group, startTime, endTime, filterPattern, versions, nextToken, limit = 100 }) => {
    let page;
    try {
      page = await api.filterLogEvents({ logGroupName: group, startTime, endTime, filterPattern: filterPattern || undefined, nextToken, limit });
    } catch (e) {
      if (e instanceof AwsError && e.type === 'ResourceNotFoundException') return { events: [], nextToken: undefined, missing: true };
      throw e;
    }
    const keep = streamFilter(versions);
    const events = (page.events ?? []).filter((e) => keep(e.logStreamName)).sort((a, b) => a.timestamp - b.timestamp);
    return { events, nextToken: page.nextToken, missing: false };
  };

  /** One poll of Follow, as `stagecraft logs --follow` does it: every page from the cursor's time, then the events not shown yet. */
  api.followLogs = async ({ group, filterPattern, versions, cursor }) => {
    const events = [];
    let nextToken;
    do {
      const page = await api.readLogs({ group, startTime: cursor.since, filterPattern, versions, nextToken, limit: 1000 });
      events.push(...page.events);
      nextToken = page.nextToken;
    } while (nextToken);
    return advanceFollow(cursor, events.sort((a, b) => a.timestamp - b.timestamp));
  };

  /** Per version of a canary alias, its last 15 minutes: invocations, errors, error rate, average duration. */
  api.canaryMetrics = async (name, alias, versions, nowMs = Date.now()) => canaryMetricRows(versions, await api.getMetricData(canaryMetricsQuery(name, alias, versions, nowMs)));

  /** A card's Metrics view (metrics-model.js) of `targets` over window `windowKey`: one GetMetricData call. */
  api.loadMetrics = async (targets, windowKey, nowMs = Date.now()) => metricsView(targets, windowKey, nowMs, await api.getMetricData(metricsQuery(targets, windowKey, nowMs)));

  /** Everything the Functions page shows for one function. */
  api.loadFunction = async (fn) => {
    const arn = fn.FunctionArn.replace(/:\$LATEST$/, '');
    const [aliases, versions, tags, urls, provisioned] = await Promise.all([
      api.listAliases(fn.FunctionName), api.listVersions(fn.FunctionName), api.listTags(arn),
      api.listFunctionUrls(fn.FunctionName), api.listProvisionedConcurrency(fn.FunctionName),
    ]);
    return { aliases, versions, tags, urls, provisioned };
  };

  /** Everything the APIs page shows for one REST API. */
  api.loadRestApi = async (restApi) => {
    const [stages, deployments, models, validators, gatewayResponses] = await Promise.all([
      api.getStages(restApi.id), api.getDeployments(restApi.id), api.getModels(restApi.id), api.getRequestValidators(restApi.id), api.getGatewayResponses(restApi.id),
    ]);
    return { stages, deployments, models, validators, gatewayResponses };
  };

  /** Removes a REST stage's canary; the stage keeps serving its own deployment. */
  api.removeCanary = async (apiId, stageName) => {
    const stage = await api.getStage(apiId, stageName);
    const after = await api.updateStage(apiId, stageName, planCanaryRemoval(stage));
    return { apiId, stage: stageName, deploymentId: after.deploymentId };
  };

  /** Everything the APIs page shows for one HTTP or WebSocket API. */
  api.loadHttpApi = async (httpApi) => {
    const [routes, integrations, stages, deployments] = await Promise.all([
      api.getRoutes(httpApi.apiId), api.getIntegrations(httpApi.apiId), api.getV2Stages(httpApi.apiId), api.getV2Deployments(httpApi.apiId),
    ]);
    return { routes, integrations, stages, deployments };
  };

  /** Every custom domain name with its mappings, by domain name. */
  api.loadDomains = async () => {
    const domains = await api.listDomainNames();
    const mappings = await Promise.all(domains.map((d) => api.getApiMappings(d.domainName)));
    return { domains, mappingsByDomain: Object.fromEntries(domains.map((d, i) => [d.domainName, mappings[i]])) };
  };

  return api;
}
