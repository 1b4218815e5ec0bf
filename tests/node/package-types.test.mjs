// The TypeScript declarations are tested, not just shipped: tests/types/*.ts use every export
// through the package's own name (so the "exports" map and its "types" conditions are what
// resolve them) and mark mistakes the types must reject with @ts-expect-error.
import test from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import path from 'node:path';

const root = fileURLToPath(new URL('../../', import.meta.url));

test('tests/types compile with tsc --noEmit --strict (CommonJS, ES module and browser entries)', () => {
  const tsc = path.join(root, 'node_modules', '.bin', 'tsc');
  const r = spawnSync(tsc, ['--noEmit', '--strict', '-p', path.join(root, 'tests', 'types')],
    { cwd: root, encoding: 'utf8', timeout: 120000 });
  assert.equal(r.status, 0, `tsc reported:\n${r.stdout}${r.stderr}`);
  assert.equal(r.stdout, '');
});
