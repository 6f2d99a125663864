// Metrics: pick a service and a metric type, see the hourly aggregate as a band (min to max, the
// average as a line) over the chosen range, and the raw points over ranges of 6 h or less
// ("zoomed in": a raw page holds at most 10,000 points). The series to pick from are read page by
// page (500 a page, following next_cursor), up to SERIES_SHOWN of them: a writer can create
// 10,000 series per batch, and a million would be 2,000 requests and a picker no one can use.
import * as api from './api.js';
import {chartFigure, destroyAll, palette, timeAxis, valueAxis} from './charts.js';
import {clear, el, note, panel} from './dom.js';
import * as fmt from './format.js';
import {errorText} from './panels.js';

const RANGES = [['1', '1 h'], ['6', '6 h'], ['24', '24 h'], ['72', '3 days'], ['168', '7 days']];
const RAW_UP_TO_HOURS = 6;
const SERIES_PAGE = 500;  // the route's largest page
const SERIES_SHOWN = 10000;
const choice = {
  service: '',
  type: '',
  hours: '24'
};

// The series by (service_name, metric_type), up to SERIES_SHOWN; `more` when the list goes on.
async function loadSeries() {
  const series = [];
  let cursor = null;
  do {
    const q = new URLSearchParams({limit: String(SERIES_PAGE)});
    if (cursor) q.set('cursor', cursor);
    const page = await api.get(`/api/v1/monitoring/metrics/series?${q}`);
    series.push(...(page.series || []));
    cursor = page.next_cursor || null;
  } while (cursor && series.length < SERIES_SHOWN);
  return {series, more: cursor !== null};
}

async function load(series) {
  const end = new Date();
  const start = new Date(end.getTime() - Number(choice.hours) * 3600 * 1000);
  const q = {
    service_name: choice.service,
    metric_type: choice.type,
    start: start.toISOString(),
    end: end.toISOString()
  };
  const interval = Number(choice.hours) > 72 ? 'day' : 'hour';
  const aggregate =
      api.get(`/api/v1/monitoring/metrics/aggregate?${new URLSearchParams({...q, interval})}`);
  const raw = Number(choice.hours) <= RAW_UP_TO_HOURS ?
      api.get(`/api/v1/monitoring/metrics?${new URLSearchParams({...q, limit: '10000'})}`) :
      Promise.resolve(null);
  const unit =
      (series.find((s) => s.service_name === choice.service && s.metric_type === choice.type) ||
       {}).unit ||
      '';
  return {
    aggregate: await aggregate,
    raw: await raw,
    unit,
    interval,
    from: start.getTime(),
    to: end.getTime()
  };
}

function draw({aggregate, raw, unit, interval, from, to}) {
  const colours = palette();
  const buckets = aggregate.buckets || [];
  // Each bucket is drawn over its width inside the range: a point at its start and one just before
  // its end, with a gap (null) between buckets that are not adjacent.
  const width = (interval === 'day' ? 86400 : 3600) * 1000;
  const band = (field) => buckets.flatMap((b, i) => {
    const start = Date.parse(b.bucket_start);
    const next = buckets[i + 1] ? Date.parse(buckets[i + 1].bucket_start) : null;
    const edges = [
      {x: Math.max(start, from), y: b[field]}, {x: Math.min(start + width - 1, to), y: b[field]}
    ];
    return next !== null && next !== start + width ? [...edges, {x: start + width, y: null}] :
                                                     edges;
  });
  const datasets = [
    {
      label: `${interval} max`,
      data: band('max'),
      borderColor: colours[0],
      backgroundColor: `${colours[0]}33`,
      fill: '+1',
      pointRadius: 0
    },
    {label: `${interval} min`, data: band('min'), borderColor: colours[0], pointRadius: 0},
    {
      label: `${interval} average`,
      data: band('avg'),
      borderColor: colours[1],
      backgroundColor: colours[1],
      pointRadius: 0
    },
  ];
  const points = raw ? raw.metrics : [];
  if (raw)
    datasets.push({
      type: 'scatter',
      label: 'raw points',
      data: points.map((m) => ({x: Date.parse(m.timestamp), y: m.metric_value})),
      borderColor: colours[3],
      backgroundColor: colours[3],
      pointRadius: 3
    });
  const title = `${choice.service} ${choice.type} (${unit}), last ${
      RANGES.find((r) => r[0] === choice.hours)[1]}`;
  const rows = [
    ...buckets.map((b) => ({
                     kind: `${interval} bucket`,
                     at: b.bucket_start,
                     value: `avg ${fmt.number(b.avg, 3)}, min ${fmt.number(b.min, 3)}, max ${
                         fmt.number(b.max, 3)}, ${b.count} points`
                   })),
    ...points.map(
        (m) => ({kind: 'raw point', at: m.timestamp, value: fmt.number(m.metric_value, 6)}))
  ];
  const {figure} = chartFigure(
      title, {
        type: 'line',
        data: {datasets},
        options: {
          scales: {
            x: {...timeAxis(), min: from, max: to},
            y: valueAxis({title: {display: true, text: unit}})
          }
        },
      },
      [
        {label: 'what', cell: (r) => r.kind}, {label: 'time', cell: (r) => fmt.time(r.at)},
        {label: 'value', cell: (r) => r.value}
      ],
      rows);
  figure.dataset.rawPoints = String(points.length);
  figure.dataset.buckets = String(buckets.length);
  return [
    figure,
    raw && raw.next_cursor ? note('More than 10,000 raw points: only the first page is drawn.') :
                             null,
    raw ? null : note(`Raw points are drawn for ranges of ${RAW_UP_TO_HOURS} h or less.`)
  ];
}

function picker(series, onChange) {
  const services = [...new Set(series.map((s) => s.service_name))].sort();
  if (!services.includes(choice.service)) choice.service = services[0] || '';
  const types =
      series.filter((s) => s.service_name === choice.service).map((s) => s.metric_type).sort();
  if (!types.includes(choice.type)) choice.type = types[0] || '';
  const select = (id, values, key) =>
      el('select', {
        id,
        onchange: (e) => {
          choice[key] = e.target.value;
          onChange();
        }
      },
         values.map(([v, label]) => el('option', {value: v, selected: v === choice[key]}, label)));
  return el(
      'div', {class: 'filters'},
      el('label', {}, 'Service', select('metric-service', services.map((s) => [s, s]), 'service')),
      el('label', {}, 'Metric type', select('metric-type', types.map((t) => [t, t]), 'type')),
      el('label', {}, 'Range', select('metric-range', RANGES, 'hours')));
}

export async function render(container, firstTime) {
  if (!firstTime) return;  // no live refresh: the operator picks what to load
  const body = el('div', {}, note('Loading…'));
  container.replaceChildren(panel('Metrics', body));
  let series, more;
  try {
    ({series, more} = await loadSeries());
  } catch (e) {
    body.replaceChildren(el('p', {class: 'error-text'}, errorText(e)));
    return;
  }
  const chartBox = el('div', {id: 'metric-chart', 'aria-live': 'polite'});
  const redraw = async () => {
    destroyAll();
    const cut = `Only the first ${series.length} series (by service, then metric type) are listed.`;
    body.replaceChildren(
        ...[picker(series, redraw), more ? note(cut) : null, chartBox].filter(Boolean));
    if (!choice.service) {
      chartBox.replaceChildren(note('No metric series yet.'));
      return;
    }
    clear(chartBox).append(note('Loading…'));
    try {
      chartBox.replaceChildren(...draw(await load(series)).filter(Boolean));
    } catch (e) {
      chartBox.replaceChildren(el('p', {class: 'error-text'}, errorText(e)));
    }
  };
  await redraw();
}
