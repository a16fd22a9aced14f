// Shared Vitest settings: resolve workspace packages to their TypeScript sources.
import { defaultServerConditions, defaultClientConditions } from 'vite';
import { defineConfig } from 'vitest/config';

export const sourceCondition = '@rivulet/source';

// Load and latency tests (`*.load.test.ts`) run in a phase of their own, one package at a time,
// so that the rest of the suite does not skew their timings: RIVULET_TEST_PHASE=load selects them.
const loadPhase = process.env['RIVULET_TEST_PHASE'] === 'load';

export function packageTestConfig(options: { testTimeout?: number; include?: string[] } = {}) {
  return defineConfig({
    resolve: { conditions: [sourceCondition, ...defaultClientConditions] },
    ssr: { resolve: { conditions: [sourceCondition, ...defaultServerConditions] } },
    test: {
      include: loadPhase ? ['src/**/*.load.test.ts'] : (options.include ?? ['src/**/*.test.ts']),
      exclude: ['**/node_modules/**', '**/dist/**', ...(loadPhase ? [] : ['**/*.load.test.ts'])],
      environment: 'node',
      watch: false,
      reporters: ['default', ['json', { outputFile: loadPhase ? 'test-results/vitest-load.json' : 'test-results/vitest.json' }]],
      testTimeout: options.testTimeout ?? 20_000,
      passWithNoTests: true,
      hookTimeout: 20_000,
      teardownTimeout: 10_000,
    },
  });
}
