// @rivulet/runner: the `rivulet` CLI and the control API server, usable from code and tests.
export { runCli, type CliHooks } from './cli.js';
export type { CliIo, Output } from './io.js';
export { buildServer, BODY_LIMIT, type ServerOptions } from './server/app.js';
export { GraphStore, StoreError, isGraphId } from './server/store.js';
export { randomToken, tokensEqual, isLoopback } from './server/auth.js';
export { MAX_BUFFERED_BYTES } from './server/events-socket.js';
