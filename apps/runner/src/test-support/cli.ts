// Test support: run the CLI in-process with captured output and a signal the test controls.
import { runCli, type CliHooks } from '../cli.js';
import type { CliIo } from '../io.js';

export interface CliRun {
  readonly stdout: () => string;
  readonly stderr: () => string;
  /** Sends the equivalent of SIGTERM to the running command. */
  readonly stop: () => void;
  readonly code: Promise<number>;
}

export function startCli(args: readonly string[], options: { cwd: string; env?: Record<string, string>; hooks?: CliHooks }): CliRun {
  let out = '';
  let err = '';
  const controller = new AbortController();
  const io: CliIo = {
    stdout: { write: (text: string) => (out += text) },
    stderr: { write: (text: string) => (err += text) },
    signal: controller.signal,
    env: options.env ?? {},
    cwd: options.cwd,
  };
  return { stdout: () => out, stderr: () => err, stop: () => controller.abort(), code: runCli(args, io, options.hooks) };
}

/** Waits until `check` holds, polling; fails after `timeoutMs`. */
export async function waitFor(check: () => boolean, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}
