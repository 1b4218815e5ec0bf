// A Vercel-style function (api/webhooks/[source].mjs or any runtime that calls fetch(Request)):
// the handler is web-standard, so the route exports it directly. Pair it with a cron route that
// calls drain() (vercel.json "crons": [{"path": "/api/drain", "schedule": "* * * * *"}]).
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const { createServerless } = require('phone-handoff/service/serverless');

const service = createServerless({ configFile: process.env.PHONE_HANDOFF_CONFIG });

// POST /webhooks/<source> (and /webhooks/sunshine, /healthz, /metrics): the same routes as `serve`.
export async function POST(request) {
  return service.fetch(request);
}
export const GET = POST;

// The cron route: deliver everything due now.
export async function drain() {
  return Response.json({ delivered: await service.drain() });
}
