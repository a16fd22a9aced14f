// @rivulet/bench: the registry of benches and the report shape each returns (run them with `npm run bench -- <name>`).
export { benches } from './registry.js';
export type { Bench, BenchReport } from './lib/report.js';
