// Small statistics for the service benchmarks: nearest-rank percentiles, milliseconds as text.
import os from 'node:os';

export function percentile(values, p) {
  if (!values.length) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
}

export const median = (values) => percentile(values, 50);
export const round = (x, digits = 1) => (Number.isFinite(x) ? +x.toFixed(digits) : null);
export const mean = (values) => values.reduce((a, b) => a + b, 0) / values.length;

export function summary(values) {
  return { n: values.length, p50: round(percentile(values, 50)), p95: round(percentile(values, 95)), max: round(Math.max(...values)) };
}

export const ms = (x) => (Number.isFinite(x) ? `${x.toFixed(x < 10 ? 1 : 0)} ms` : '–');

// The machine's 1-minute load average (2 cores shared by everyone): figures come with it.
export const load = () => +os.loadavg()[0].toFixed(2);
