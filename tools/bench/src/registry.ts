// The benches `npm run bench -- <name>` knows, each loaded only when asked for: the runtime bench
// lives here, the others beside the package they measure.
import type { Bench } from './lib/report.js';
import { sourceBench } from './lib/source-bench.js';

export const benches: Readonly<Record<string, () => Promise<Bench>>> = {
  runtime: async () => (await import('./benches/runtime.js')).runtimeBench,
  gstreamer: async () => sourceBench('gstreamer', 'plugins/gstreamer/bench/gstreamer-bench.ts'),
  signalling: async () => sourceBench('signalling', 'plugins/signalling/bench/signalling-bench.ts'),
  sfu: async () => sourceBench('sfu', 'plugins/webrtc/bench/sfu-bench.ts'),
  editor: async () => sourceBench('editor', 'apps/editor/bench/editor-bench.ts'),
  'peer-session': async () => sourceBench('peer-session', 'plugins/peer-session/bench/peer-session-bench.ts'),
};
