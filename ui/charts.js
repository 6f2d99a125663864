// Charts: Chart.js (window.Chart, from Debian's libjs-chart.js) on a canvas, always with the same
// numbers in a table for screen readers (visually hidden until "Show numbers" is pressed).
import {el, table} from './dom.js';

const live = new Set();

function themeColours() {
  const css = getComputedStyle(document.documentElement);
  const v = (name) => css.getPropertyValue(name).trim();
  return {
    fg: v('--fg'),
    line: v('--line'),
    accent: v('--accent'),
    green: v('--green'),
    amber: v('--amber'),
    red: v('--red')
  };
}

export function palette() {
  const c = themeColours();
  return [c.accent, c.green, c.amber, c.red, c.fg];
}

// Destroys the charts of the view being left.
export function destroyAll() {
  for (const chart of live) chart.destroy();
  live.clear();
}

// A figure: canvas + numbers table. `config` is a Chart.js configuration; `columns`/`rows` the
// table (dom.table's shape). Returns {figure, chart}.
export function chartFigure(title, config, columns, rows) {
  const canvas =
      el('canvas', {role: 'img', 'aria-label': `${title} (chart; the numbers follow as a table)`});
  const numbers = el('div', {class: 'sr-only'}, table(columns, rows, `${title}: the numbers`));
  const toggle =
      el('button', {
        type: 'button',
        'aria-expanded': 'false',
        onclick: () => {
          const shown = numbers.classList.toggle('sr-only') === false;
          toggle.setAttribute('aria-expanded', String(shown));
          toggle.textContent = shown ? 'Hide numbers' : 'Show numbers';
        },
      },
         'Show numbers');
  const figure =
      el('figure', {class: 'chart'}, el('figcaption', {}, title),
         el('div', {class: 'chart-box'}, canvas), toggle, numbers);
  const c = themeColours();
  const chart = new window.Chart(canvas, {
    ...config,
    options: {
      animation: false,
      responsive: true,
      maintainAspectRatio: false,
      color: c.fg,
      plugins: {legend: {labels: {color: c.fg}}},
      ...config.options,
    },
  });
  live.add(chart);
  return {figure, chart};
}

// A linear x axis of epoch milliseconds, labelled in UTC.
// `seconds`: label ticks HH:MM:SS (for the minutes a tab has been open), else MM-DD HH:MM.
export function timeAxis(seconds = false) {
  const c = themeColours();
  return {
    type: 'linear',
    grid: {color: c.line},
    ticks: {
      color: c.fg,
      maxTicksLimit: 8,
      callback: (value) => seconds ? new Date(value).toISOString().slice(11, 19) :
                                     new Date(value).toISOString().slice(5, 16).replace('T', ' '),
    },
  };
}

export function valueAxis(extra = {}) {
  const c = themeColours();
  return {grid: {color: c.line}, ticks: {color: c.fg}, ...extra};
}
