#!/usr/bin/env node
// `npm run bench`: every benchmark of issue #8, one section after another, a table on stdout per
// section and one JSON file in bench/results/ (git-ignored). Benchmarks are reports, not gates:
// targets are printed next to the figures, nothing fails on them.
//
//   --only a,b        run only these sections (names below)
//   --rounds N        core pipeline: rounds per case (default 5)
//   --ms N            core pipeline: milliseconds per implementation per round (default 120)
//   --source NAME     core pipeline: only this source (repeatable)
//   --no-callgrind    skip the instruction counts
//   --quick           every section's shortest meaningful run (for trying the command out)
//
// A section is a module exporting `name`, `describe` and `async run(options, out)`, which prints
// its own table to `out` and returns `{ results, verdicts }`; each verdict is
// `{ case, measured, target, met }` with human-readable measured/target text.
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { machine } from './core-pipeline.mjs';
import * as corePipeline from './sections/core.mjs';
import * as timeToVisible from './sections/visible.mjs';
import * as intake from './sections/intake.mjs';
import * as coldStart from './sections/coldstart.mjs';
import * as sidebar from './sections/sidebar.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
// The order sections run in; each section owns its module in bench/sections/.
const SECTIONS = [corePipeline, timeToVisible, intake, coldStart, sidebar];

const args = process.argv.slice(2);
const options = { rounds: 5, milliseconds: 120, only: null, callgrind: true, quick: false, sections: null };
for (let i = 0; i < args.length; i++) {
  const number = () => {
    const n = Number(args[++i]);
    if (!Number.isInteger(n) || n < 1) { console.error(`bench: ${args[i - 1]} needs a whole number ≥ 1`); process.exit(2); }
    return n;
  };
  if (args[i] === '--rounds') options.rounds = number();
  else if (args[i] === '--ms') options.milliseconds = number();
  else if (args[i] === '--source') (options.only ??= []).push(args[++i]);
  else if (args[i] === '--no-callgrind') options.callgrind = false;
  else if (args[i] === '--quick') options.quick = true;
  else if (args[i] === '--only') options.sections = String(args[++i] ?? '').split(',').filter(Boolean);
  else { console.error(`bench: unknown argument ${args[i]}`); process.exit(2); }
}
const known = SECTIONS.map((s) => s.name);
for (const name of options.sections ?? []) {
  if (!known.includes(name)) { console.error(`bench: unknown section "${name}" (known: ${known.join(', ')})`); process.exit(2); }
}

const report = { machine: machine(), options, sections: {}, verdicts: [] };
for (const section of SECTIONS) {
  if (options.sections && !options.sections.includes(section.name)) continue;
  process.stdout.write(`\n== ${section.name}: ${section.describe}\n`);
  try {
    const { results, verdicts = [] } = await section.run(options, process.stdout);
    report.sections[section.name] = results;
    for (const v of verdicts) report.verdicts.push({ section: section.name, ...v });
  } catch (error) {
    // One broken section must not hide the others' figures; the failure is in the report.
    process.stdout.write(`  FAILED: ${error.stack ?? error}\n`);
    report.sections[section.name] = { failed: String(error.message ?? error) };
    process.exitCode = 1;
  }
}

process.stdout.write('\n== targets (issue #8)\n');
for (const v of report.verdicts) {
  process.stdout.write(`  ${v.section.padEnd(10)} ${String(v.case).padEnd(34)} ${String(v.measured).padEnd(26)} target ${v.target}: ${v.met ? 'met' : 'NOT met'}\n`);
}

const dir = path.join(here, 'results');
mkdirSync(dir, { recursive: true });
const file = path.join(dir, `bench-${new Date().toISOString().replace(/[:.]/g, '-')}.json`);
writeFileSync(file, `${JSON.stringify(report, null, 2)}\n`);
process.stdout.write(`\nJSON: ${path.relative(path.resolve(here, '..'), file)}\n`);
