'use strict';
// Prometheus metrics in the text exposition format: counters, a gauge callback, and histograms.
// Small on purpose: the service needs a handful of series, not a client library.
const labelText = (labels) => {
  const keys = Object.keys(labels || {}).sort();
  if (!keys.length) return '';
  const esc = (v) => String(v).replace(/\\/g, '\\\\').replace(/\n/g, '\\n').replace(/"/g, '\\"');
  return `{${keys.map((k) => `${k}="${esc(labels[k])}"`).join(',')}}`;
};

function createMetrics() {
  const counters = new Map();   // name -> Map(labelText -> value)
  const histograms = new Map(); // name -> {buckets, series: Map(labelText -> {counts, sum, count})}
  const gauges = new Map();     // name -> async () => [{labels, value}]
  const help = new Map();

  function count(name, labels = {}, by = 1) {
    if (!counters.has(name)) counters.set(name, new Map());
    const series = counters.get(name);
    const key = labelText(labels);
    series.set(key, (series.get(key) || 0) + by);
  }
  function observe(name, value, labels = {}, buckets = [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30]) {
    if (!histograms.has(name)) histograms.set(name, { buckets, series: new Map() });
    const h = histograms.get(name);
    const key = labelText(labels);
    if (!h.series.has(key)) h.series.set(key, { labels, counts: h.buckets.map(() => 0), sum: 0, count: 0 });
    const s = h.series.get(key);
    h.buckets.forEach((b, i) => { if (value <= b) s.counts[i]++; });
    s.sum += value; s.count++;
  }
  function gauge(name, read, text) { gauges.set(name, read); if (text) help.set(name, text); }
  function describe(name, text) { help.set(name, text); }

  async function render() {
    const lines = [];
    const header = (name, type) => {
      if (help.has(name)) lines.push(`# HELP ${name} ${help.get(name)}`);
      lines.push(`# TYPE ${name} ${type}`);
    };
    for (const [name, series] of counters) {
      header(name, 'counter');
      for (const [labels, value] of series) lines.push(`${name}${labels} ${value}`);
    }
    for (const [name, read] of gauges) {
      header(name, 'gauge');
      for (const { labels, value } of await read()) lines.push(`${name}${labelText(labels)} ${value}`);
    }
    for (const [name, h] of histograms) {
      header(name, 'histogram');
      for (const s of h.series.values()) {
        h.buckets.forEach((b, i) => lines.push(`${name}_bucket${labelText({ ...s.labels, le: b })} ${s.counts[i]}`));
        lines.push(`${name}_bucket${labelText({ ...s.labels, le: '+Inf' })} ${s.count}`);
        lines.push(`${name}_sum${labelText(s.labels)} ${s.sum}`);
        lines.push(`${name}_count${labelText(s.labels)} ${s.count}`);
      }
    }
    return `${lines.join('\n')}\n`;
  }
  return { count, observe, gauge, describe, render };
}

module.exports = { createMetrics };
