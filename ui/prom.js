// Reading the Prometheus text of GET /metrics: samples, and rates between two scrapes (a counter
// only grows, so the difference over the time between scrapes is its rate).
export function parse(text) {
  const samples = [];
  for (const line of text.split('\n')) {
    if (!line || line.startsWith('#')) continue;
    const match = /^([a-zA-Z_:][\w:]*)(?:\{(.*)\})?\s+(\S+)/.exec(line);
    if (!match) continue;
    const labels = {};
    for (const pair of (match[2] || '').matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g))
      labels[pair[1]] = pair[2];
    samples.push({name: match[1], labels, value: Number(match[3])});
  }
  return samples;
}

export function sum(samples, name, filter = () => true) {
  return samples.filter((s) => s.name === name && filter(s.labels))
      .reduce((a, s) => a + s.value, 0);
}

// The increase of counter `name` between two scrapes, summed over its series (one per label set
// and, under `serve --workers N`, per worker) as PromQL's increase() counts: a series missing from
// the first scrape (a worker left out of it) adds nothing, one that went down (its worker
// restarted) adds its new value.
function increase(before, after, name, filter) {
  const key = (s) => JSON.stringify(Object.entries(s.labels).sort());
  const earlier = new Map(
      before.filter((s) => s.name === name && filter(s.labels)).map((s) => [key(s), s.value]));
  let total = 0;
  for (const s of after) {
    if (s.name !== name || !filter(s.labels) || !earlier.has(key(s))) continue;
    const was = earlier.get(key(s));
    total += s.value >= was ? s.value - was : s.value;
  }
  return total;
}

// {requests_per_s, error_ratio, refused_ratio} between two scrapes {at (ms), samples}; null
// figures before the second scrape.
export function requestRates(before, after) {
  if (!before || !after || after.at <= before.at) return null;
  const count = (filter = () => true) =>
    increase(before.samples, after.samples, 'http_requests_total', filter);
  const all = count();
  const errors = count((l) => String(l.status).startsWith('5'));
  const refused = count((l) => l.status === '429');
  const seconds = (after.at - before.at) / 1000;
  return {
    requests_per_s: all / seconds,
    error_ratio: all > 0 ? errors / all : 0,
    refused_ratio: all > 0 ? refused / all : 0,
  };
}

// breaker name -> closed | open | half_open
export function breakerStates(samples) {
  const states = {};
  for (const s of samples) {
    if (s.name === 'utxoiq_circuit_breaker_state' && s.value === 1)
      states[s.labels.breaker] = s.labels.state;
  }
  return states;
}
