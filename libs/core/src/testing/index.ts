// @rivulet/core/testing: run one node or a small graph in a real Runtime, for plugin authors' unit tests.
export { runGraph, runNode, HarnessError, NODE_UNDER_TEST } from './run.js';
export type { Feed, GraphRunResult, HarnessProgress, NodeRunResult, RunGraphOptions, RunNodeOptions, StatusChange } from './run.js';
