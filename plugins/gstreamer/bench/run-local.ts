// Runs the GStreamer bench by itself and prints its JSON line: `node out-tsc/bench/run-local.js`.
import { run } from './gstreamer-bench.js';

const report = await run({ log: (line) => process.stdout.write(`${line}\n`) });
process.stdout.write(`${JSON.stringify({ bench: 'gstreamer', ...report })}\n`);
process.exit(0);
