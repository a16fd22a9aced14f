// The benches `npm run bench -- <name>` knows; each lives in benches/<name>.ts and is loaded only when asked for.
import type { Bench } from './lib/report.js';

export const benches: Readonly<Record<string, () => Promise<Bench>>> = {
  runtime: async () => (await import('./benches/runtime.js')).runtimeBench,
};
