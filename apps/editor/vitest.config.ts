// Unit tests (src) and browser acceptance tests (e2e, headless Chromium against a real `rivulet serve`).
import { mergeConfig } from 'vitest/config';
import { packageTestConfig } from '../../vitest.shared.ts';

export default mergeConfig(packageTestConfig({ include: ['src/**/*.test.ts', 'e2e/**/*.test.ts'], testTimeout: 60_000 }), {
  test: { globalSetup: ['e2e/global-setup.ts'], hookTimeout: 120_000, fileParallelism: false },
});
