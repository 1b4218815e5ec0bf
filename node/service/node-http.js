'use strict';
// Serve a web-standard fetch handler with node:http: IncomingMessage -> Request, Response -> the
// socket. The body is streamed both ways; nothing is buffered here.
const http = require('node:http');
const { Readable } = require('node:stream');

function toRequest(req, origin) {
  const headers = new Headers();
  for (let i = 0; i < req.rawHeaders.length; i += 2) headers.append(req.rawHeaders[i], req.rawHeaders[i + 1]);
  const hasBody = req.method !== 'GET' && req.method !== 'HEAD';
  return new Request(new URL(req.url, origin), {
    method: req.method, headers, body: hasBody ? Readable.toWeb(req) : undefined, duplex: hasBody ? 'half' : undefined,
  });
}

async function writeResponse(res, response) {
  res.statusCode = response.status;
  for (const [k, v] of response.headers) res.setHeader(k, v);
  if (!response.body) { res.end(); return; }
  for await (const chunk of response.body) res.write(chunk);
  res.end();
}

// listen(handler, {port, host}) -> Promise<{server, url, close()}>
function listen(handler, { port = 0, host = '127.0.0.1' } = {}) {
  const server = http.createServer((req, res) => {
    const origin = `http://${req.headers.host || `${host}:${port}`}`;
    Promise.resolve()
      .then(() => handler.fetch(toRequest(req, origin)))
      .then((response) => writeResponse(res, response))
      .catch(() => { if (!res.headersSent) { res.statusCode = 500; } res.end(); });
  });
  server.keepAliveTimeout = 65_000;
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      const addr = server.address();
      resolve({
        server,
        url: `http://${addr.family === 'IPv6' ? `[${addr.address}]` : addr.address}:${addr.port}`,
        close: () => new Promise((r) => { server.closeAllConnections?.(); server.close(() => r()); }),
      });
    });
  });
}

module.exports = { listen, toRequest };
