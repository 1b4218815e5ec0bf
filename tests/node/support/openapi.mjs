// The official Sunshine Conversations OpenAPI spec, read from ../shared (never copied into the
// repo), as ajv validators: shared by every test that checks requests, responses or webhook
// payloads against the spec.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const yaml = require('js-yaml');
const Ajv = require('ajv');
const addFormats = require('ajv-formats');

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
export const specPath = path.resolve(repoRoot, '..', 'shared', 'sunshine-conversations-api-spec', 'openapi.yaml');
export const hasSpec = fs.existsSync(specPath);

// OpenAPI 3.0 → JSON Schema (draft 7) for ajv:
// * nullable: true → add "null" to type (and enum); without a type, accept null beside it.
// * oneOf + discriminator → the branch named by the discriminator value (its mapping, else the
//   $ref's schema name), as OpenAPI defines it: the spec's message content branches overlap, so a
//   plain oneOf would reject every valid text message.
// * oneOf without discriminator → anyOf: its branches lack "required" (destination's
//   {integrationId} and {integrationType} both accept any object), so "exactly one" cannot hold.
// * "$ref": "#/…" → "spec#/…", resolved in the whole spec document registered under that id.
// Property names are kept as they are (a property may be called "nullable" or "example").
export function toJsonSchema(node) {
  if (Array.isArray(node)) return node.map(toJsonSchema);
  if (typeof node !== 'object' || node === null) return node;
  const out = {};
  for (const [key, value] of Object.entries(node)) {
    if (key === 'example' || key === 'examples' || key === 'discriminator' || key === 'nullable' || key.startsWith('x-')) continue;
    if (key === 'properties') out.properties = Object.fromEntries(Object.entries(value).map(([k, v]) => [k, toJsonSchema(v)]));
    else if (key === '$ref' && typeof value === 'string' && value.startsWith('#/')) out.$ref = `spec${value}`;
    else out[key] = toJsonSchema(value);
  }
  if (node.oneOf && node.discriminator) {
    const tag = node.discriminator.propertyName;
    const mapping = node.discriminator.mapping
      ?? Object.fromEntries(node.oneOf.map((branch) => [branch.$ref.split('/').pop(), branch.$ref]));
    delete out.oneOf;
    out.required = [...(out.required ?? []), tag];
    out.properties = { ...(out.properties ?? {}), [tag]: { enum: Object.keys(mapping) } };
    out.allOf = [...(out.allOf ?? []), ...Object.entries(mapping).map(([value, ref]) => ({
      if: { properties: { [tag]: { const: value } }, required: [tag] },
      then: { $ref: `spec${ref.slice(ref.indexOf('#'))}` },
    }))];
  } else if (out.oneOf) {
    out.anyOf = out.oneOf;
    delete out.oneOf;
  }
  if (node.nullable === true) {
    if (typeof out.type === 'string') {
      out.type = [out.type, 'null'];
      if (Array.isArray(out.enum)) out.enum = [...out.enum, null];
    } else {
      return { anyOf: [out, { type: 'null' }] };
    }
  }
  return out;
}

// Throws (it does not skip) when the spec is missing: a test that needs it must not pass without it.
export function loadSunshineSpec() {
  if (!hasSpec) {
    throw new Error(`the Sunshine Conversations OpenAPI spec is missing: expected it at ${specPath} ` +
      '(zendesk/sunshine-conversations-api-spec openapi.yaml, kept outside the repository)');
  }
  const spec = yaml.load(fs.readFileSync(specPath, 'utf8'));
  const ajv = new Ajv({ strict: false, allErrors: true });
  addFormats(ajv);
  ajv.addSchema(toJsonSchema({ components: spec.components }), 'spec');

  // `schema` is a spec reference ("#/components/schemas/messagePost") or an OpenAPI schema object.
  // Returns null when `value` is valid, else ajv's explanation.
  const validators = new Map();
  function validate(schema, value) {
    const key = typeof schema === 'string' ? schema : JSON.stringify(schema);
    if (!validators.has(key)) {
      validators.set(key, ajv.compile(typeof schema === 'string' ? { $ref: `spec${schema}` } : toJsonSchema(schema)));
    }
    const fn = validators.get(key);
    return fn(value) ? null : ajv.errorsText(fn.errors, { separator: '\n' });
  }

  // The spec operation for "/v2/apps/x/users/y/sync" (no "/sc" prefix, no query): a literal
  // segment beats a parameter. null when no path template has that method.
  const templates = Object.keys(spec.paths).map((template) => ({
    template,
    regex: new RegExp(`^${template.replace(/\{[^}]+\}/g, '[^/]+')}$`),
    literal: template.replace(/\{[^}]+\}/g, '').length,
  }));
  function operation(method, urlPath) {
    const pathOnly = urlPath.split('?')[0];
    const matches = templates.filter((t) => t.regex.test(pathOnly)).sort((a, b) => b.literal - a.literal);
    for (const match of matches) {
      const op = spec.paths[match.template][method.toLowerCase()];
      if (op) return { template: match.template, op };
    }
    return null;
  }
  return { spec, validate, operation };
}
