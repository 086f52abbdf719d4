// The console's pages. DOM only: everything shown is built with createElement and textContent
// (never innerHTML); the logic lives in model.js and the API calls in api.js.
import { aliasRollbackForms } from './alias-rollback.js';
import { createClient } from './api.js';
import { canaryPanel } from './canary-panel.js';
import { el } from './dom.js';
import { logsPanel } from './logs-panel.js';
import { metricsPanel } from './metrics-panel.js';
import { previewPanel } from './preview-panel.js';
import { previewFunctionPromotion } from './promotion-preview.js';
import { stacksPage } from './stacks-page.js';
import { dashboardsPage } from './dashboards-page.js';
import { alarmsPage } from './alarms-page.js';
import { stageForms } from './stage-forms.js';
import {
  apiView, decodeLogTail, describeError, describeState, domainViews, functionView, httpApiView, logGroupOfArn, parseCanary, parseProvisioned, payloadOf, prettyResult,
} from './model.js';

const client = createClient();
const $ = (id) => document.getElementById(id);

/** A table in a box that scrolls sideways on a narrow screen (the page itself does not). */
function table(headers, rows) {
  return el('div', { className: 'table-wrap' }, el('table', {}, el('thead', {}, el('tr', {}, headers.map((h) => el('th', {}, h)))), el('tbody', {}, rows)));
}

/** A form control's accessible name, for the controls whose meaning the form's layout shows. */
function named(node, label) {
  node.setAttribute('aria-label', label);
  return node;
}

function showError(e) {
  const box = $('error');
  box.textContent = describeError(e);
  box.hidden = false;
  $('notice').hidden = true;
}

function showNotice(text) {
  $('notice').textContent = text;
  $('notice').hidden = false;
  $('error').hidden = true;
}

function clearMessages() {
  $('error').hidden = true;
  $('notice').hidden = true;
}

/** Where a button is (its card's title, its box's legend, its text), to find its successor after a reload. */
function placeOf(button) {
  return [button.closest('section.card')?.querySelector('h2')?.firstChild?.textContent, button.closest('fieldset')?.querySelector('legend')?.textContent, button.textContent];
}

/** Gives the focus back to the reloaded page's button at `place`, when the reload took it away. */
function refocus(place) {
  if (document.activeElement && document.activeElement !== document.body) return;
  const same = [...$('main').querySelectorAll('button')].find((b) => placeOf(b).every((part, i) => part === place[i]));
  same?.focus();
}

/**
 * Runs an action from a button: disables it meanwhile, shows failures, reloads on success. With
 * `confirm`, the browser asks first (for the actions that take traffic away or remove something).
 */
async function act(button, fn, { reload = true, confirm, focus = button, reloadIfGone = reload } = {}) {
  clearMessages(); // an earlier action's message (e.g. a failed sign-in) is not about this one
  if (confirm && !window.confirm(confirm)) return;
  button.disabled = true;
  $('main').setAttribute('aria-busy', 'true'); // until the outcome is shown and the page reloaded
  const place = placeOf(focus); // a preview's confirm button is gone after the reload: its form's button takes the focus
  try {
    const message = await fn();
    if (message) showNotice(message);
    if (reload) await render();
  } catch (e) {
    showError(e);
    // What the page offered is gone (deleted elsewhere since it loaded): show what there is now; the error stays.
    if (reloadIfGone && e?.status === 404) await render();
  } finally {
    button.disabled = false;
    $('main').removeAttribute('aria-busy');
    refocus(place); // a keyboard user carries on from where they were, not from the top
  }
}

/**
 * A promotion in two steps: `preview()` is shown in `box` (replacing an earlier preview) and
 * nothing changes until its confirm button runs `run()`, which reloads the page.
 */
function previewThenAct(button, box, preview, confirmText, run) {
  act(button, async () => {
    const p = await preview();
    box.querySelector('.preview')?.remove();
    const panel = previewPanel(p, { confirmText, onConfirm: (go) => act(go, run, { focus: button }) });
    box.append(panel);
    (panel.querySelector('.preview-confirm') ?? panel.querySelector('.preview-cancel')).focus();
    return '';
  }, { reload: false, reloadIfGone: true });
}

function select(options, value) {
  const node = el('select', {}, options.map((o) => el('option', { value: o, selected: o === value }, o)));
  if (value !== undefined && options.includes(value)) node.value = value;
  return node;
}

function invokeForm(view, showLogs) {
  const qualifier = named(select(['$LATEST', ...view.aliases.map((a) => a.name), ...view.versions.map((v) => v.version).filter((v) => v !== '$LATEST')], view.aliases[0]?.name ?? '$LATEST'), 'Version or alias to invoke');
  const payload = named(el('textarea', { spellcheck: false, placeholder: '{}' }), 'Event (JSON)');
  const output = el('div', { className: 'result' });
  const button = el('button', { type: 'submit' }, 'Invoke');
  const form = el('form', {
    on: {
      submit: (ev) => {
        ev.preventDefault();
        act(button, async () => {
          const body = payloadOf(payload.value);
          const out = await client.invoke(view.name, qualifier.value, body);
          const logs = el('button', { type: 'button' }, 'Show its logs');
          logs.addEventListener('click', () => showLogs(`"${out.requestId}"`));
          output.replaceChildren(
            el('div', {}, `Executed version ${out.executedVersion || '?'} · status ${out.status}`, out.functionError ? el('span', { className: 'canary' }, ` · function error (${out.functionError})`) : '',
              out.requestId ? [el('span', { className: 'muted' }, ` · request ${out.requestId} `), logs] : ''),
            el('pre', {}, prettyResult(out.payload)),
            el('div', { className: 'muted' }, 'Log tail'),
            el('pre', {}, decodeLogTail(out.logResult) || '(no log)'),
          );
          return '';
        }, { reload: false });
      },
    },
  }, qualifier, payload, button);
  return el('fieldset', {}, el('legend', {}, 'Invoke'), form, output);
}

function promoteForm(view) {
  const from = named(select(view.promoteSources, view.aliases.find((a) => a.name === 'dev')?.name ?? view.promoteSources[0]), 'Promote from (alias or version)');
  const to = named(el('input', { type: 'text', value: view.aliases.some((a) => a.name === 'prod') ? 'prod' : '', placeholder: 'prod', size: 10, required: true }), 'Promote to alias');
  const canary = named(el('input', { type: 'text', className: 'short', placeholder: '10%' }), 'Canary share (optional)');
  const button = el('button', { type: 'submit', disabled: view.promoteSources.length === 0 }, 'Promote');
  const form = el('form', {
    on: {
      submit: (ev) => {
        ev.preventDefault();
        // What the form says when Promote is pressed is what is previewed and, once confirmed, done.
        const [source, alias, text] = [from.value, to.value.trim(), canary.value];
        previewThenAct(button, box, () => previewFunctionPromotion(client, view.name, source, alias, parseCanary(text)), 'Promote now', async () => {
          const r = await client.promote(view.name, source, alias, parseCanary(text));
          const target = `${view.name}:${r.alias}`;
          const grants = r.grantsCopied ? ` Copied ${r.grantsCopied} API Gateway permission(s) from ${source}.` : '';
          if (r.action === 'unchanged') return `${target} already runs ${describeState(r.after)}; nothing to do.${grants}`;
          if (r.action === 'created') return `Created alias ${target} → version ${r.source.version}.${grants}`;
          return `${target} now runs ${describeState(r.after)} (was ${describeState(r.before)}).${grants}`;
        });
      },
    },
  }, from, '→', to, 'canary', canary, button);
  const box = el('fieldset', {}, el('legend', {}, 'Promote'), form); // the preview goes in it
  return box;
}

function publishForm(view) {
  const description = named(el('input', { type: 'text', placeholder: 'description (optional)', size: 22 }), 'Version description (optional)');
  const button = el('button', { type: 'submit' }, 'Publish version');
  const published = new Set(view.versions.map((v) => v.version));
  const form = el('form', {
    on: {
      submit: (ev) => {
        ev.preventDefault();
        act(button, async () => {
          const v = await client.publishVersion(view.name, description.value.trim());
          // As on AWS, publishing an unchanged $LATEST answers the version it already is.
          if (published.has(v.Version)) return `Nothing to publish: $LATEST has not changed since version ${v.Version}, so no new version was made.`;
          return `Published ${view.name} version ${v.Version}.`;
        });
      },
    },
  }, description, button);
  return el('fieldset', {}, el('legend', {}, 'Publish $LATEST'), form);
}

/** Sets or removes an alias's provisioned concurrency. */
function provisionedForm(view) {
  const alias = named(select(view.aliases.map((a) => a.name), view.aliases.find((a) => a.name === 'prod')?.name), 'Alias');
  const count = named(el('input', { type: 'number', min: 1, step: 1, className: 'short', placeholder: '1' }), 'Provisioned environments');
  const set = el('button', { type: 'submit', disabled: view.aliases.length === 0 }, 'Set');
  const remove = el('button', { type: 'button', disabled: view.aliases.length === 0 }, 'Remove');
  remove.addEventListener('click', () => act(remove, async () => {
    await client.deleteProvisionedConcurrency(view.name, alias.value);
    return `Removed the provisioned concurrency of ${view.name}:${alias.value}.`;
  }, { confirm: `Remove the provisioned concurrency of ${view.name}:${alias.value}? Its environments are stopped.` }));
  const form = el('form', {
    on: {
      submit: (ev) => {
        ev.preventDefault();
        act(set, async () => {
          const n = parseProvisioned(count.value);
          const out = await client.putProvisionedConcurrency(view.name, alias.value, n);
          return `${view.name}:${alias.value} asks for ${n} provisioned environment(s): ${out.Status}. Reload to follow it.`;
        });
      },
    },
  }, alias, count, set, remove);
  return el('fieldset', {}, el('legend', {}, 'Provisioned concurrency'), form);
}

/** Creates a function URL for an alias or the function; NONE also grants public access. */
function functionUrlForm(view) {
  const FUNCTION = '(function)';
  const target = named(select([...view.aliases.filter((a) => !a.url).map((a) => a.name), ...(view.url ? [] : [FUNCTION])]), 'Function URL for');
  const authType = named(select(['NONE', 'AWS_IAM'], 'NONE'), 'Auth type');
  const button = el('button', { type: 'submit', disabled: target.options.length === 0 }, 'Create URL');
  const form = el('form', {
    on: {
      submit: (ev) => {
        ev.preventDefault();
        act(button, async () => {
          const qualifier = target.value === FUNCTION ? '' : target.value;
          const out = await client.addFunctionUrl(view.name, qualifier, authType.value);
          return `${view.name}${qualifier ? `:${qualifier}` : ''} answers at ${out.FunctionUrl} (${out.AuthType}).`;
        });
      },
    },
  }, target, authType, button);
  return el('fieldset', {}, el('legend', {}, 'Function URL'), form);
}

function link(href) {
  return el('a', { href, target: '_blank', rel: 'noopener noreferrer', className: 'mono' }, href);
}

function urlCell(url) {
  return url ? el('td', {}, link(url.url), el('div', { className: 'muted' }, `auth ${url.authType}`)) : el('td', { className: 'muted' }, '—');
}

function provisionedCell(p) {
  if (!p) return el('td', { className: 'muted' }, '—');
  return el('td', { className: p.status === 'FAILED' ? 'bad' : p.status === 'READY' ? '' : 'canary' }, p.text);
}

function functionCard(view) {
  const logs = logsPanel(client, {
    group: () => client.functionLogGroup(view.name), functionName: view.name,
    qualifiers: ['$LATEST', ...view.aliases.map((a) => a.name), ...view.versions.map((v) => v.version).filter((v) => v !== '$LATEST')],
  });
  return el('section', { className: 'card', id: `function-${view.name}` },
    el('h2', {}, view.name), el('div', { className: 'muted mono' }, `${view.runtime} · ${view.handler} · ${view.arn}`),
    el('div', {}, 'Function URL: ', view.url ? [link(view.url.url), ` (auth ${view.url.authType})`] : el('span', { className: 'muted' }, 'none')),
    metricsPanel(client, [{ kind: 'function', name: view.name }], { aliases: view.aliases.map((a) => a.name) }),
    el('h3', {}, 'Aliases'),
    view.aliases.length
      ? table(['Alias', 'Traffic', 'Rollback goes to', 'Function URL', 'Provisioned concurrency', 'Description'], view.aliases.map((a) => el('tr', {},
        el('td', { className: 'mono' }, a.name), el('td', { className: a.canary ? 'canary nowrap' : 'nowrap' }, a.traffic), el('td', {}, a.rollbackTo || '—'),
        urlCell(a.url), provisionedCell(a.provisioned), el('td', {}, a.description))))
      : el('p', { className: 'muted' }, 'No aliases yet.'),
    el('h3', {}, 'Versions'),
    table(['Version', 'Aliases', 'Layers', 'Provisioned concurrency', 'Code SHA-256', 'Last modified', 'Description'], view.versions.map((v) => el('tr', {},
      el('td', { className: 'mono' }, v.version), el('td', {}, v.aliases.join(', ')),
      el('td', { className: 'mono' }, v.layers.map((l) => el('div', { title: l.arn }, `${l.name}:${l.version}`))),
      v.version === '$LATEST' ? el('td', { className: 'muted' }, 'n/a') : provisionedCell(v.provisioned),
      el('td', { className: 'mono' }, v.codeSha256.slice(0, 12)), el('td', {}, v.lastModified), el('td', {}, v.description)))),
    // Only canary aliases get a panel, and only they cost a metrics call.
    view.aliases.filter((a) => a.canary).map((a) => canaryPanel(client, view.name, a.name, a.runs)),
    el('div', { className: 'actions' }, invokeForm(view, logs.search), promoteForm(view), rollbackForm(view), rollbackToForm(view), publishForm(view), provisionedForm(view), functionUrlForm(view)),
    logs.details,
  );
}

/** The Functions page with nothing on it: how to make the first function. */
function emptyFunctions() {
  const region = client.region ? ` --region ${client.region}` : '';
  return el('section', { className: 'card' },
    el('h2', {}, 'No functions in this region yet'),
    el('p', {}, 'Deploy an AWS SAM template (a function, its version, alias dev, an API and its stages):'),
    el('pre', { className: 'command' }, 'stagecraft deploy'),
    el('p', {}, 'or create one with the AWS CLI, pointed at this server:'),
    el('pre', { className: 'command' }, `zip function.zip index.js
aws --endpoint-url ${window.location.origin}${region} \\
  lambda create-function --function-name hello-lambda \\
  --runtime nodejs20.x --handler index.handler \\
  --zip-file fileb://function.zip \\
  --role arn:aws:iam::000000000000:role/lambda-role`),
    el('p', { className: 'muted' }, 'Then press Reload. A function in another region shows when that region is chosen above.'));
}

async function functionsPage() {
  const functions = await client.listFunctions();
  if (!functions.length) return [emptyFunctions()];
  const loaded = await Promise.all(functions.map(async (fn) => {
    const { aliases, versions, tags, urls, provisioned } = await client.loadFunction(fn);
    return functionView(fn, aliases, versions, tags, { urls, provisioned });
  }));
  return loaded.sort((a, b) => a.name.localeCompare(b.name)).map(functionCard);
}

/** Hands the browser `text` as a download named `file`. */
function download(text, file) {
  const href = URL.createObjectURL(new Blob([text], { type: 'application/json' }));
  const a = el('a', { href, download: file, hidden: true });
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(href), 60_000); // the download reads it after the click returns
}

/** A button that fetches an OpenAPI export with the console's client and saves it as `file`. */
function exportButton(fetchText, file) {
  const button = el('button', { type: 'button' }, 'OpenAPI 3 (JSON)');
  button.addEventListener('click', () => act(button, async () => {
    download(await fetchText(), file);
    return `Saved ${file}.`;
  }, { reload: false }));
  return button;
}

const { deployForm, promoteStageForm, rollbackStageForm, canaryForm } = stageForms({ client, act, previewThenAct, named, select });
const { rollbackForm, rollbackToForm } = aliasRollbackForms({ client, act, previewThenAct, named, select });

function canaryCell(c) {
  if (!c) return el('td', { className: 'muted' }, '—');
  return el('td', {}, el('div', { className: 'canary' }, c.text), c.overrides.map((x) => el('div', { className: 'mono' }, x)));
}

function apiCard(v) {
  const names = (list) => (list.length ? el('span', { className: 'mono' }, list.join(', ')) : el('span', { className: 'muted' }, 'none'));
  return el('section', { className: 'card' },
    el('h2', {}, v.name), el('div', { className: 'muted mono' }, `id ${v.id}${v.description ? ` · ${v.description}` : ''}`),
    el('div', {}, 'Models: ', names(v.models), ' · Request validators: ', names(v.validators),
      ' · Gateway responses: ', v.customGatewayResponses.length ? ['customised (', names(v.customGatewayResponses), ')'] : el('span', { className: 'muted' }, 'defaults')),
    v.stages.length
      ? table(['Stage', 'Deployment', 'Canary', 'Variables', 'Throttling', 'Access logs', 'Invoke URLs', 'Export'], v.stages.map((s) => el('tr', {},
        el('td', { className: 'mono' }, s.name),
        el('td', {}, el('div', { className: 'mono' }, s.deploymentId), el('div', { className: 'muted' }, s.deployedAt)),
        canaryCell(s.canary),
        el('td', { className: 'mono' }, s.variables.map((x) => el('div', {}, x))),
        el('td', {}, s.throttling || el('span', { className: 'muted' }, 'not set')),
        el('td', { className: s.accessLog ? 'mono' : 'muted' }, s.accessLog || 'off'),
        el('td', {}, el('div', {}, link(s.hostStyle)), el('div', {}, link(s.pathStyle))),
        el('td', {}, exportButton(() => client.getExport(v.id, s.name), s.exportFile)))))
      : el('p', { className: 'muted' }, 'No stages yet.'),
    stageMetrics(v.stages, (s) => ({ kind: 'rest', apiName: v.name, stage: s.name })),
    el('div', { className: 'actions' }, deployForm(v), promoteStageForm(v, 'rest'), rollbackStageForm(v, 'rest'), canaryForm(v)),
    accessLogsPanels(v.stages),
  );
}

/** The API's Metrics box: a section per stage (AWS/ApiGateway by stage, `targetOf` naming its series), one call for all. */
function stageMetrics(stages, targetOf) {
  return stages.length ? metricsPanel(client, stages.map(targetOf), { headingOf: (t) => `Stage ${t.stage}` }) : '';
}

function targetCell(t) {
  if (t.kind === 'url') return el('td', { className: 'mono' }, t.text, t.private ? el('span', { className: 'muted' }, ' (VPC link)') : '');
  return el('td', { className: t.kind === 'function' ? 'mono' : 'muted' }, t.kind === 'function' ? `λ ${t.text}` : t.text);
}

/** A Logs view per stage with access logging on (its log group named by the destination ARN). */
function accessLogsPanels(stages) {
  return stages.filter((s) => logGroupOfArn(s.accessLog)).map((s) => logsPanel(client, { title: `Access logs: stage ${s.name}`, group: async () => logGroupOfArn(s.accessLog) }).details);
}

function httpApiCard(v) {
  return el('section', { className: 'card' },
    el('h2', {}, v.name, ' ', el('span', { className: 'badge' }, v.protocol)),
    el('div', { className: 'muted mono' }, `id ${v.id}${v.description ? ` · ${v.description}` : ''} · routes by ${v.routeSelection}`),
    v.protocol === 'HTTP' ? el('div', {}, 'Export: ', exportButton(() => client.exportV2Api(v.id), v.exportFile)) : '',
    el('h3', {}, 'Routes'),
    v.routes.length
      ? table(['Route key', 'Integration target', 'Authorization'], v.routes.map((r) => el('tr', {},
        el('td', { className: 'mono' }, r.key), targetCell(r.target),
        el('td', {}, r.authorization, r.apiKeyRequired ? el('span', { className: 'muted' }, ' · API key') : ''))))
      : el('p', { className: 'muted' }, 'No routes yet.'),
    el('h3', {}, 'Stages'),
    v.stages.length
      ? table(['Stage', 'Deployment', 'Variables', 'Throttling', 'Access logs', 'Invoke URL'], v.stages.map((s) => el('tr', {},
        el('td', { className: 'mono' }, s.name, s.autoDeploy ? el('div', { className: 'muted' }, 'auto-deploy') : ''),
        el('td', {}, el('div', { className: 'mono' }, s.deploymentId || '—'), el('div', { className: 'muted' }, s.deployedAt)),
        el('td', { className: 'mono' }, s.variables.map((x) => el('div', {}, x))),
        el('td', {}, s.throttling || el('span', { className: 'muted' }, 'not set')),
        el('td', { className: s.accessLog ? 'mono' : 'muted' }, s.accessLog || 'off'),
        el('td', {}, link(s.invokeUrl)))))
      : el('p', { className: 'muted' }, 'No stages yet.'),
    stageMetrics(v.stages, (s) => ({ kind: v.protocol === 'WEBSOCKET' ? 'websocket' : 'http', apiId: v.id, stage: s.name })),
    // HTTP and WebSocket APIs promote and roll back like REST ones (without canaries).
    v.stages.length ? el('div', { className: 'actions' }, promoteStageForm(v, v.protocol === 'WEBSOCKET' ? 'websocket' : 'http'), rollbackStageForm(v, v.protocol === 'WEBSOCKET' ? 'websocket' : 'http')) : '',
    accessLogsPanels(v.stages),
  );
}

function domainCard(d) {
  return el('section', { className: 'card' },
    el('h2', {}, d.name, ' ', el('span', { className: 'badge' }, d.endpointType)),
    el('div', { className: 'muted mono' }, [d.target, d.securityPolicy].filter(Boolean).join(' · ')),
    d.mappings.length
      ? table(['Base path', 'API', 'Stage', 'URL'], d.mappings.map((m) => el('tr', {},
        el('td', { className: 'mono' }, m.basePath), el('td', {}, m.api), el('td', { className: 'mono' }, m.stage || '—'), el('td', {}, link(m.url)))))
      : el('p', { className: 'muted' }, 'No mappings yet.'),
  );
}

async function apisPage() {
  const [restApis, httpApis, domains] = await Promise.all([client.listRestApis(), client.listHttpApis(), client.loadDomains()]);
  const byName = (a, b) => a.name.localeCompare(b.name);
  const restViews = await Promise.all(restApis.map(async (api) => {
    const { stages, ...extras } = await client.loadRestApi(api);
    return apiView(api, stages, window.location, extras);
  }));
  const httpViews = await Promise.all(httpApis.map(async (api) => httpApiView(api, window.location, await client.loadHttpApi(api))));
  const named = [...restViews.map((v) => ({ id: v.id, name: v.name, kind: 'REST' })), ...httpViews.map((v) => ({ id: v.id, name: v.name, kind: v.protocol }))];
  const none = (text) => el('p', { className: 'muted' }, text);
  return [
    el('h3', {}, 'REST APIs'),
    ...(restViews.length ? restViews.sort(byName).map(apiCard) : [none('No REST APIs in this region yet.')]),
    el('h3', {}, 'HTTP and WebSocket APIs'),
    ...(httpViews.length ? httpViews.sort(byName).map(httpApiCard) : [none('No HTTP or WebSocket APIs in this region yet.')]),
    el('h3', {}, 'Custom domain names'),
    ...(domains.domains.length ? domainViews(domains.domains, domains.mappingsByDomain, named, window.location).map(domainCard) : [none('No custom domain names yet.')]),
  ];
}

/** The sign-in form, shown instead of a page when the server verifies signatures and nobody is signed in. */
function signInPage() {
  const id = el('input', { name: 'accessKeyId', autocomplete: 'username', required: true });
  const secret = el('input', { name: 'secretAccessKey', type: 'password', autocomplete: 'current-password', required: true });
  const button = el('button', { type: 'submit' }, 'Sign in');
  const form = el('form', {
    className: 'sign-in',
    on: { submit: (e) => { e.preventDefault(); act(button, async () => { await client.signIn(id.value, secret.value); }); } },
  },
  el('label', {}, 'Access key ID', id), el('label', {}, 'Secret access key', secret), button);
  return [el('section', { className: 'card sign-in' }, el('h2', {}, 'Sign in'),
    el('p', { className: 'muted' }, 'This server verifies AWS signatures. Sign in with one of its access keys.'), form)];
}

/** Whether a sign-in is needed; shows who is signed in with a way out. */
async function sessionGate() {
  const session = await client.session();
  const box = $('session');
  box.replaceChildren();
  if (session.authentication !== 'sigv4') return true;
  if (!session.signedIn) return false;
  const out = el('button', { type: 'button' }, 'Sign out');
  out.addEventListener('click', () => act(out, async () => { await client.signOut(); }));
  box.append(el('span', { className: 'muted' }, session.accessKeyId, ' '), out);
  return true;
}

/** The pages, by their address (#functions, #stacks, #apis, #dashboards, #alarms); `#functions/<name>` is a function's card. */
const PAGES = {
  functions: functionsPage,
  stacks: () => stacksPage({ client, act, previewThenAct, table, named, select }),
  apis: apisPage,
  dashboards: () => dashboardsPage({ client, table }),
  alarms: () => alarmsPage({ client }),
};

let rendering = 0;
async function render() {
  const [route, target] = window.location.hash.slice(1).split('/');
  const page = PAGES[route] ? route : 'functions';
  for (const name of Object.keys(PAGES)) $(`nav-${name}`).classList.toggle('active', page === name);
  const ticket = ++rendering;
  $('main').setAttribute('aria-busy', 'true'); // greys the page being replaced (style.css)
  try {
    const content = !(await sessionGate()) ? signInPage() : await PAGES[page]();
    if (ticket === rendering) {
      $('main').replaceChildren(...content);
      if (target) document.getElementById(`function-${decodeURIComponent(target)}`)?.scrollIntoView(); // #functions/<name>: that card
    }
  } catch (e) {
    if (ticket === rendering) {
      showError(e);
      $('main').replaceChildren(el('p', { className: 'muted' }, 'Could not load this page.'));
    }
  } finally {
    if (ticket === rendering) $('main').removeAttribute('aria-busy');
  }
}

const savedRegion = window.localStorage.getItem('stagecraft.region') ?? '';
client.region = savedRegion;
$('region').value = savedRegion;
$('region').addEventListener('change', () => {
  client.region = $('region').value;
  window.localStorage.setItem('stagecraft.region', client.region);
  clearMessages();
  render();
});
$('reload').addEventListener('click', () => {
  clearMessages();
  render();
});
window.addEventListener('hashchange', () => {
  clearMessages();
  render();
});
render();
