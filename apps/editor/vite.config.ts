// Builds the editor into dist/, which `rivulet serve` serves at `/`; workspace packages resolve to their sources.
import react from '@vitejs/plugin-react';
import { defaultClientConditions, defineConfig } from 'vite';

export default defineConfig({
  base: './',
  plugins: [react()],
  resolve: { conditions: ['@rivulet/source', ...defaultClientConditions] },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    sourcemap: true,
    chunkSizeWarningLimit: 2_000,
    rolldownOptions: {
      treeshake: {
        // The editor uses only pure parts of @rivulet/core (port rules, the graph schema); its Node-only
        // modules (plugin discovery, the runtime) must be dropped, top-level statements included.
        moduleSideEffects: [
          { test: /[\\/]libs[\\/](core|client)[\\/]src[\\/]/, sideEffects: false },
          { test: /^node:/, external: true, sideEffects: false },
        ],
      },
    },
  },
  server: { host: '127.0.0.1' },
});
