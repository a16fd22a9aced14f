#!/usr/bin/env node
// The `rivulet` executable: wires signals and the process streams to the CLI, then exits with its code.
import { runCli } from './cli.js';

const controller = new AbortController();
let signals = 0;
const onSignal = (): void => {
  signals += 1;
  // A second Ctrl-C means "now": do not wait for graphs to finish stopping.
  if (signals > 1) process.exit(130);
  controller.abort();
};
process.on('SIGINT', onSignal);
process.on('SIGTERM', onSignal);

const code = await runCli(process.argv.slice(2), {
  stdout: process.stdout,
  stderr: process.stderr,
  signal: controller.signal,
  env: process.env,
  cwd: process.cwd(),
});
process.exitCode = code;
// Servers and timers of nodes that ignored stop must not keep the process alive after the command returned.
setTimeout(() => process.exit(code), 2_000).unref();
