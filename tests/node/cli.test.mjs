// The phone-handoff CLI as a user runs it: a child process per case, checking stdout, stderr
// and the exit-code contract (0 ok, 1 failure, 2 bad input). Outputs of parse/diagnose/plan are
// compared with the package API on every fixture, so the CLI never answers differently.
import test from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { createServer } from 'node:http';
import { createRequire } from 'node:module';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);
const api = require('../../node/index.js');
const cliPath = fileURLToPath(new URL('../../node/cli.js', import.meta.url));
const fixturesDir = fileURLToPath(new URL('../fixtures/', import.meta.url));
const { version } = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8'));
const scratch = mkdtempSync(path.join(tmpdir(), 'ph-cli-'));
test.after(() => rmSync(scratch, { recursive: true, force: true }));

function cli(args, { input, env = {} } = {}) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [cliPath, ...args], {
      env: { ...process.env, ...env }, stdio: ['pipe', 'pipe', 'pipe'], timeout: 60000,
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => { stdout += d; });
    child.stderr.on('data', (d) => { stderr += d; });
    child.on('error', reject);
    child.on('close', (status) => resolve({ status, stdout, stderr }));
    child.stdin.end(input);
  });
}

// Fixtures whose directory names a source: [source, file].
const sourceFixtures = api.sources.flatMap((source) => {
  const dir = path.join(fixturesDir, source);
  return existsSync(dir) ? readdirSync(dir).sort().map((f) => [source, path.join(dir, f)]) : [];
});

// What the API says for a call: { result } or { error } (a thrown core error).
function apiAnswer(fn) {
  try { return { result: fn() }; } catch (error) { return { error }; }
}

// Runs check(item) for every item, a few child processes at a time (each CLI run is a process).
async function eachConcurrently(items, check, limit = 4) {
  let next = 0;
  const worker = async () => { while (next < items.length) await check(items[next++]); };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}

const oneLine = (text) => text.endsWith('\n') && !text.slice(0, -1).includes('\n');

test('top level: --help, --version, and no command', async () => {
  const help = await cli(['--help']);
  assert.equal(help.status, 0);
  for (const name of ['parse', 'diagnose', 'plan', 'send', 'sandbox', 'serve', 'doctor', 'jobs']) {
    assert.match(help.stdout, new RegExp(`^  ${name} `, 'm'), name);
  }
  assert.deepEqual(await cli(['--version']), { status: 0, stdout: `${version}\n`, stderr: '' });
  const none = await cli([]);
  assert.equal(none.status, 2);
  assert.match(none.stderr, /^Usage: phone-handoff <command>/);
});

test('every command explains itself with --help (exit 0)', async () => {
  for (const name of ['parse', 'diagnose', 'plan', 'send', 'sandbox', 'serve', 'doctor', 'jobs']) {
    const r = await cli([name, '--help']);
    assert.equal(r.status, 0, name);
    assert.match(r.stdout, new RegExp(`^Usage: phone-handoff ${name}`), name);
  }
  assert.match((await cli(['parse', '-h'])).stdout, /--source NAME/);
});

test('bad input exits 2 with a one-line error on stderr', async () => {
  const someFile = sourceFixtures[0][1];
  const cases = [
    [['frob'], /^phone-handoff: unknown command "frob"/],
    [['--frob'], /^phone-handoff: unknown option --frob/],
    [['parse', '--source', 'vapi', '--frob', someFile], /^phone-handoff parse: unknown option '--frob'/],
    [['parse', '--source', 'vpai', someFile], /^phone-handoff parse: --source must be one of canonical, vapi, retell, elevenlabs, bland; got "vpai"/],
    [['diagnose', someFile], /^phone-handoff diagnose: --source is required/],
    [['parse', '--source', 'vapi', path.join(scratch, 'nope.json')], /cannot read payload ".*nope\.json": no such file/],
    [['parse', '--source', 'vapi', scratch], /cannot read payload .*: is a directory/],
    [['parse', '--source', 'vapi', someFile, someFile], /unexpected argument/],
    [['plan', '--source', 'vapi', '--config', path.join(scratch, 'nope.json'), someFile], /cannot read config ".*nope\.json": no such file/],
    [['send', '--source', 'bland', someFile], /--url is required/],
    [['send', '--source', 'bland', '--url', 'file:///etc/passwd', someFile], /--url must be an http or https URL/],
    [['send', '--source', 'bland', '--url', 'http://127.0.0.1:9/'], /FILE is required/],
  ];
  for (const [args, pattern] of cases) {
    const r = await cli(args);
    assert.equal(r.status, 2, `${args.join(' ')}: ${r.stderr}`);
    assert.match(r.stderr, pattern, args.join(' '));
    assert.ok(oneLine(r.stderr), `one line for ${args.join(' ')}: ${JSON.stringify(r.stderr)}`);
    assert.equal(r.stdout, '');
  }
});

test('serve, doctor and jobs say honestly that they are not available yet (exit 1) until the service provides them', async (t) => {
  for (const name of ['serve', 'doctor', 'jobs']) {
    if (existsSync(fileURLToPath(new URL(`../../node/cli/${name}.js`, import.meta.url)))) {
      // The service's own command replaces the placeholder (its tests cover what it does).
      const help = await cli([name, '--help']);
      assert.equal(help.status, 0);
      assert.doesNotMatch(help.stdout, /Not available yet/, `${name} is the service's command`);
      t.diagnostic(`${name}: provided by the webhook service (node/cli/${name}.js)`);
      continue;
    }
    const r = await cli([name, '--port', '1']);
    assert.equal(r.status, 1);
    assert.equal(r.stderr, `phone-handoff ${name}: not available yet: defined by the webhook-service issue\n`);
  }
});

test('sandbox delegates to the sandbox program, passing its arguments and exit code through', async () => {
  const missing = await cli(['sandbox'], { env: { PHONE_HANDOFF_SANDBOX_MAIN: path.join(scratch, 'absent.js') } });
  assert.equal(missing.status, 1);
  assert.match(missing.stderr, /the sandbox is not installed \(.*absent\.js is missing\)/);
  assert.ok(oneLine(missing.stderr));
  const fake = path.join(scratch, 'fake-sandbox.js');
  writeFileSync(fake, 'console.log(JSON.stringify(process.argv.slice(2))); process.exitCode = 3;');
  const r = await cli(['sandbox', '--port', '0', '--single-conversation'], { env: { PHONE_HANDOFF_SANDBOX_MAIN: fake } });
  assert.equal(r.status, 3);
  assert.deepEqual(JSON.parse(r.stdout), ['--port', '0', '--single-conversation']);
});

test('sandbox starts the real sandbox, which answers, and SIGTERM stops both cleanly', { timeout: 60000 }, async (t) => {
  if (!existsSync(fileURLToPath(new URL('../../node/sandbox/main.js', import.meta.url)))) {
    t.skip('node/sandbox/main.js is not in this tree');
    return;
  }
  const child = spawn(process.execPath, [cliPath, 'sandbox', '--port', '0'], { stdio: ['ignore', 'pipe', 'pipe'] });
  const exited = new Promise((resolve) => child.on('exit', (code, signal) => resolve({ code, signal })));
  let stdout = '';
  const firstLine = await new Promise((resolve, reject) => {
    child.stdout.on('data', (d) => { stdout += d; if (stdout.includes('\n')) resolve(stdout.split('\n')[0]); });
    child.on('exit', () => reject(new Error(`sandbox exited early: ${stdout}`)));
  });
  const { sandbox } = JSON.parse(firstLine);
  assert.match(sandbox.url, /^http:\/\/127\.0\.0\.1:\d+$/);
  const response = await fetch(`${sandbox.url}/sandbox/`, { signal: AbortSignal.timeout(30000) });
  await response.arrayBuffer();
  assert.ok(response.status < 500, `the sandbox answered ${response.status}`);
  child.kill('SIGTERM');
  assert.deepEqual(await exited, { code: 0, signal: null });
});

test('parse prints what the API returns for every fixture: the handoff (0), errors (2) or a core error (1)', async () => {
  assert.ok(sourceFixtures.length > 0, 'there are fixtures to run');
  await eachConcurrently(sourceFixtures, async ([source, file]) => {
    const expected = apiAnswer(() => api.parse(source, readFileSync(file)));
    const r = await cli(['parse', '--source', source, file]);
    const label = `${source} ${path.basename(file)}`;
    if (expected.error) {
      assert.equal(r.status, 1, label);
      assert.equal(r.stderr, `phone-handoff parse: ${expected.error.message} [${expected.error.code}]\n`, label);
    } else if (expected.result.errors) {
      assert.equal(r.status, 2, label);
      assert.deepEqual(JSON.parse(r.stdout), { errors: expected.result.errors }, label);
    } else {
      assert.equal(r.status, 0, `${label}: ${r.stderr}`);
      assert.deepEqual(JSON.parse(r.stdout), expected.result.handoff, label);
      assert.equal(r.stderr.split('\n').filter(Boolean).length, expected.result.warnings.length, label);
    }
  });
});

test('parse reads stdin for "-" and when no FILE is given', async () => {
  const [source, file] = sourceFixtures[0];
  const fromFile = await cli(['parse', '--source', source, file]);
  const body = readFileSync(file);
  assert.deepEqual(await cli(['parse', '--source', source, '-'], { input: body }), fromFile);
  assert.deepEqual(await cli(['parse', '--source', source], { input: body }), fromFile);
});

test('diagnose prints the findings the API returns for every fixture', async () => {
  await eachConcurrently(sourceFixtures, async ([source, file]) => {
    const expected = apiAnswer(() => api.diagnose(source, readFileSync(file)));
    const r = await cli(['diagnose', '--source', source, file]);
    if (expected.error) {
      assert.equal(r.status, 1);
      assert.match(r.stderr, new RegExp(expected.error.code));
    } else {
      assert.equal(r.status, 0, r.stderr);
      assert.deepEqual(JSON.parse(r.stdout), expected.result);
      assert.ok(Array.isArray(expected.result.findings));
    }
  });
});

test('plan parses, then prints the plan the API returns for every fixture', async () => {
  await eachConcurrently(sourceFixtures, async ([source, file]) => {
    const r = await cli(['plan', '--source', source, file]);
    const parsed = apiAnswer(() => api.parse(source, readFileSync(file)));
    const label = `${source} ${path.basename(file)}`;
    if (parsed.error) { assert.equal(r.status, 1, label); return; }
    if (parsed.result.errors) {
      assert.equal(r.status, 2, label);
      assert.deepEqual(JSON.parse(r.stdout), { errors: parsed.result.errors });
      return;
    }
    const expected = apiAnswer(() => api.plan(parsed.result.handoff));
    if (expected.error) {
      assert.equal(r.status, expected.error.code.startsWith('ERR_PHONE_HANDOFF_BAD_') ? 2 : 1, label);
    } else {
      assert.equal(r.status, 0, `${label}: ${r.stderr}`);
      assert.deepEqual(JSON.parse(r.stdout), expected.result, label);
      assert.ok(Array.isArray(expected.result.requests), label);
    }
  });
});

// A loopback server that records each request and answers with the status it is told.
async function withServer(status, fn) {
  const received = [];
  const server = createServer((req, res) => {
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => {
      received.push({ method: req.method, url: req.url, headers: req.headers, body: Buffer.concat(chunks) });
      res.writeHead(status, { 'content-type': 'text/plain' }).end(`answer ${status}`);
    });
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  try {
    return await fn(`http://127.0.0.1:${server.address().port}/hooks/bland?x=1`, received);
  } finally {
    await new Promise((resolve) => server.close(resolve));
  }
}

test('send POSTs the body byte for byte and reports the answer; non-2xx exits 1', async () => {
  const [source, file] = sourceFixtures[0];
  await withServer(202, async (url, received) => {
    const r = await cli(['send', '--source', source, '--url', url, file]);
    assert.equal(r.status, 0, r.stderr);
    assert.equal(r.stdout, '202 Accepted\nanswer 202\n');
    assert.equal(received.length, 1);
    assert.equal(received[0].method, 'POST');
    assert.equal(received[0].url, '/hooks/bland?x=1');
    assert.equal(received[0].headers['content-type'], 'application/json');
    assert.ok(received[0].body.equals(readFileSync(file)));
  });
  await withServer(500, async (url) => {
    const r = await cli(['send', '--source', source, '--url', url, file]);
    assert.equal(r.status, 1);
    assert.equal(r.stdout, '500 Internal Server Error\nanswer 500\n');
  });
});

test('send --secret adds the signature headers the core computes for that platform', async () => {
  const file = path.join(scratch, 'bland-body.json');
  writeFileSync(file, '{"call_id":"c-1","status":"completed"}');
  // Bland signs the body alone (no timestamp), so the expected headers are fixed.
  const expected = apiAnswer(() => api.sign('bland', readFileSync(file), { secrets: ['s3cret'] }));
  await withServer(200, async (url, received) => {
    const r = await cli(['send', '--source', 'bland', '--url', url, '--secret', 's3cret', file]);
    if (expected.error) {
      assert.equal(r.status, expected.error.code.startsWith('ERR_PHONE_HANDOFF_BAD_') ? 2 : 1);
      assert.match(r.stderr, new RegExp(expected.error.code));
      assert.equal(received.length, 0, 'nothing is sent unsigned when signing fails');
      return;
    }
    assert.equal(r.status, 0, r.stderr);
    assert.ok(Object.keys(expected.result.headers).length > 0);
    for (const [name, value] of Object.entries(expected.result.headers)) {
      assert.equal(received[0].headers[name.toLowerCase()], value, name);
    }
    assert.ok(!r.stdout.includes('s3cret') && !r.stderr.includes('s3cret'), 'the secret is never printed');
  });
});

test('what send signs, verify accepts: every source, end to end through HTTP', async (t) => {
  const file = path.join(scratch, 'any-body.json');
  writeFileSync(file, '{"call_id":"c-2","note":"café ✓"}');
  for (const source of api.sources) {
    // canonical uses Standard Webhooks secrets (whsec_ + base64); Vapi with only --secret is the
    // X-Vapi-Secret credential, and the verifier must be told so.
    const secret = source === 'canonical' ? `whsec_${Buffer.from('phone-handoff test key').toString('base64')}` : 'k-1';
    const auth = { secrets: [secret], ...(source === 'vapi' ? { auth: { type: 'secret_header' } } : {}) };
    const probe = apiAnswer(() => api.sign(source, '{}', auth, Date.now()));
    if (probe.error) { t.diagnostic(`${source}: sign not available (${probe.error.code})`); continue; }
    await withServer(204, async (url, received) => {
      const r = await cli(['send', '--source', source, '--url', url, '--secret', secret, file]);
      assert.equal(r.status, 0, `${source}: ${r.stderr}`);
      const request = { headers: received[0].headers, now: Date.now(), url, method: 'POST' };
      assert.deepEqual(api.verify(source, request, received[0].body, auth), { ok: true, secretIndex: 0 }, source);
      const other = source === 'canonical' ? `whsec_${Buffer.from('another key').toString('base64')}` : 'other';
      const wrong = api.verify(source, request, received[0].body, { ...auth, secrets: [other] });
      assert.equal(wrong.ok, false, `${source}: a wrong secret fails`);
    });
  }
});

test('send reports a refused connection as a failure (exit 1)', async () => {
  const [source, file] = sourceFixtures[0];
  const closedUrl = await withServer(200, async (url) => url);  // the port is closed once this returns
  const r = await cli(['send', '--source', source, '--url', closedUrl, file]);
  assert.equal(r.status, 1);
  assert.match(r.stderr, /^phone-handoff send: POST http:\/\/127\.0\.0\.1:\d+\/hooks\/bland failed: .*ECONNREFUSED/);
});
