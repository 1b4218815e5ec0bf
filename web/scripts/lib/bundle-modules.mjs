// Joins the app's ES modules into one module for the package, so the iframe asks for one script
// instead of eight: each request is a round trip, and over HTTP/1.1 a browser opens at most six
// connections to a host. The sources stay small files; only the package has the bundle.
//
// It handles exactly the forms the app's modules use, and refuses any other top-level import or
// export, so a new form fails the packaging instead of the page:
//   import { a, b as c } from './x.js';        (one line, a sibling module)
//   export function f / export async function f / export const x / export class C
// Each module becomes a function scope returning its exports, in dependency order; the entry
// runs last. import.meta.url and import('./…') keep working: the bundle takes the entry's place.
import path from 'node:path';

const IMPORT = /^import\s*\{([^}]*)\}\s*from\s*'(\.\/[\w.-]+\.js)';\s*$/;
const EXPORT = /^export\s+((?:async\s+)?function\*?\s+([\w$]+)|(?:const|let|class)\s+([\w$]+))/;
const OTHER_IMPORT_EXPORT = /^\s*(import\s*[{*\w'"]|export\b)/;

function scopeName(file) {
  return `module_${file.replace(/\W/g, '_')}`;
}

function parseModule(file, source) {
  const imports = [];
  const exports = [];
  const body = source.split('\n').map((line, i) => {
    const imported = IMPORT.exec(line);
    if (imported) {
      const names = imported[1].split(',').map((n) => n.trim()).filter(Boolean).map((n) => {
        const [name, alias] = n.split(/\s+as\s+/);
        return alias ? `${name}: ${alias}` : name;
      });
      imports.push({ from: imported[2].slice(2), names });
      return '';
    }
    const exported = EXPORT.exec(line);
    if (exported) {
      exports.push(exported[2] || exported[3]);
      return line.replace(/^export\s+/, '');
    }
    if (OTHER_IMPORT_EXPORT.test(line)) throw new Error(`${file}:${i + 1}: the bundler does not handle "${line.trim()}"`);
    return line;
  });
  return { imports, exports, body };
}

// readSource(file) → text of a module next to the entry. Returns {text, files} with `files` the
// modules bundled (the entry included), in the order they run.
export function bundleModules(entry, readSource) {
  const modules = new Map();
  const order = [];
  const visit = (file, trail) => {
    if (trail.includes(file)) throw new Error(`import cycle: ${[...trail, file].join(' → ')}`);
    if (modules.has(file)) return;
    const parsed = parseModule(file, readSource(file));
    modules.set(file, parsed);
    for (const { from } of parsed.imports) visit(from, [...trail, file]);
    order.push(file);
  };
  visit(entry, []);

  const parts = [`// ${entry} and the modules it imports (${order.filter((f) => f !== entry).join(', ')}), joined by\n` +
    '// web/scripts/lib/bundle-modules.mjs for the package; the sources are separate files.'];
  for (const file of order) {
    const { imports, exports, body } = modules.get(file);
    const bindings = imports.map(({ from, names }) => `const { ${names.join(', ')} } = ${scopeName(from)};`);
    const inner = [...bindings, ...body].join('\n').trimEnd();
    if (file === entry) parts.push(`// ---- ${file}\n{\n${inner}\n}`);
    else parts.push(`// ---- ${file}\nconst ${scopeName(file)} = (() => {\n${inner}\nreturn { ${exports.join(', ')} };\n})();`);
  }
  return { text: `${parts.join('\n\n')}\n`, files: order };
}

// The iframe page without the preload hints of modules the bundle now holds.
export function dropBundledPreloads(html, bundled, entry) {
  return html.split('\n').filter((line) => {
    const hint = /<link rel="modulepreload" href="([^"]+)">/.exec(line);
    return !hint || hint[1] === entry || !bundled.includes(path.posix.normalize(hint[1]));
  }).join('\n');
}
