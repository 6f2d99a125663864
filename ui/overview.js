// Overview: is everything all right, and if not, where? Each card has a state (green, amber, red,
// or idle when there is nothing to judge yet) and the threshold it is judged against; the banner
// on top is the worst of them. Request and error rates come from /metrics scraped on each refresh.
import * as api from './api.js';
import {chartFigure, palette, timeAxis, valueAxis} from './charts.js';
import {badge, el, note, panel} from './dom.js';
import * as fmt from './format.js';
import {errorText} from './panels.js';
import * as prom from './prom.js';

const RANK = {
  idle: 0,
  green: 1,
  amber: 2,
  red: 3
};
const scrapes = [];
// What this tab has seen on its refreshes: [{at, values: {series: number | null}}].
const hitHistory = [];
const requestHistory = [];
const MIN_LOOKUPS = 100;

function card(title, state, value, threshold, extra) {
  return el(
      'section',
      {class: 'panel card', 'data-card': title, 'data-state': state, 'aria-label': title},
      el('h2', {}, title, ' ', badge(state)), el('p', {class: 'card-value'}, value), extra,
      el('p', {class: 'threshold'}, threshold));
}

function ladder(value, amberAt, redAt) {
  if (value >= redAt) return 'red';
  return value >= amberAt ? 'amber' : 'green';
}

const LAG_RULE = 'lag green < 5 s, amber < 30 s, red ≥ 30 s or down';
const READY_RULE = 'as /readyz judges it: green up, amber lagging, red down';

// Replicas as /readyz reports them ({host, state, lag_s}), else from the pool's replica hosts.
function replicaCards(ready, pool) {
  const reported = ((ready.database || {}).replicas || []).filter((r) => r && r.host);
  if (reported.length) {
    return reported.map(
        (r) => card(
            `Replica ${r.host}`, {up: 'green', lagging: 'amber'}[r.state] || 'red',
            `${r.state}, lag ${fmt.number(r.lag_s, 1)} s`, READY_RULE));
  }
  const hosts = (pool.hosts || []).filter((h) => h.role === 'replica');
  if (!hosts.length) return [card('Replicas', 'idle', 'none configured', LAG_RULE)];
  return hosts.map((h) => {
    const lag = h.replication_lag_s;
    const state = !h.healthy ? 'red' : ladder(lag ?? 0, 5, 30);
    return card(
        `Replica ${h.host}`, state, h.healthy ? `lag ${fmt.number(lag, 1)} s` : 'down', LAG_RULE);
  });
}

function databaseCards(ready, pool) {
  const cards = [];
  const primary = ready.database ? ready.database.primary : 'down';
  cards.push(card(
      'Primary database', primary === 'up' ? 'green' : 'red', primary,
      'green when it answers, red when down'));
  cards.push(...replicaCards(ready, pool));
  for (const h of pool.hosts || []) {
    const ratio = h.max > 0 ? h.active / h.max : 0;
    const state = h.waiting > 0 ? (ratio >= 1 ? 'red' : 'amber') : ladder(ratio, 0.8, 1);
    cards.push(card(
        `Pool ${h.role} ${h.host}`, state, `${h.active} in use of ${h.max}`,
        'green < 80 % of max in use, amber ≥ 80 % or requests waiting, red at max with requests waiting',
        el('p', {},
           `${h.idle} idle, ${h.waiting} waiting, ${
               fmt.number(h.acquire_timeouts_total)} timeouts so far`)));
  }
  return cards;
}

function cacheCards(cache) {
  const redis = cache.redis ? cache.redis.state : 'disabled';
  const redisState = {up: 'green', disabled: 'amber', down: 'red'}[redis] || 'red';
  const cards =
      [card('Redis', redisState, redis, 'green up, amber disabled (no shared cache), red down')];
  for (const [name, levels] of Object.entries(cache.caches || {})) {
    const l1 = levels.l1 || {};
    const lookups = (l1.hits || 0) + (l1.misses || 0);
    const state = lookups < MIN_LOOKUPS || l1.hit_rate === null ?
        'idle' :
        (l1.hit_rate >= 0.8     ? 'green' :
             l1.hit_rate >= 0.5 ? 'amber' :
                                  'red');
    cards.push(card(
        `Cache ${name}`, state,
        `L1 ${fmt.percent(l1.hit_rate)}, L2 ${fmt.percent(levels.l2 ? levels.l2.hit_rate : null)}`,
        `L1 hit rate green ≥ 80 %, amber ≥ 50 %, red < 50 % (judged from ${MIN_LOOKUPS} lookups; ${
            fmt.number(lookups)} so far)`));
  }
  return cards;
}

function metricsCards(samples, rates) {
  const cards = [];
  const breakers = prom.breakerStates(samples);
  for (const [name, state] of Object.entries(breakers)) {
    cards.push(card(
        `Breaker ${name}`, {closed: 'green', half_open: 'amber', open: 'red'}[state] || 'red',
        state, 'green closed, amber half open (probing), red open (calls refused)'));
  }
  if (!rates) {
    cards.push(
        card('Request rate', 'idle', 'measuring…', 'needs two scrapes of /metrics (one refresh)'));
    cards.push(
        card('Error rate', 'idle', 'measuring…', '5xx share: green < 1 %, amber < 5 %, red ≥ 5 %'));
    return cards;
  }
  cards.push(card(
      'Request rate', ladder(rates.refused_ratio, 0.01, 0.1),
      `${fmt.number(rates.requests_per_s, 1)} req/s`,
      `refused (429) share ${
          fmt.percent(rates.refused_ratio)}: green < 1 %, amber < 10 %, red ≥ 10 %`));
  cards.push(card(
      'Error rate', ladder(rates.error_ratio, 0.01, 0.05), fmt.percent(rates.error_ratio, 2),
      '5xx share of responses: green < 1 %, amber < 5 %, red ≥ 5 %'));
  return cards;
}

// A line per series of `history` ([{at, values: {series: number | null}}]), with its table.
function historyChart(title, history, unit, yScale = {}) {
  const names = [...new Set(history.flatMap((h) => Object.keys(h.values)))];
  const colours = palette();
  const present = (v) => v !== null && v !== undefined;
  const datasets = names.map((name, i) => ({
                               label: name,
                               borderColor: colours[i % colours.length],
                               backgroundColor: colours[i % colours.length],
                               data: history.filter((h) => present(h.values[name]))
                                         .map((h) => ({x: h.at, y: h.values[name]})),
                             }));
  const columns = [
    {label: 'time (UTC)', cell: (h) => new Date(h.at).toISOString().slice(11, 19)},
    ...names.map(
        (n) => ({label: `${n} (${unit})`, num: true, cell: (h) => fmt.number(h.values[n], 2)}))
  ];
  const options = {
    scales: {x: timeAxis(true), y: valueAxis({title: {display: true, text: unit}, ...yScale})}
  };
  const figure =
      chartFigure(title, {type: 'line', data: {datasets}, options}, columns, history).figure;
  return el('section', {class: 'panel wide', 'aria-label': title}, figure);
}

function remember(history, entry) {
  history.push(entry);
  if (history.length > 120) history.shift();
}

// The worst state of the cards; a panel that could not load counts as red.
function summary(cards, failed) {
  const judged = cards.map((c) => c.dataset.state).concat(failed.map(() => 'red'));
  const worst = judged.reduce((a, s) => (RANK[s] > RANK[a] ? s : a), 'green');
  const bad = cards.filter((c) => c.dataset.state === 'red' || c.dataset.state === 'amber')
                  .map((c) => c.dataset.card)
                  .concat(failed.map((f) => f.getAttribute('aria-label')));
  const text = worst === 'green' ? 'All green: every judged component is within its threshold.' :
                                   `${worst === 'red' ? 'Problem' : 'Warning'}: ${bad.join(', ')}`;
  return el(
      'p', {
        id: 'overview-summary',
        class: `summary state-${worst}`,
        'data-state': worst,
        role: 'status'
      },
      text);
}

export async function render(container) {
  const [ready, pool, cache, metricsText] = await Promise.all([
    api.open('/readyz'),
    api.get('/api/v1/monitoring/database/pool').catch((e) => ({error: e})),
    api.get('/api/v1/monitoring/cache').catch((e) => ({error: e})),
    api.open('/metrics'),
  ]);
  const now = Date.now();
  scrapes.push({at: now, samples: prom.parse(metricsText)});
  if (scrapes.length > 2) scrapes.shift();
  const cards = [];
  const failed = [];
  if (pool.error)
    failed.push(panel('Database pool', el('p', {class: 'error-text'}, errorText(pool.error))));
  cards.push(...databaseCards(ready, pool.error ? {} : pool));
  if (cache.error)
    failed.push(panel('Cache', el('p', {class: 'error-text'}, errorText(cache.error))));
  else {
    cards.push(...cacheCards(cache));
    const percent = (l) => (l.l1 && l.l1.hit_rate !== null ? l.l1.hit_rate * 100 : null);
    const values = Object.entries(cache.caches || {}).map(([n, l]) => [n, percent(l)]);
    remember(hitHistory, {at: now, values: Object.fromEntries(values)});
  }
  const rates = prom.requestRates(scrapes[scrapes.length - 2], scrapes[scrapes.length - 1]);
  if (rates) {
    const errors = rates.requests_per_s * rates.error_ratio;
    remember(requestHistory, {at: now, values: {all: rates.requests_per_s, '5xx': errors}});
  }
  cards.push(...metricsCards(scrapes[scrapes.length - 1].samples, rates));
  const charts = [
    historyChart('L1 cache hit rate over time', hitHistory, '%', {min: 0, max: 100}),
    historyChart('Responses per second over time', requestHistory, 'req/s', {beginAtZero: true}),
  ];
  container.replaceChildren(
      summary(cards, failed), el('div', {class: 'grid'}, cards, failed, charts),
      note(
          `Updated ${fmt.time(new Date(now).toISOString())}; refreshed every 5 s; ` +
          'the charts show what this tab has seen since it opened.'));
}
