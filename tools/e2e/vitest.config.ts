import { packageTestConfig } from '../../vitest.shared.ts';

// One end-to-end file: npm installs and builds take tens of seconds; every step has its own bound.
export default packageTestConfig({ testTimeout: 150_000 });
