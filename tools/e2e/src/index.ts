// Helpers of the end-to-end tests: commands with bounds and a clean environment, broken plugin fixtures.
export { run, start, stop, waitFor, strangerEnv, CommandError, type CommandResult, type CommandOptions } from './shell.js';
export { writeBrokenPlugins, type BrokenPlugin } from './fixtures.js';
