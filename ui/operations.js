// Operations: retention runs and backups with their ages against the targets (a backup older than
// 26 h is red), verify results, and buttons that ask for confirmation, then run a dry-run
// retention, a backup or a verify and show the result.
import * as api from './api.js';
import {badge, el, note, panel, table} from './dom.js';
import * as fmt from './format.js';
import {errorText, loadingPanel} from './panels.js';

// Age targets in hours: [green up to, amber up to]; older is red.
const BACKUP_TARGET = [24, 26];
const RETENTION_TARGET = [26, 50];

function ageBadge(iso, [green, amber]) {
  if (!iso) return badge('red', 'none yet');
  const hours = fmt.ageSeconds(iso) / 3600;
  const state = hours <= green ? 'green' : hours <= amber ? 'amber' : 'red';
  return badge(state, `${fmt.duration(hours * 3600)} old`);
}

// A run or backup that ended well (`status` succeeded; one without a status has a finished_at).
function finished(item) {
  return Boolean(item.finished_at) && (!item.status || item.status === 'succeeded');
}

function retention(data) {
  const runs = data.runs || [];
  const newest = runs.find((r) => !r.dry_run && finished(r));
  return [
    el('p', {}, 'Newest real run: ', ageBadge(newest && newest.finished_at, RETENTION_TARGET),
       ` (target: green ≤ ${RETENTION_TARGET[0]} h, amber ≤ ${
           RETENTION_TARGET[1]} h, red older or none)`),
    runs.length ?
        table(
            [
              {label: 'started', cell: (r) => fmt.time(r.started_at)},
              {label: 'dry run', cell: (r) => (r.dry_run ? 'yes' : 'no')},
              {label: 'status', cell: (r) => r.status || '—'},
              {
                label: 'tables',
                cell: (r) =>
                    (r.policies || [])
                        .map((p) => `${p.table}: ${p.archived} archived, ${p.deleted} deleted`)
                        .join('; ')
              },
            ],
            runs, 'retention runs') :
        note('No retention run yet.'),
  ];
}

function backups(data) {
  const list = data.backups || [];
  const newest =
      list.filter(finished).reduce((a, b) => (!a || b.finished_at > a.finished_at ? b : a), null);
  return [
    el('p', {}, 'Newest backup: ', ageBadge(newest && newest.finished_at, BACKUP_TARGET),
       ` (target: green ≤ ${BACKUP_TARGET[0]} h, amber ≤ ${BACKUP_TARGET[1]} h, red older than ${
           BACKUP_TARGET[1]} h or none)`),
    list.length ? table(
                      [
                        {label: 'finished', cell: (b) => fmt.time(b.finished_at)},
                        {label: 'status', cell: (b) => b.status || '—'},
                        {label: 'kind', cell: (b) => b.kind},
                        {label: 'size', num: true, cell: (b) => fmt.bytes(b.bytes)},
                        {label: 'location', cell: (b) => b.location},
                        {
                          label: 'verified',
                          cell: (b) =>
                              (b.verified_at ? `${fmt.time(b.verified_at)}: ${b.verify_result}` :
                                               'not verified')
                        },
                      ],
                      list, 'backups') :
                  note('No backup yet.'),
  ];
}

// A button that first asks "really?", then calls `run()` and shows its result as text.
function confirmedAction(label, question, route, run) {
  const result = el('div', {'aria-live': 'polite'});
  const box = el('div', {});
  const start =
      el('button', {
        type: 'button',
        class: 'primary',
        onclick: () => {
          const yes =
              el('button', {
                type: 'button',
                class: 'primary',
                onclick: async () => {
                  box.replaceChildren(note('Running…'));
                  try {
                    const answer = await run();
                    result.replaceChildren(
                        el('p', {}, `${label}: done.`),
                        el('pre', {}, JSON.stringify(answer, null, 2)));
                  } catch (e) {
                    result.replaceChildren(
                        el('p', {class: 'error-text'}, `${label}: ${errorText(e)}`));
                  }
                  box.replaceChildren(start);
                }
              },
                 'Yes, run it');
          const no =
              el('button', {
                type: 'button',
                onclick: () => {
                  box.replaceChildren(start);
                  start.focus();
                }
              },
                 'Cancel');
          box.replaceChildren(
              el('div', {class: 'confirm', role: 'group', 'aria-label': question},
                 el('span', {}, question), yes, no));
          yes.focus();
        }
      },
         label);
  box.append(api.hasRoute(route) ? start : note(`${label}: not available on this server yet.`));
  return el('div', {}, box, result);
}

// The two lists; drawn again after an action ran, so a new run or backup shows at once.
function lists(box) {
  box.replaceChildren(
      loadingPanel(
          'Retention runs', () => api.get('/api/v1/monitoring/retention/runs?limit=20'), retention,
          true),
      loadingPanel('Backups', () => api.get('/api/v1/monitoring/backup'), backups, true));
}

export async function render(container, firstTime) {
  if (!firstTime) return;
  const listBox = el('div', {class: 'grid'});
  const after = (run) => async () => {
    const answer = await run();
    lists(listBox);
    return answer;
  };
  const actions = panel(
      'Run now',
      el('div', {class: 'actions'},
         confirmedAction(
             'Dry-run retention', 'Run retention as a dry run (nothing is deleted)?',
             '/api/v1/monitoring/retention/run',
             after(() => api.post('/api/v1/monitoring/retention/run', {dry_run: true}))),
         confirmedAction(
             'Back up now', 'Take a backup now?', '/api/v1/monitoring/backup/run',
             after(() => api.post('/api/v1/monitoring/backup/run', {}))),
         confirmedAction(
             'Verify newest backup', 'Verify the newest backup by a test restore?',
             '/api/v1/monitoring/backup/verify',
             after(() => api.post('/api/v1/monitoring/backup/verify', {})))));
  actions.classList.add('wide');
  lists(listBox);
  container.replaceChildren(listBox, el('div', {class: 'grid ops-actions'}, actions));
}
