// Feedback: the most-rated and most-flagged insights and the rating distribution, computed from the
// newest 500 feedback records (api.md has no "top insights" route), with the exact statistics of
// the top insights from /feedback/stats/batch, and the newest comments (shown as text).
import * as api from './api.js';
import {chartFigure, palette, valueAxis} from './charts.js';
import {el, note, table} from './dom.js';
import * as fmt from './format.js';
import {loadingPanel} from './panels.js';

const SAMPLE = 500;
const TOP = 10;

function tally(records) {
  const byInsight = new Map();
  const distribution = {1: 0, 2: 0, 3: 0, 4: 0, 5: 0};
  for (const r of records) {
    const t = byInsight.get(r.insight_id) || {insight_id: r.insight_id, ratings: 0, flags: 0};
    if (r.rating !== null && r.rating !== undefined) {
      t.ratings += 1;
      distribution[r.rating] += 1;
    }
    if (r.flag_type) t.flags += 1;
    byInsight.set(r.insight_id, t);
  }
  const all = [...byInsight.values()];
  return {
    mostRated: all.filter((t) => t.ratings > 0).sort((a, b) => b.ratings - a.ratings).slice(0, TOP),
    mostFlagged: all.filter((t) => t.flags > 0).sort((a, b) => b.flags - a.flags).slice(0, TOP),
    distribution,
  };
}

async function loadAll() {
  const page = await api.get(`/api/v1/feedback?limit=${SAMPLE}`);
  const t = tally(page.feedback || []);
  const ids = [...new Set([...t.mostRated, ...t.mostFlagged].map((x) => x.insight_id))];
  const stats =
      ids.length ? (await api.post('/api/v1/feedback/stats/batch', {insight_ids: ids})).stats : [];
  return {
    ...t,
    records: page.feedback || [],
    more: Boolean(page.next_cursor),
    stats: new Map(stats.map((s) => [s.insight_id, s]))
  };
}

function insightTable(rows, stats, caption) {
  if (!rows.length) return note('None in the sample.');
  return table(
      [
        {label: 'insight', cell: (r) => r.insight_id},
        {
          label: 'ratings',
          num: true,
          cell: (r) => fmt.number((stats.get(r.insight_id) || {}).total_ratings)
        },
        {
          label: 'average',
          num: true,
          cell: (r) => fmt.number((stats.get(r.insight_id) || {}).average_rating, 2)
        },
        {
          label: 'flags',
          num: true,
          cell: (r) => fmt.number((stats.get(r.insight_id) || {}).total_flags)
        },
      ],
      rows, caption);
}

function distributionChart(distribution) {
  const stars = ['1', '2', '3', '4', '5'];
  return chartFigure(
             'Rating distribution (sample)', {
               type: 'bar',
               data: {
                 labels: stars.map((s) => `${s}★`),
                 datasets: [{
                   label: 'ratings',
                   data: stars.map((s) => distribution[s]),
                   backgroundColor: palette()[0]
                 }]
               },
               options: {
                 scales: {x: valueAxis(), y: valueAxis({beginAtZero: true, ticks: {precision: 0}})}
               },
             },
             [
               {label: 'rating', cell: (s) => s},
               {label: 'count', num: true, cell: (s) => String(distribution[s])}
             ],
             stars)
      .figure;
}

function comments(records) {
  const withText = records.filter((r) => r.comment).slice(0, 20);
  if (!withText.length) return note('No comments in the sample.');
  return el(
      'ul', {class: 'comments', id: 'feedback-comments'},
      withText.map(
          (r) =>
              el('li', {}, el('strong', {}, r.insight_id), ' · ', r.user_id, ' · ',
                 fmt.time(r.updated_at), el('pre', {class: 'comment-text'}, r.comment))));
}

export async function render(container, firstTime) {
  if (!firstTime) return;
  const data = loadAll();
  const scope = (d) => note(`From the newest ${d.records.length} feedback records${
      d.more ? ` (of more)` : ''}; figures per insight from its statistics.`);
  container.replaceChildren(
      el('div', {class: 'grid'},
         loadingPanel(
             'Most-rated insights', () => data,
             (d) => [insightTable(d.mostRated, d.stats, 'most-rated insights'), scope(d)]),
         loadingPanel(
             'Most-flagged insights', () => data,
             (d) => [insightTable(d.mostFlagged, d.stats, 'most-flagged insights'), scope(d)]),
         loadingPanel('Rating distribution', () => data, (d) => distributionChart(d.distribution)),
         loadingPanel('Newest comments', () => data, (d) => comments(d.records), true)));
}
