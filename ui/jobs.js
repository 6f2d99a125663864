// Jobs: backfill jobs with a progress bar, rate, ETA and `stale` marked, filtered by type and
// status, refreshed live; a click on a job shows its record and the progress this tab has seen.
import * as api from './api.js';
import {badge, el, note, panel, table} from './dom.js';
import * as fmt from './format.js';
import {errorText} from './panels.js';

const filters = {
  status: '',
  job_type: ''
};
const seen = new Map();  // job id -> [{at, current_block, progress_percentage}]
let selected = null;

// Blocks per second since the job started; null before any progress.
export function rate(job) {
  const seconds = (Date.parse(job.updated_at) - Date.parse(job.started_at)) / 1000;
  const done = job.current_block - job.start_block;
  return seconds > 0 && done > 0 ? done / seconds : null;
}

// The server's estimate when it has one, else the remaining blocks at the observed rate.
export function eta(job) {
  if (job.status !== 'running') return null;
  if (job.estimated_completion) return Date.parse(job.estimated_completion);
  const r = rate(job);
  return r ? Date.parse(job.updated_at) + ((job.end_block - job.current_block) / r) * 1000 : null;
}

function remember(job) {
  const list = seen.get(job.id) || [];
  const last = list[list.length - 1];
  if (!last || last.version !== job.version)
    list.push({
      at: job.updated_at,
      version: job.version,
      current_block: job.current_block,
      progress: job.progress_percentage,
      status: job.status
    });
  seen.set(job.id, list.slice(-50));
}

function statusCell(job) {
  const state = {running: 'green', paused: 'amber', completed: 'idle', failed: 'red'}[job.status] ||
      'idle';
  return [badge(state, job.status), job.stale ? [' ', badge('amber', 'stale')] : null];
}

function progressCell(job) {
  const pct = Number(job.progress_percentage) || 0;
  return el(
      'span', {class: 'progress-cell'},
      el('progress', {max: 100, value: pct, 'aria-label': `progress of job ${job.id}`}),
      ` ${fmt.number(pct, 1)} %`);
}

function etaCell(job) {
  const at = eta(job);
  if (!at) return '—';
  const left = (at - Date.now()) / 1000;
  return `${fmt.time(new Date(at).toISOString())} (${
      left >= 0 ? `in ${fmt.duration(left)}` : `${fmt.duration(-left)} overdue`})`;
}

const COLUMNS = [
  {
    label: 'job',
    cell: (j) =>
        el('button', {
          type: 'button',
          class: 'job-link',
          'data-job': j.id,
          onclick: () => {
            selected = j.id;
            refreshDetail();
          }
        },
           j.id.slice(0, 8) + '…')
  },
  {label: 'type', cell: (j) => j.job_type},
  {label: 'status', cell: statusCell},
  {label: 'progress', cell: progressCell},
  {
    label: 'blocks',
    num: true,
    cell: (j) => `${fmt.number(j.current_block)} / ${fmt.number(j.end_block)}`
  },
  {label: 'rate', num: true, cell: (j) => (rate(j) ? `${fmt.number(rate(j), 1)} blocks/s` : '—')},
  {label: 'ETA', cell: etaCell},
  {label: 'updated', cell: (j) => fmt.time(j.updated_at)},
];

let detailBox = null;

async function refreshDetail() {
  if (!detailBox || !selected) return;
  try {
    const job = await api.get(
        `/api/v1/monitoring/backfill/${encodeURIComponent(selected)}`,
        '/api/v1/monitoring/backfill/{job_id}');
    remember(job);
    const fields = [
      'id', 'job_type', 'status', 'start_block', 'end_block', 'current_block',
      'progress_percentage', 'estimated_completion', 'error_message', 'started_at', 'updated_at',
      'completed_at', 'created_by', 'version', 'stale'
    ];
    detailBox.replaceChildren(panel(
        `Job ${job.id}`,
        table(
            [
              {label: 'field', cell: (f) => f},
              {label: 'value', cell: (f) => (job[f] === null ? '—' : String(job[f]))}
            ],
            fields, 'job record'),
        el('h3', {}, 'History seen by this tab'),
        table(
            [
              {label: 'updated', cell: (h) => fmt.time(h.at)},
              {label: 'version', num: true, cell: (h) => h.version},
              {label: 'status', cell: (h) => h.status},
              {label: 'block', num: true, cell: (h) => fmt.number(h.current_block)},
              {label: 'progress', num: true, cell: (h) => `${fmt.number(h.progress, 1)} %`}
            ],
            seen.get(job.id) || [], 'job history')));
  } catch (e) {
    detailBox.replaceChildren(el('p', {class: 'error-text'}, errorText(e)));
  }
}

function filterForm(onChange) {
  const status =
      el('select', {
        id: 'job-status',
        onchange: (e) => {
          filters.status = e.target.value;
          onChange();
        }
      },
         ['', 'running', 'paused', 'completed', 'failed'].map(
             (s) => el('option', {value: s, selected: s === filters.status}, s || 'any')));
  const type = el('input', {
    id: 'job-type',
    type: 'text',
    value: filters.job_type,
    placeholder: 'any',
    pattern: '[a-z0-9_]{1,50}',
    onchange: (e) => {
      filters.job_type = e.target.value.trim();
      onChange();
    }
  });
  return el(
      'div', {class: 'filters', role: 'search'}, el('label', {}, 'Status', status),
      el('label', {}, 'Job type', type));
}

let listBox = null;

async function refreshList() {
  const query = new URLSearchParams({limit: '100'});
  if (filters.status) query.set('status', filters.status);
  if (filters.job_type) query.set('job_type', filters.job_type);
  try {
    const page = await api.get(`/api/v1/monitoring/backfill/status?${query}`);
    page.jobs.forEach(remember);
    listBox.replaceChildren(
        page.jobs.length ? table(COLUMNS, page.jobs, 'backfill jobs') : note('No job matches.'),
        note(`${page.jobs.length} job(s), newest first; updated ${
            fmt.time(new Date().toISOString())}, refreshed every 5 s.`));
  } catch (e) {
    listBox.replaceChildren(el('p', {class: 'error-text'}, errorText(e)));
  }
}

export async function render(container, firstTime) {
  if (firstTime || !listBox || !container.contains(listBox)) {
    listBox = el('div', {id: 'job-list'}, note('Loading…'));
    detailBox = el('div', {id: 'job-detail', 'aria-live': 'polite'});
    container.replaceChildren(panel('Backfill jobs', filterForm(refreshList), listBox), detailBox);
  }
  await Promise.all([refreshList(), refreshDetail()]);
}
