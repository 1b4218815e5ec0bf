// Runs bench/service/serve-child.mjs as a child process and samples its resident memory.
import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const entry = path.join(path.dirname(fileURLToPath(import.meta.url)), 'serve-child.mjs');

// RSS of a process in bytes, from /proc (Linux); null elsewhere.
export function rssBytes(pid) {
  try {
    const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) * 1024 : null;
  } catch { return null; }
}

// CPU time (user + system) a process has used, in ms, from /proc (Linux, 100 ticks/s); null elsewhere.
export function cpuMs(pid) {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
    return (Number(fields[11]) + Number(fields[12])) * 10;
  } catch { return null; }
}

// CPU time (ms) of the PostgreSQL server listening on `port`: its postmaster and every process
// it started (one backend per connection), found in /proc by the postmaster's "-p <port>"
// argument. Backends that have exited are not counted, so read it while the pool is connected.
export function postgresCpuMs(port) {
  let postmaster = null;
  const parents = new Map();
  let pids;
  try { pids = readdirSync('/proc').filter((name) => /^\d+$/.test(name)); } catch { return null; }
  for (const pid of pids) {
    try {
      const cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
      parents.set(pid, stat[1]);
      if (path.basename(cmdline[0]) === 'postgres' && cmdline.includes('-p') && cmdline[cmdline.indexOf('-p') + 1] === String(port)) postmaster = pid;
    } catch { /* the process ended meanwhile */ }
  }
  if (!postmaster) return null;
  let total = cpuMs(postmaster);
  for (const [pid, parent] of parents) if (parent === postmaster) total += cpuMs(pid) || 0;
  return total;
}

// startServiceChild(config, {env, nodeArgs}) -> { url, pid, child, dir, stderr(), stop() }
export function startServiceChild(config, { env = {}, nodeArgs = [] } = {}) {
  const dir = mkdtempSync(path.join(tmpdir(), 'ph-bench-serve-'));
  const file = path.join(dir, 'config.json');
  writeFileSync(file, JSON.stringify({ dataDir: path.join(dir, 'data'), ...config }));
  const child = spawn(process.execPath, [...nodeArgs, entry, file], { cwd: dir, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stderr.on('data', (d) => { err += d; if (err.length > 100_000) err = err.slice(-50_000); });
  const stop = () => new Promise((resolve) => {
    const done = () => { rmSync(dir, { recursive: true, force: true }); resolve(); };
    if (child.exitCode !== null || child.signalCode !== null) { done(); return; }
    const force = setTimeout(() => child.kill('SIGKILL'), 15_000);
    child.once('exit', () => { clearTimeout(force); done(); });
    child.kill('SIGTERM');
  });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => { child.kill('SIGKILL'); reject(new Error(`the service did not start within 60 s: ${err.slice(-2000)}`)); }, 60_000);
    child.stdout.on('data', (d) => {
      out += d;
      const line = out.split('\n').find((l) => l.startsWith('{'));
      if (!line) return;
      clearTimeout(timer);
      const { service } = JSON.parse(line);
      resolve({ ...service, child, dir, stderr: () => err, stop });
    });
    child.once('exit', (code) => { clearTimeout(timer); reject(new Error(`the service exited with ${code}: ${err.slice(-2000)}`)); });
  });
}

// Samples `pid`'s RSS every `everyMs` until stopped: { stop() -> {peak, samples} }.
export function sampleRss(pid, everyMs = 100) {
  const samples = [];
  const take = () => { const v = rssBytes(pid); if (v !== null) samples.push(v); };
  take();
  const timer = setInterval(take, everyMs);
  return { stop() { clearInterval(timer); take(); return { peak: samples.length ? Math.max(...samples) : null, samples: samples.length }; } };
}
