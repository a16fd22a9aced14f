// `npm run bench -- <name>`: runs one bench, prints its human summary, then its result as one JSON line (the last line).
import { benches } from './registry.js';

async function main(argv: readonly string[]): Promise<number> {
  const name = argv[0];
  const known = Object.keys(benches).join(', ');
  if (name === undefined || name === '--help' || name === '-h') {
    process.stdout.write(`usage: npm run bench -- <name>\nbenches: ${known}\n`);
    return name === undefined ? 2 : 0;
  }
  const load = benches[name];
  if (!load) {
    process.stderr.write(`unknown bench "${name}" (known: ${known})\n`);
    return 2;
  }
  const bench = await load();
  const report = await bench((line) => process.stdout.write(`${line}\n`));
  process.stdout.write(`${JSON.stringify(report)}\n`);
  return 0;
}

main(process.argv.slice(2)).then(
  // Exit explicitly: an embedded anchor (Node-RED) may leave timers behind.
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`bench failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(1);
  },
);
