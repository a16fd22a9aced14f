// Runs npm as a child process in a folder, bounded in time, and returns what it printed.
import { spawn } from 'node:child_process';

export interface NpmResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

export interface NpmOptions {
  readonly cwd: string;
  readonly env: Readonly<Record<string, string | undefined>>;
  /** The npm executable (default `npm` on PATH). */
  readonly command?: string;
  /** Killed after this long (default 5 minutes: installs can download a lot). */
  readonly timeoutMs?: number;
}

export class NpmError extends Error {
  override readonly name = 'NpmError';
  constructor(
    readonly code: 'npm-failed' | 'npm-timeout' | 'npm-not-found',
    message: string,
    readonly result?: NpmResult,
  ) {
    super(message);
  }
}

const MAX_CAPTURE = 256 * 1024;

function capped(chunks: Buffer[]): string {
  const text = Buffer.concat(chunks).toString('utf8');
  return text.length > MAX_CAPTURE ? text.slice(-MAX_CAPTURE) : text;
}

/** Runs `npm <args>`; resolves with its output when it exits 0, else rejects with NpmError carrying the output. */
export function runNpm(args: readonly string[], options: NpmOptions): Promise<NpmResult> {
  const command = options.command ?? 'npm';
  const timeoutMs = options.timeoutMs ?? 300_000;
  return new Promise((resolve, reject) => {
    const child = spawn(command, [...args], { cwd: options.cwd, env: { ...options.env }, stdio: ['ignore', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (chunk: Buffer) => out.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => err.push(chunk));
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGTERM');
    }, timeoutMs);
    child.on('error', (error: NodeJS.ErrnoException) => {
      clearTimeout(timer);
      reject(new NpmError('npm-not-found', `could not start ${command}: ${error.message}`));
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      const result = { code: code ?? 1, stdout: capped(out), stderr: capped(err) };
      const shown = `npm ${args.join(' ')}`;
      if (timedOut) reject(new NpmError('npm-timeout', `${shown} took longer than ${Math.round(timeoutMs / 1000)} s and was stopped`, result));
      else if (result.code !== 0) reject(new NpmError('npm-failed', `${shown} failed (exit ${result.code}):\n${lastLines(result.stderr || result.stdout, 20)}`, result));
      else resolve(result);
    });
  });
}

function lastLines(text: string, count: number): string {
  return text.trimEnd().split('\n').slice(-count).join('\n');
}
