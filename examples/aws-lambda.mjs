// AWS Lambda: phone-handoff behind a function URL (or an API Gateway HTTP API, payload v2).
//   handler      POST https://<function-url>/webhooks/<source>: verify, store, acknowledge
//   drainHandler an EventBridge schedule (e.g. every minute): deliver what is due to Zendesk
// Configuration comes from environment variables (DATABASE_URL, ZENDESK_*, PHONE_HANDOFF_SECRET_*)
// or a bundled file (PHONE_HANDOFF_CONFIG). Use PostgreSQL: function instances come and go.
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const { createServerless, lambdaEventToRequest, responseToLambda } = require('phone-handoff/service/serverless');

const service = createServerless({ configFile: process.env.PHONE_HANDOFF_CONFIG });

export async function handler(event) {
  return responseToLambda(await service.fetch(lambdaEventToRequest(event)));
}

export async function drainHandler() {
  return { delivered: await service.drain() };
}
