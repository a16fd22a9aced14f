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

// A graph whose sources have finished leaves nothing on the event loop, yet `run` and `serve`
// keep going until a signal: hold the loop open while the command runs.
const keepAlive = setInterval(() => {}, 2 ** 30);
const code = await runCli(process.argv.slice(2), {
  stdout: process.stdout,
  stderr: process.stderr,
  signal: controller.signal,
  env: process.env,
  cwd: process.cwd(),
});
clearInterval(keepAlive);
process.exitCode = code;
// Servers and timers of nodes that ignored stop must not keep the process alive after the command returned.
setTimeout(() => process.exit(code), 2_000).unref();
