// Runs as soon as it arrives, while the app's modules and the core are still downloading: the
// first Intl.DateTimeFormat a page creates loads the locale data (20-90 ms measured in headless
// Chromium on a busy machine), and the summary card needs one. Created here it costs nothing on
// the way to the first render; format.js's own formatter then takes well under a millisecond.
'use strict';
try {
  new Intl.DateTimeFormat(navigator.language || undefined, { dateStyle: 'medium', timeStyle: 'short' }).format(0);
} catch { /* format.js falls back on its own */ }
