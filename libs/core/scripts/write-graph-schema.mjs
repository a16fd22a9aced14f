// Writes schema/graph.schema.json from the built package (run `npx tsc -b libs/core/tsconfig.json` first).
// With --check it only compares, and exits 1 when the committed file is stale.
import { readFile, writeFile } from 'node:fs/promises';
import process from 'node:process';
import { URL } from 'node:url';

const { graphJsonSchemaText } = await import(new URL('../dist/graph/json-schema.js', import.meta.url).href);
const target = new URL('../schema/graph.schema.json', import.meta.url);
const text = graphJsonSchemaText();
const current = await readFile(target, 'utf8').catch(() => '');

if (process.argv.includes('--check')) {
  if (current !== text) {
    process.stderr.write('schema/graph.schema.json is stale: run node scripts/write-graph-schema.mjs\n');
    process.exit(1);
  }
  process.stdout.write('schema/graph.schema.json is up to date\n');
} else if (current === text) {
  process.stdout.write('schema/graph.schema.json is up to date\n');
} else {
  await writeFile(target, text);
  process.stdout.write('wrote schema/graph.schema.json\n');
}
