// Shared Vitest settings: resolve workspace packages to their TypeScript sources.
import { defaultServerConditions, defaultClientConditions } from 'vite';
import { defineConfig } from 'vitest/config';

export const sourceCondition = '@rivulet/source';

export function packageTestConfig(options: { testTimeout?: number; include?: string[] } = {}) {
  return defineConfig({
    resolve: { conditions: [sourceCondition, ...defaultClientConditions] },
    ssr: { resolve: { conditions: [sourceCondition, ...defaultServerConditions] } },
    test: {
      include: options.include ?? ['src/**/*.test.ts'],
      environment: 'node',
      watch: false,
      reporters: ['default', ['json', { outputFile: 'test-results/vitest.json' }]],
      testTimeout: options.testTimeout ?? 20_000,
      passWithNoTests: true,
      hookTimeout: 20_000,
      teardownTimeout: 10_000,
    },
  });
}
