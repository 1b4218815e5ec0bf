// Permanent fault statuses (400, 403): what the soak uses to make chosen handoffs fail for good, in
// each API's error dialect, matched by path so only the chosen caller's requests are refused.
import test from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const { withSandbox } = require('../../node/sandbox/client.js');

test('faults: 403 and 400 in each API dialect, only on the matching path', async () => {
  await withSandbox({}, async (sandbox, c) => {
    const added = await c.inspect('POST', '/faults', { body: { kind: 'status', status: 403, method: 'GET', path: '/sc/v2/apps/*/users/*15553000049' } });
    assert.equal(added.status, 201);
    const refused = await c.sunshine('GET', `/users/${encodeURIComponent('phone:+15553000049')}`);
    assert.equal(refused.status, 403);
    assert.deepEqual(refused.body.errors[0], { code: 'forbidden', title: 'Forbidden' });
    assert.equal((await c.sunshine('GET', `/users/${encodeURIComponent('phone:+15553000049')}`)).status, 403, 'no times: every matching request');
    assert.equal((await c.sunshine('GET', `/users/${encodeURIComponent('phone:+15553000050')}`)).status, 404, 'another caller is untouched');
    await c.inspect('POST', '/faults', { body: { kind: 'status', status: 400, path: '/api/**', times: 1 } });
    const support = await c.support('GET', '/api/v2/users/1.json');
    assert.equal(support.status, 400);
    assert.equal(support.body.error, 'BadRequest');
    await c.inspect('POST', '/faults', { body: { kind: 'status', status: 403, path: '/api/**', times: 1 } });
    assert.equal((await c.support('GET', '/api/v2/users/1.json')).body.error, 'Forbidden');
    assert.equal((await c.inspect('POST', '/faults', { body: { kind: 'status', status: 404 } })).status, 400, 'other 4xx are not faults');
  });
});
