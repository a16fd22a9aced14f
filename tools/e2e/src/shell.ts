// Runs commands for end-to-end tests: bounded in time, in a clean environment, failing with their output.
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { homedir } from 'node:os';
import { join } from 'node:path';

export interface CommandResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

export interface CommandOptions {
  readonly cwd: string;
  readonly env: NodeJS.ProcessEnv;
  readonly timeoutMs: number;
}

export class CommandError extends Error {
  override readonly name = 'CommandError';
  constructor(
    message: string,
    readonly result: CommandResult,
  ) {
    super(message);
  }
}

const KEPT_VARIABLES = ['PATH', 'LANG', 'LC_ALL', 'TMPDIR', 'TZ'];

/**
 * An environment with nothing of the workspace or the test runner in it (no npm_* from
 * `npm test`, no NODE_OPTIONS or VITEST*): a stranger's shell with `home` as HOME, so no
 * ~/.rivulet/plugins of this machine leaks in, and npm preferring its existing cache.
 */
export function strangerEnv(home: string): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const name of KEPT_VARIABLES) if (process.env[name] !== undefined) env[name] = process.env[name];
  return {
    ...env,
    HOME: home,
    NO_COLOR: '1',
    CI: 'true',
    npm_config_cache: process.env['npm_config_cache'] ?? join(homedir(), '.npm'),
    npm_config_prefer_offline: 'true',
    npm_config_audit: 'false',
    npm_config_fund: 'false',
    npm_config_update_notifier: 'false',
    npm_config_loglevel: 'error',
  };
}

/** Runs a command to completion; rejects with the tail of its output when it fails or overruns. */
export function run(command: string, args: readonly string[], options: CommandOptions): Promise<CommandResult> {
  return new Promise((resolve, reject) => {
    execFile(command, [...args], { cwd: options.cwd, env: options.env, timeout: options.timeoutMs, maxBuffer: 32 * 1024 * 1024 }, (error, stdout, stderr) => {
      const result = { code: error ? (typeof error.code === 'number' ? error.code : 1) : 0, stdout, stderr };
      if (!error) return resolve(result);
      const why = error.killed ? `was stopped after ${options.timeoutMs} ms` : `failed (exit ${String(error.code)})`;
      reject(new CommandError(`${command} ${args.join(' ')} in ${options.cwd} ${why}:\n${tail(stderr || stdout)}`, result));
    });
  });
}

/** Starts a long-running command; the caller stops it (see stop()). */
export function start(command: string, args: readonly string[], options: Omit<CommandOptions, 'timeoutMs'>): ChildProcess & { output: () => string } {
  const child = spawn(command, [...args], { cwd: options.cwd, env: options.env, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  return Object.assign(child, { output: () => output });
}

/** Sends `signal`, waits up to `timeoutMs` for the exit, then kills; resolves with the exit code (null if killed). */
export async function stop(child: ChildProcess, signal: NodeJS.Signals, timeoutMs: number): Promise<number | null> {
  if (child.exitCode !== null || child.signalCode !== null) return child.exitCode;
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  child.kill(signal);
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<'late'>((resolve) => (timer = setTimeout(() => resolve('late'), timeoutMs)));
  const outcome = await Promise.race([exited, late]);
  clearTimeout(timer);
  if (outcome !== 'late') return outcome;
  child.kill('SIGKILL');
  await exited;
  return null;
}

/** Resolves once `check` returns true, polling every 100 ms; rejects after `timeoutMs` with `what`. */
export async function waitFor(check: () => boolean | Promise<boolean>, timeoutMs: number, what: () => string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`gave up after ${timeoutMs} ms waiting for ${what()}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

function tail(text: string, lines = 30): string {
  return text.trimEnd().split('\n').slice(-lines).join('\n');
}
