// The dashboard's entry point: the admin key form, the views (#overview, #jobs, ...) and the live
// refresh every 5 s of the view on screen. A key is kept (sessionStorage, this tab only) only after
// the server accepted it as an admin key.
import * as api from './api.js';
import {destroyAll} from './charts.js';
import * as database from './database.js';
import {el, note} from './dom.js';
import * as feedback from './feedback.js';
import * as jobs from './jobs.js';
import * as metrics from './metrics.js';
import * as operations from './operations.js';
import * as overview from './overview.js';
import {errorText} from './panels.js';

const VIEWS = {
  overview,
  jobs,
  metrics,
  feedback,
  database,
  operations
};
const REFRESH_MS = 5000;
const main = document.getElementById('view');
const status = document.getElementById('key-status');
let busy = false;
let renders = 0;

function currentView() {
  const name = location.hash.slice(1);
  return VIEWS[name] ? name : 'overview';
}

function say(text, isError) {
  status.textContent = text;
  status.classList.toggle('error', Boolean(isError));
}

// Marks the end of a render for whoever watches the page (the browser test waits on it).
function rendered(name) {
  renders += 1;
  document.body.dataset.view = name;
  document.body.dataset.renders = String(renders);
}

async function show(firstTime) {
  if (busy) return;
  const name = currentView();
  for (const link of document.querySelectorAll('.views a')) {
    if (link.getAttribute('href') === `#${name}`)
      link.setAttribute('aria-current', 'page');
    else
      link.removeAttribute('aria-current');
  }
  if (!api.storedKey()) {
    main.replaceChildren(note('Type the admin key above to see the figures.'));
    rendered(name);
    return;
  }
  busy = true;
  try {
    if (firstTime) {
      destroyAll();
      main.replaceChildren(note('Loading…'));
    }
    await VIEWS[name].render(main, firstTime);
  } catch (e) {
    main.replaceChildren(el('p', {class: 'error-text'}, errorText(e)));
  } finally {
    busy = false;
    rendered(name);
  }
}

async function useKey(event) {
  event.preventDefault();
  const input = document.getElementById('admin-key');
  const key = input.value.trim();
  input.value = '';
  if (!key) return;
  say('Checking the key…');
  const problem = await api.checkKey(key);
  if (problem) {
    api.forgetKey();
    say(problem, true);
    main.replaceChildren(note('Type the admin key above to see the figures.'));
    return;
  }
  api.storeKey(key);
  say('Admin key accepted; kept in this tab only (sessionStorage).');
  await show(true);
  main.focus();
}

function forget() {
  api.forgetKey();
  destroyAll();
  say('Key forgotten.');
  show(true);
}

async function start() {
  document.getElementById('key-form').addEventListener('submit', useKey);
  document.getElementById('forget-key').addEventListener('click', forget);
  window.addEventListener('hashchange', () => show(true));
  try {
    await api.loadRoutes();
  } catch (e) {
    say(`Could not read /openapi.json (${e.message}); every panel will try its route.`, true);
  }
  if (api.storedKey()) say('Using the admin key kept in this tab.');
  await show(true);
  setInterval(() => {
    if (document.visibilityState === 'visible') show(false);
  }, REFRESH_MS);
}

start();
