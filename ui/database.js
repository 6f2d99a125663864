// Database: the pool per host, top statements by total time, slow statements with their plans,
// N+1 reports and index suggestions with their CREATE INDEX text to copy (api.md "Operations").
import * as api from './api.js';
import {el, note, table} from './dom.js';
import * as fmt from './format.js';
import {loadingPanel} from './panels.js';

const ms = (v) => `${fmt.number(v, 1)} ms`;

function copyButton(text) {
  const button =
      el('button', {
        type: 'button',
        onclick: async () => {
          try {
            await navigator.clipboard.writeText(text);
            button.textContent = 'Copied';
          } catch {
            button.textContent = 'Copy failed: select the text';
          }
        }
      },
         'Copy');
  return button;
}

function pool(data) {
  return table(
      [
        {label: 'host', cell: (h) => h.host},
        {label: 'role', cell: (h) => h.role},
        {label: 'healthy', cell: (h) => (h.healthy ? 'yes' : 'no')},
        {label: 'in use / max', num: true, cell: (h) => `${h.active} / ${h.max}`},
        {label: 'idle', num: true, cell: (h) => h.idle},
        {label: 'waiting', num: true, cell: (h) => h.waiting},
        {label: 'timeouts', num: true, cell: (h) => fmt.number(h.acquire_timeouts_total)},
        {
          label: 'lag',
          num: true,
          cell: (h) =>
              (h.replication_lag_s === null ? '—' : `${fmt.number(h.replication_lag_s, 1)} s`)
        },
      ],
      data.hosts || [], 'connection pool per host');
}

function topStatements(data) {
  const rows = [...(data.queries || [])].sort((a, b) => b.total_ms - a.total_ms).slice(0, 20);
  if (!rows.length) return note('No statements recorded yet.');
  return table(
      [
        {label: 'statement', cell: (q) => el('code', {}, q.query)},
        {label: 'calls', num: true, cell: (q) => fmt.number(q.calls)},
        {label: 'total', num: true, cell: (q) => ms(q.total_ms)},
        {label: 'mean', num: true, cell: (q) => ms(q.mean_ms)},
        {label: 'p95', num: true, cell: (q) => ms(q.p95_ms)},
        {label: 'max', num: true, cell: (q) => ms(q.max_ms)},
        {label: 'rows', num: true, cell: (q) => fmt.number(q.rows)},
      ],
      rows, 'top statements by total time');
}

function slowStatements(data) {
  const rows = data.slow_queries || [];
  if (!rows.length) return note('No slow statement recorded.');
  return el(
      'ul', {},
      rows.slice(0, 20).map(
          (q) =>
              el('li', {}, el('code', {}, q.query),
                 ` — ${ms(q.duration_ms)} at ${fmt.time(q.at)}, request ${q.request_id || '—'}`,
                 el('details', {}, el('summary', {}, 'Plan'),
                    el('pre', {}, JSON.stringify(q.plan, null, 2))))));
}

function nPlusOne(data) {
  const rows = data.n_plus_one || [];
  if (!rows.length) return note('No N+1 pattern reported.');
  return table(
      [
        {label: 'statement', cell: (r) => el('code', {}, r.query)},
        {label: 'times', num: true, cell: (r) => r.count},
        {label: 'route', cell: (r) => r.route},
        {label: 'request', cell: (r) => r.request_id},
        {label: 'at', cell: (r) => fmt.time(r.at)},
      ],
      rows, 'N+1 reports');
}

function indexes(data) {
  const suggestions = data.suggestions || [];
  const list = suggestions.length ?
      el('ul', {},
         suggestions.map(
             (s) =>
                 el('li', {},
                    `${s.table} (${(s.columns || []).join(', ')}): cost ${
                        fmt.number(s.cost_before, 1)} → ${fmt.number(s.cost_after, 1)}`,
                    el('pre', {}, s.statement), copyButton(s.statement)))) :
      note('No index suggestion.');
  const others = [
    ...(data.unused || [])
        .map((u) => `unused: ${u.index} on ${u.table} (${fmt.bytes(u.bytes)}, ${u.scans} scans)`),
    ...(data.duplicates || [])
        .map((d) => `duplicate: ${d.index} duplicates ${d.duplicate_of} on ${d.table}`),
    ...(data.invalid || []).map((i) => `invalid: ${i.index} on ${i.table}`),
  ];
  return [
    list, others.length ? el('ul', {}, others.map((o) => el('li', {}, o))) : null,
    data.hypopg === false ? note('hypopg is not installed: suggestions are not costed.') : null
  ];
}

export async function render(container, firstTime) {
  if (!firstTime) return;
  const queries = api.get('/api/v1/monitoring/database/queries');
  queries.catch(() => {});
  container.replaceChildren(
      el('div', {class: 'grid'},
         loadingPanel(
             'Connection pool', () => api.get('/api/v1/monitoring/database/pool'), pool, true),
         loadingPanel('Top statements by total time', () => queries, topStatements, true),
         loadingPanel('Slow statements', () => queries, slowStatements, true),
         loadingPanel('N+1 reports', () => queries, nPlusOne),
         loadingPanel(
             'Index suggestions', () => api.get('/api/v1/monitoring/database/indexes'), indexes)));
}
