// Runs the SFU bench by itself and prints its JSON line: `node out-tsc/bench/run-local.js`.
import { run } from './sfu-bench.js';

const report = await run({ log: (line) => process.stdout.write(`${line}\n`) });
process.stdout.write(`${JSON.stringify({ bench: 'sfu', ...report })}\n`);
process.exit(0);
