// Runs the signalling benchmark on its own and prints the design's last-line JSON (until tools/bench wires it in).
import { run } from './signalling-bench.js';

const report = await run({ log: (line) => console.log(line) });
console.log(JSON.stringify({ bench: 'signalling', ...report }));
