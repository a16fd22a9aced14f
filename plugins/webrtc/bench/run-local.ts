// Runs the SFU bench by itself and prints its JSON line, loading the TypeScript sources through Vite as tools/bench does:
// `npx tsc -b plugins/webrtc/bench/tsconfig.json && node plugins/webrtc/out-tsc/bench/bench/run-local.js` (from the workspace root).
import { fileURLToPath } from 'node:url';
import { createServer, defaultServerConditions } from 'vite';

const root = fileURLToPath(new URL('../../../../../', import.meta.url));
const server = await createServer({
  root,
  configFile: false,
  logLevel: 'error',
  appType: 'custom',
  server: { middlewareMode: true, hmr: false, ws: false },
  ssr: { resolve: { conditions: ['@rivulet/source', ...defaultServerConditions] } },
});
try {
  const bench = (await server.ssrLoadModule('/plugins/webrtc/bench/sfu-bench.ts')) as typeof import('./sfu-bench.js');
  const report = await bench.run({ log: (line) => process.stdout.write(`${line}\n`) });
  process.stdout.write(`${JSON.stringify({ bench: 'sfu', ...report })}\n`);
} finally {
  await server.close();
}
process.exit(0);
