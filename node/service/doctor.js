'use strict';
// doctor: checks a deployment's configuration and credentials against Zendesk (or the sandbox) and
// explains each problem the way a support admin needs it: what is wrong, why the handoff fails
// because of it, and where in Admin Center to fix it. Read-only: it changes nothing.
const { createZendeskClient, TransportError } = require('./zendesk-client.js');

const WEBHOOK_TRIGGERS = ['conversation:message', 'switchboard:passControl', 'switchboard:passControl:failure'];

async function runDoctor(config, { client = createZendeskClient(config.zendesk, { timeoutMs: 10_000 }), publicUrl } = {}) {
  const findings = [];
  const ok = (check, message) => findings.push({ check, status: 'ok', message });
  const problem = (check, message) => findings.push({ check, status: 'problem', message });
  const warning = (check, message) => findings.push({ check, status: 'warning', message });
  const z = config.zendesk || {};
  const sc = z.sunshine || {};
  const handoff = config.handoff || {};
  const ownIntegration = (handoff.sunshine && handoff.sunshine.integration) || '';
  const agentWorkspace = (handoff.sunshine && handoff.sunshine.agentWorkspace) || 'zd-agentWorkspace';
  const app = `/sc/v2/apps/${encodeURIComponent(z.appId || '')}`;

  const ask = async (api, path) => {
    try { return await client.request({ api, method: 'GET', path }); } catch (err) {
      if (err instanceof TransportError) return { status: 0, error: err.message };
      throw err;
    }
  };

  if (typeof sc.keyId === 'string' && sc.keyId.startsWith('int_')) {
    problem('key-type', `The Sunshine key "${sc.keyId}" is an integration key (int_…). phone-handoff needs an app key (app_…): an integration key cannot read the switchboard or create conversations for every channel. Create one in Admin Center → Apps and integrations → APIs → Conversations API → Create API key (not inside an integration).`);
  } else if (typeof sc.keyId === 'string' && sc.keyId.startsWith('app_')) {
    ok('key-type', 'The Sunshine key is an app key (app_…).');
  } else {
    warning('key-type', `The Sunshine key id "${sc.keyId || ''}" does not start with app_: check you copied the Key ID, not the secret or the App ID.`);
  }

  const appAnswer = await ask('sunshine', app);
  if (appAnswer.status === 0) {
    problem('reach', `Zendesk could not be reached: ${appAnswer.error}. Check zendesk.subdomain (or zendesk.url) and the network.`);
    return findings;
  }
  if (appAnswer.status === 401) {
    problem('credentials', 'Zendesk refused the Sunshine key (401): the Key ID or secret is wrong, or the key was deleted. The secret is shown only once; if it is lost, delete the key and create a new one.');
    return findings;
  }
  if (appAnswer.status === 403) {
    problem('credentials', 'The Sunshine key may not read this app (403): it is probably an integration key (int_…) or belongs to another app. Use an app key from Conversations API.');
    return findings;
  }
  if (appAnswer.status === 404) {
    problem('app-id', `No app "${z.appId}" (404): the App ID is wrong. Copy it from the top of Admin Center → Apps and integrations → APIs → Conversations API.`);
    return findings;
  }
  if (appAnswer.status !== 200) {
    problem('app', `Reading the app answered ${appAnswer.status}; try again later.`);
    return findings;
  }
  ok('credentials', `The Sunshine key reads app ${z.appId}.`);
  const settings = (appAnswer.body && appAnswer.body.app && appAnswer.body.app.settings) || {};
  if (settings.multiConvoEnabled === true) ok('multi-conversations', 'Multi-conversations is on: every call gets its own conversation.');
  else problem('multi-conversations', 'Multi-conversations is off: a caller who already has a conversation cannot get a new one, so phone-handoff reuses the old one (and repeat callers\' calls land in one thread). Turn it on in Admin Center → Channels → Messaging and social → Messaging → Manage settings → Multi-conversations (this cannot be undone).');

  const boards = await ask('sunshine', `${app}/switchboards`);
  const board = boards.status === 200 && boards.body && Array.isArray(boards.body.switchboards) ? boards.body.switchboards[0] : null;
  if (!board) {
    problem('switchboard', `The app has no switchboard (answer ${boards.status}): Agent Workspace cannot take control of conversations. Messaging with Agent Workspace must be set up in Admin Center.`);
  } else {
    const list = await ask('sunshine', `${app}/switchboards/${encodeURIComponent(board.id)}/switchboardIntegrations`);
    const sbis = (list.body && list.body.switchboardIntegrations) || [];
    const named = (n) => sbis.find((s) => s.id === n || s.name === n || s.integrationType === n);
    if (named(agentWorkspace) || named('zd:agentWorkspace')) ok('agent-workspace', 'Agent Workspace is in the switchboard.');
    else problem('agent-workspace', `Agent Workspace ("${agentWorkspace}") is missing from the switchboard, so no ticket can be opened. Turn on Agent Workspace and messaging for the account.`);
    if (!ownIntegration) warning('own-integration', 'handoff.sunshine.integration is not set: phone-handoff cannot take control before posting the transcript, so Agent Workspace may open the ticket before the tags and fields arrive.');
    else if (named(ownIntegration)) ok('own-integration', `The switchboard has phone-handoff's integration "${ownIntegration}".`);
    else problem('own-integration', `The switchboard has no integration "${ownIntegration}" (handoff.sunshine.integration). Add your custom integration to the switchboard (an app key can: POST /switchboards/{id}/switchboardIntegrations).`);
  }

  const integrations = await ask('sunshine', `${app}/integrations?filter[types]=custom`);
  const hooks = [];
  for (const integration of (integrations.body && integrations.body.integrations) || []) {
    const list = await ask('sunshine', `${app}/integrations/${encodeURIComponent(integration.id)}/webhooks`);
    hooks.push(...((list.body && list.body.webhooks) || []));
  }
  const wanted = publicUrl ? `${publicUrl.replace(/\/+$/, '')}/webhooks/sunshine` : null;
  const hook = hooks.find((h) => (wanted ? h.target === wanted : /\/webhooks\/sunshine$/.test(h.target || '')));
  if (!hook) {
    problem('webhook', `No Sunshine webhook points at ${wanted || '…/webhooks/sunshine'}: phone-handoff will not hear that a ticket closed or that Agent Workspace refused control. Add one to your custom integration (Admin Center → Apps and integrations → Integrations → Conversations integrations) with the triggers ${WEBHOOK_TRIGGERS.join(', ')}.`);
  } else {
    const missing = WEBHOOK_TRIGGERS.filter((t) => !(hook.triggers || []).includes(t));
    if (missing.length) problem('webhook', `The Sunshine webhook is not subscribed to ${missing.join(', ')}: add them to the webhook's triggers.`);
    else ok('webhook', `The Sunshine webhook ${hook.target} has the triggers phone-handoff needs.`);
    if (!z.webhookSecret) problem('webhook-secret', 'zendesk.webhookSecret is not set: every Sunshine event will be refused. Copy the webhook\'s secret from the integration page.');
  }

  if (handoff.matchCallers === false) {
    ok('support-token', 'Caller matching is off: no Support API token is needed.');
  } else if (!z.support || !z.support.email || !z.support.token) {
    warning('support-token', 'No Zendesk API token (zendesk.support.email/token): known callers cannot be matched by phone and merged with their Support user. Create one in Admin Center → Apps and integrations → APIs → Zendesk API (token access on).');
  } else {
    const search = await ask('support', `/api/v2/search.json?query=${encodeURIComponent('type:user role:end-user phone:*0000000')}`);
    if (search.status === 200) ok('support-token', 'The Support API token can search users by phone.');
    else if (search.status === 401) problem('support-token', `The Support API refused ${z.support.email}'s token (401): check "Token access" is on and that the email is the token owner's.`);
    else if (search.status === 403) problem('support-token', `The token's user ${z.support.email} may not search users (403): it must belong to an admin or an agent allowed to edit end users (merging needs that too).`);
    else warning('support-token', `Searching users answered ${search.status}.`);
  }
  return findings;
}

module.exports = { runDoctor };
