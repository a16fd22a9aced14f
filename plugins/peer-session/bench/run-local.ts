// Runs the peer-session bench by itself and prints its JSON line: `node out-tsc/bench/run-local.js`.
import { run } from './peer-session-bench.js';

const report = await run({ log: (line) => process.stdout.write(`${line}\n`) });
process.stdout.write(`${JSON.stringify({ bench: 'peer-session', ...report })}\n`);
process.exit(0);
