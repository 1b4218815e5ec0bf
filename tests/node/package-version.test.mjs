// One version: CMakeLists.txt's project() version is compiled into every binary (PH_VERSION), so
// package.json must say the same and no C++ source may spell a version of its own. (That the built
// backends report package.json's version is checked in package.test.mjs and package-backends.)
import test from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const read = (file) => readFileSync(path.join(root, file), 'utf8');
const packageVersion = JSON.parse(read('package.json')).version;

test("package.json's version is CMakeLists.txt's project() version", () => {
  const project = /^project\(phone_handoff VERSION (\S+)/m.exec(read('CMakeLists.txt'));
  assert.ok(project, 'CMakeLists.txt has no project(phone_handoff VERSION …) line');
  assert.equal(packageVersion, project[1]);
});

test('no C++ source spells the version: version() returns the compile definition', () => {
  const sources = [];
  const walk = (dir) => {
    for (const entry of readdirSync(path.join(root, dir), { withFileTypes: true })) {
      const relative = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(relative);
      else if (/\.(cpp|hpp|h)$/.test(entry.name)) sources.push(relative);
    }
  };
  for (const dir of ['core', 'bindings']) walk(dir);
  assert.ok(sources.length > 20, `only ${sources.length} C++ files found`);
  const quoted = `"${packageVersion}"`;
  assert.deepEqual(sources.filter((file) => read(file).includes(quoted)), []);
  assert.match(read('core/src/api.cpp'), /version\(\) \{ return PH_VERSION; \}/);
});
