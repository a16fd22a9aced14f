import { packageTestConfig } from '../../vitest.shared.ts';

// The dry-run test starts Nx, which computes the workspace's project graph first.
export default packageTestConfig({ testTimeout: 120_000 });
