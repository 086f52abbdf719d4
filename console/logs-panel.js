// The Logs view: a log group's recent events (FilterLogEvents), with a time range, a CloudWatch
// filter pattern, for functions a version/alias filter, "Load more" and Follow. Log lines are
// untrusted function output: they are shown as text nodes only (see dom.js).
import { el } from './dom.js';
import { advanceFollow, describeError, describeReport, followCursor, LOG_RANGES, logEventView, rangeStart } from './model.js';

const FOLLOW_INTERVAL_MS = 2000;
const ALL = '(all versions)';

function lineNode(e) {
  const row = logEventView(e);
  return el('div', { className: `log-line ${row.kind}${row.level ? ` level-${row.level.toLowerCase()}` : ''}` },
    el('span', { className: 'muted' }, row.time.replace('T', ' ').replace('Z', ''), ' '),
    row.version ? el('span', { className: 'badge', title: row.stream }, row.version) : '',
    row.level ? el('span', { className: 'level' }, row.level) : '',
    ' ', row.message,
    row.report ? el('span', { className: 'report' }, ` ${describeReport(row.report)}`) : '');
}

/**
 * The panel (`details`) and `search(pattern)`, which opens it on that filter pattern (the
 * Invoke result's "Show its logs": the request ID in quotes).
 * @param client the console's API client
 * @param {{ title?: string, group: () => Promise<string|undefined>, functionName?: string, qualifiers?: string[] }} source
 *   title: the panel's summary ('Logs'); group: the log group to read; functionName and qualifiers: a function's version/alias filter.
 */
export function logsPanel(client, source) {
  const range = el('select', { 'aria-label': 'Time range' }, Object.keys(LOG_RANGES).map((r) => el('option', { value: r, selected: r === '1h' }, `last ${r}`)));
  const pattern = el('input', { type: 'text', placeholder: 'filter pattern, e.g. ERROR or { $.level = "ERROR" }', size: 34, 'aria-label': 'Filter pattern' });
  const qualifier = source.qualifiers ? el('select', { 'aria-label': 'Version or alias' }, [ALL, ...source.qualifiers].map((q) => el('option', { value: q === ALL ? '' : q }, q))) : undefined;
  const show = el('button', { type: 'submit' }, 'Show');
  const follow = el('input', { type: 'checkbox' });
  const lines = el('div', { className: 'log-lines' });
  const status = el('div', { className: 'muted' });
  const more = el('button', { type: 'button', hidden: true }, 'Load more');
  /** What is shown: the query it answers, the last page's token, and the follow cursor (newest time shown, ids at it). */
  let state;
  let timer;

  const fail = (e) => {
    status.textContent = describeError(e);
    status.className = 'bad';
  };
  /** Shows events (oldest first) and moves the follow cursor past them. */
  const append = (events) => {
    const fresh = events.filter((e) => !state.shown.has(e.eventId)); // a page Follow already showed
    for (const e of fresh) state.shown.add(e.eventId);
    lines.append(...fresh.map(lineNode));
    state.cursor = advanceFollow(state.cursor, events).cursor;
  };

  async function load() {
    stopFollowing();
    status.className = 'muted';
    status.textContent = 'Loading…';
    try {
      const group = await source.group();
      if (!group) throw new Error('access logging is off');
      const versions = source.functionName ? await client.logVersions(source.functionName, qualifier?.value ?? '') : undefined;
      state = { group, versions, filterPattern: pattern.value.trim(), startTime: rangeStart(range.value), shown: new Set() };
      state.cursor = followCursor(state.startTime);
      lines.replaceChildren();
      await nextPage();
      if (follow.checked) startFollowing();
    } catch (e) {
      fail(e);
    }
  }

  async function nextPage() {
    const page = await client.readLogs({ ...state, nextToken: state.nextToken });
    append(page.events);
    state.nextToken = page.nextToken;
    more.hidden = !page.nextToken;
    status.className = 'muted';
    status.textContent = page.missing ? `${state.group} does not exist yet: nothing has been logged.` : `${state.group} · ${lines.childElementCount} event(s)`;
  }

  function stopFollowing() {
    clearTimeout(timer);
    timer = undefined;
  }

  /** Polls from the newest event shown (or the range's start), as `stagecraft logs --follow` does. */
  function startFollowing() {
    const poll = async () => {
      if (!lines.isConnected || !follow.checked) return stopFollowing(); // the page was re-rendered or Follow unticked
      try {
        const out = await client.followLogs({ ...state, cursor: state.cursor });
        append(out.fresh);
        if (out.fresh.length) lines.lastElementChild?.scrollIntoView({ block: 'nearest' });
        status.className = 'muted';
        status.textContent = `${state.group} · ${lines.childElementCount} event(s) · following`;
      } catch (e) {
        fail(e);
      }
      timer = setTimeout(poll, FOLLOW_INTERVAL_MS);
    };
    timer = setTimeout(poll, FOLLOW_INTERVAL_MS);
  }

  more.addEventListener('click', async () => {
    more.disabled = true;
    try {
      await nextPage();
    } catch (e) {
      fail(e);
    } finally {
      more.disabled = false;
    }
  });
  follow.addEventListener('change', () => {
    if (!follow.checked) stopFollowing();
    else if (state) startFollowing();
    else load();
  });
  const form = el('form', { on: { submit: (ev) => { ev.preventDefault(); load(); } } },
    range, pattern, qualifier ?? '', show, el('label', {}, follow, ' Follow'));
  const details = el('details', { className: 'logs' }, el('summary', {}, source.title ?? 'Logs'), form, status, lines, more);
  details.addEventListener('toggle', () => {
    if (details.open && !state) load();
    if (!details.open) {
      follow.checked = false;
      stopFollowing();
    }
  });
  const search = (filter) => {
    pattern.value = filter;
    if (qualifier) qualifier.value = '';
    state = undefined; // a load from the toggle (when it opens) or from here, not both
    if (details.open) load();
    else details.open = true;
    details.scrollIntoView({ block: 'nearest' });
  };
  return { details, search };
}
