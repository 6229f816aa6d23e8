/**
 * `npm run bench [-- name …]`: runs every suite in bench/suites (or the named ones), prints
 * each section and rewrites that section of bench/RESULTS.md, leaving the others as they were.
 * Run with `--expose-gc` (the npm script does) so memory figures are taken after a collection.
 */
import { readdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { machine, type BenchSuite } from './harness.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const resultsPath = path.join(here, 'RESULTS.md');
const wanted = process.argv.slice(2);

const files = (await readdir(path.join(here, 'suites'))).filter((f) => f.endsWith('.ts')).sort();
const suites: BenchSuite[] = [];
for (const file of files) {
  const mod = (await import(path.join(here, 'suites', file))) as { default: BenchSuite };
  if (wanted.length === 0 || wanted.includes(mod.default.name)) suites.push(mod.default);
}
if (suites.length === 0) {
  console.error(`no benchmark suite matches ${wanted.join(', ')}; have: ${files.join(', ')}`);
  process.exit(2);
}

let results = await readFile(resultsPath, 'utf8').catch(
  () =>
    '# Benchmark results\n\nWritten by `npm run bench`; each section says the machine and date it was measured on.\n',
);
for (const suite of suites) {
  console.log(`\n## ${suite.title}\n`);
  const body = await suite.run();
  const section = `<!-- suite:${suite.name} -->\n## ${suite.title}\n\nMeasured ${new Date().toISOString().slice(0, 10)} on ${machine()}.\n\n${body.trim()}\n<!-- /suite:${suite.name} -->`;
  console.log(body);
  const re = new RegExp(`<!-- suite:${suite.name} -->[\\s\\S]*?<!-- /suite:${suite.name} -->`);
  results = re.test(results)
    ? results.replace(re, section)
    : `${results.trimEnd()}\n\n${section}\n`;
  await writeFile(resultsPath, results);
}
