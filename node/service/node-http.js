'use strict';
// Serve a web-standard fetch handler with node:http: IncomingMessage -> Request, Response -> the
// socket. The handler sees a real Request; what is cheaper than the general conversion is only
// how its body gets read (below) and that the answer goes out in one write.
const http = require('node:http');
const { Readable } = require('node:stream');

// The socket's chunks, collected into one exact-size buffer (one copy).
function collect(incoming) {
  return new Promise((resolve, reject) => {
    const chunks = [];
    let size = 0;
    incoming.on('data', (chunk) => { chunks.push(chunk); size += chunk.length; });
    incoming.once('end', () => {
      const bytes = Buffer.allocUnsafeSlow(size);
      let at = 0;
      for (const chunk of chunks) at += chunk.copy(bytes, at);
      resolve(bytes);
    });
    incoming.once('error', reject);
    incoming.once('close', () => { if (!incoming.readableEnded) reject(new Error('the client closed the request before its end')); });
  });
}

// A Request whose body is still node:http's stream. Read as a whole (arrayBuffer, text, json,
// blob), it comes straight from the socket as Buffers; only the `body` property converts it to a
// web ReadableStream, which costs more than the rest of the request together (a webhook is read
// whole: see intake's readBody). Either way the body can be read once, as with any Request.
class IncomingRequest extends Request {
  #incoming;
  #stream = null;
  #used = false;

  constructor(url, init, incoming) {
    super(url, init);
    this.#incoming = incoming;
  }

  get body() {
    if (!this.#stream) this.#stream = Readable.toWeb(this.#incoming);
    return this.#stream;
  }

  // Used once read in any way: whole, or through the stream (which node:http records as read).
  get bodyUsed() { return this.#used || this.#incoming.readableDidRead || Boolean(this.#stream && this.#stream.locked); }

  #take() {
    if (this.bodyUsed) return Promise.reject(new TypeError('Body is unusable: the body has already been read'));
    this.#used = true;
    return collect(this.#incoming);
  }

  async arrayBuffer() { return (await this.#take()).buffer; }
  async text() { return (await this.#take()).toString('utf8'); }
  async json() { return JSON.parse(await this.text()); }
  async blob() { return new Blob([await this.#take()], { type: this.headers.get('content-type') || '' }); }

  clone() {
    // A copy of the body would need a tee of the socket stream; nothing here clones a request.
    throw new TypeError('a request from node:http cannot be cloned; read its body once instead');
  }
}

function toRequest(req, origin) {
  const headers = new Headers();
  for (let i = 0; i < req.rawHeaders.length; i += 2) headers.append(req.rawHeaders[i], req.rawHeaders[i + 1]);
  const url = new URL(req.url, origin);
  if (req.method === 'GET' || req.method === 'HEAD') return new Request(url, { method: req.method, headers });
  return new IncomingRequest(url, { method: req.method, headers }, req);
}

// The whole answer in one write (status line, headers and body): the service's answers are small
// JSON documents and the metrics text, and each write to a socket is a system call.
async function writeResponse(res, response) {
  res.statusCode = response.status;
  for (const [k, v] of response.headers) res.setHeader(k, v);
  if (!response.body) { res.end(); return; }
  const bytes = Buffer.from(await response.arrayBuffer());
  res.setHeader('content-length', bytes.length);
  res.end(bytes);
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
