// wrk (Debian's `wrk` package: apt-get install wrk) as the service benchmarks' load generator. wrk
// is C with one event loop per thread, so it needs a fraction of autocannon's CPU per request, and
// on a 2-core machine that CPU is taken from the service. Requests are written in advance to a file
// that bench/wrk/requests.lua sends once each, in order.
import { spawn } from 'node:child_process';
import { accessSync, constants, openSync, writeSync, closeSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const script = path.join(path.dirname(fileURLToPath(import.meta.url)), 'requests.lua');

// The wrk executable on PATH, or null when it is not installed.
export function findWrk() {
  for (const dir of (process.env.PATH || '').split(path.delimiter).filter(Boolean)) {
    const candidate = path.join(dir, 'wrk');
    try { accessSync(candidate, constants.X_OK); return candidate; } catch { /* not here */ }
  }
  return null;
}

// Writes `count` requests to `file`: request(i) -> { method, path, headers, body }, sent to `url`'s
// host. Records are "<length>\n<the request's bytes>", written in batches of about a megabyte.
export function writeRequests(file, url, count, request) {
  const host = new URL(url).host;
  const fd = openSync(file, 'w');
  try {
    let batch = [];
    let size = 0;
    const flush = () => { writeSync(fd, Buffer.concat(batch, size)); batch = []; size = 0; };
    for (let i = 0; i < count; i++) {
      const { method, path: target, headers, body } = request(i);
      const bytes = Buffer.from(body);
      const head = [`${method} ${target} HTTP/1.1`, `Host: ${host}`, `Content-Length: ${bytes.length}`,
        ...Object.entries(headers).map(([name, value]) => `${name}: ${value}`), '', ''].join('\r\n');
      const raw = Buffer.concat([Buffer.from(head), bytes]);
      const record = Buffer.concat([Buffer.from(`${raw.length}\n`), raw]);
      batch.push(record);
      size += record.length;
      if (size >= 1 << 20) flush();
    }
    if (size) flush();
  } finally {
    closeSync(fd);
  }
}

// Runs wrk against `url` with the requests of `file`, in one thread: every thread would read the
// whole file (sending each request once per thread), and on 2 cores a second event loop would only
// compete with the service. Resolves to the script's result: counts, latency in
// ms, wrk's own CPU time in ms, and its pid.
export function runWrk({ executable = findWrk(), url, file, connections = 16, seconds = 10, timeoutSeconds = 10 }) {
  if (!executable) return Promise.reject(new Error('wrk is not installed (apt-get install wrk)'));
  const args = ['-t', '1', '-c', String(connections), '-d', `${seconds}s`, '--timeout', `${timeoutSeconds}s`, '-s', script, url, '--', file];
  return new Promise((resolve, reject) => {
    const child = spawn(executable, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (d) => { out += d; });
    child.stderr.on('data', (d) => { err += d; });
    const killer = setTimeout(() => child.kill('SIGKILL'), (seconds + timeoutSeconds + 30) * 1000);
    child.once('error', (error) => { clearTimeout(killer); reject(error); });
    child.once('exit', (code) => {
      clearTimeout(killer);
      const line = out.split('\n').find((l) => l.startsWith('WRK_RESULT '));
      if (code !== 0 || !line) { reject(new Error(`wrk exited with ${code}: ${(err || out).slice(-2000)}`)); return; }
      const r = JSON.parse(line.slice('WRK_RESULT '.length));
      const ms = (us) => Math.round(us / 10) / 100;
      resolve({
        pid: child.pid, requests: r.requests, sent: r.sent, exhausted: r.exhausted, errors: r.errors, cpu_ms: r.cpu_ms,
        seconds: r.duration_us / 1e6,
        latency_ms: { p50: ms(r.latency_us.p50), p90: ms(r.latency_us.p90), p99: ms(r.latency_us.p99), max: ms(r.latency_us.max), mean: ms(r.latency_us.mean) },
      });
    });
  });
}
