'use strict';
// phone-handoff for Node (CommonJS). Loads the fastest backend that works here (native addon,
// else WebAssembly; see lib/backends.js) once, at require time, and exposes the synchronous API.
const { loadBackend } = require('./lib/backends.js');
const { createApi } = require('./lib/api.js');

module.exports = createApi(loadBackend());
