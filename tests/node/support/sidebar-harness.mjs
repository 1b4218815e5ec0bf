// Runs the packaged sidebar app in headless Chromium inside a fake Zendesk host page that speaks
// the ZAF postMessage protocol (node/sandbox/ui/zaf-host.js, shared with the sandbox). Two
// loopback servers, so the app and its host have different origins as in Zendesk: the host page
// on one port, the app (served with a strict CSP) on another. Both are reached as 127.0.0.1, so
// they are the same SITE and Chromium runs them in one renderer process; with `separateSites`
// the host is reached as `localhost` instead, a different site as in Zendesk (the agent's
// <account>.zendesk.com, the app's <id>.apps.zdusercontent.com), and site isolation starts the
// app in a renderer process of its own. Both servers listen on 127.0.0.1 only.
import http from 'node:http';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
export const artifacts = path.join(repoRoot, 'tests', 'artifacts');
export const STRICT_CSP = "script-src 'self' 'wasm-unsafe-eval'";
const TYPES = { '.html': 'text/html; charset=utf-8', '.js': 'text/javascript', '.mjs': 'text/javascript',
  '.css': 'text/css', '.json': 'application/json', '.png': 'image/png', '.wasm': 'application/wasm' };

const HOST_PAGE = `<!doctype html><html><head><meta charset="utf-8"><style>
body { margin: 0; background: #f8f9f9; } iframe { border: 0; display: block; height: 100px; }
</style><script src="/zaf-host.js"></script></head><body><script>
(async () => {
  const params = new URLSearchParams(location.search);
  const data = await (await fetch('/data.json')).json();
  // Opens the app in a new iframe, then removes the one before if any (the agent's next ticket;
  // the new iframe is in the document first, so the app's renderer process is still in use).
  let opened = 0;
  window.openApp = () => {
    if (window.host) window.host.destroy();
    const before = document.getElementById('app');
    if (before) before.removeAttribute('id');
    window.resizes = [];
    window.started = performance.now();
    const iframe = document.createElement('iframe');
    iframe.id = 'app';
    iframe.name = 'app-' + (++opened);
    iframe.style.width = (params.get('width') || '320') + 'px';
    iframe.src = params.get('app') + '/assets/iframe.html?origin=' + encodeURIComponent(location.origin) + '&app_guid=test-guid';
    window.host = PhoneHandoffZafHost.createZafHost({
      iframe, appGuid: 'test-guid', getData: () => data,
      onResize: (size) => { window.resizes.push(size); if (size.height) iframe.style.height = size.height; },
    });
    document.body.append(iframe);
    if (before) before.remove();
  };
  window.openApp();
})();
</script></body></html>`;

function listen(handler) {
  const server = http.createServer(handler);
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

// appDir: the unpacked package (dist/phone-handoff-app or a test copy).
export async function startHarness({ appDir, separateSites = false }) {
  let data = {};
  let csp = STRICT_CSP;
  const appServer = await listen((req, res) => {
    const url = new URL(req.url, 'http://x');
    const file = path.join(appDir, path.normalize(decodeURIComponent(url.pathname)).replace(/^([/\\])+/, ''));
    if (!file.startsWith(appDir) || !fs.existsSync(file) || !fs.statSync(file).isFile()) {
      res.writeHead(404).end('not found');
      return;
    }
    res.writeHead(200, { 'content-type': TYPES[path.extname(file)] || 'application/octet-stream', 'content-security-policy': csp });
    res.end(fs.readFileSync(file));
  });
  const hostServer = await listen((req, res) => {
    const url = new URL(req.url, 'http://x');
    if (url.pathname === '/host.html') res.writeHead(200, { 'content-type': TYPES['.html'] }).end(HOST_PAGE);
    else if (url.pathname === '/zaf-host.js') res.writeHead(200, { 'content-type': TYPES['.js'] }).end(fs.readFileSync(path.join(repoRoot, 'node', 'sandbox', 'ui', 'zaf-host.js')));
    else if (url.pathname === '/data.json') res.writeHead(200, { 'content-type': TYPES['.json'] }).end(JSON.stringify(data));
    else res.writeHead(404).end('not found');
  });
  const { chromium } = require('playwright-core');
  const userDataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'ph-sidebar-chromium-'));
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: '/usr/bin/chromium',
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking',
      '--disable-component-update', '--no-first-run'],
    viewport: { width: 800, height: 900 },
  });
  const appOrigin = `http://127.0.0.1:${appServer.address().port}`;
  const hostOrigin = `http://${separateSites ? 'localhost' : '127.0.0.1'}:${hostServer.address().port}`;
  for (const origin of [appOrigin, hostOrigin]) await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin });

  // Waits as `open` describes; {frame, appFrame} of the app's current iframe.
  async function drawn(page, hostSeesHeight) {
    const frame = page.frameLocator('#app');
    if (hostSeesHeight) {
      await page.waitForFunction((min) => (window.resizes || []).some((size) => parseFloat(size.height) >= min), hostSeesHeight);
    } else {
      await frame.locator('#app > :not([data-role="loading"])').first().waitFor();
    }
    const name = await page.evaluate(() => document.getElementById('app').name);
    return { frame, appFrame: () => page.frame({ name }) };
  }

  return {
    appOrigin,
    // Opens the host page with `ticket` data; resolves to {page, frame} once the app has drawn
    // something other than the loading line. With `hostSeesHeight` (px), that is seen from the
    // host page instead: it waits until the app has asked for an iframe at least that tall, so
    // nothing of Playwright's runs in the app's page while it starts (its injected script,
    // ~10 ms of parsing, would otherwise land on the app's main thread on the way to the first
    // render). For timing loads of a view known to be taller than the loading line.
    async open(ticketData, { width = 320, colorScheme = 'light', appCsp = STRICT_CSP, hostSeesHeight = 0 } = {}) {
      data = ticketData;
      csp = appCsp;
      const page = await context.newPage();
      page.setDefaultTimeout(15000);
      const errors = [];
      page.on('pageerror', (err) => errors.push(err.message));
      await page.emulateMedia({ colorScheme });
      await page.goto(`${hostOrigin}/host.html?width=${width}&app=${encodeURIComponent(appOrigin)}`);
      return { page, errors, ...await drawn(page, hostSeesHeight) };
    },
    // Opens the app again in the page `open` gave, in a new iframe (the agent's next ticket in
    // the same tab: Chromium keeps the app's renderer process, with what it has loaded and
    // compiled, for the first one's frame). Resolves like `open`.
    async reopen(page, { hostSeesHeight = 0 } = {}) {
      await page.evaluate(() => window.openApp());
      return drawn(page, hostSeesHeight);
    },
    // Opens the app's page directly (no Zendesk host around it), with the given query string.
    async openBare(query = '') {
      const page = await context.newPage();
      page.setDefaultTimeout(15000);
      await page.goto(`${appOrigin}/assets/iframe.html${query}`);
      return page;
    },
    hostOrigin,
    async screenshot(page, name) {
      fs.mkdirSync(artifacts, { recursive: true });
      await page.locator('#app').screenshot({ path: path.join(artifacts, `sidebar-${name}.png`) });
    },
    async close() {
      await context.close();
      await new Promise((resolve) => appServer.close(resolve));
      await new Promise((resolve) => hostServer.close(resolve));
      fs.rmSync(userDataDir, { recursive: true, force: true });
    },
  };
}
