// Where a command writes and how it is told to stop, so commands run the same in-process (tests) and in main.
export interface Output {
  write(text: string): unknown;
}

export interface CliIo {
  readonly stdout: Output;
  readonly stderr: Output;
  /** Aborted on SIGINT / SIGTERM: long-running commands (run, serve) stop cleanly and return. */
  readonly signal: AbortSignal;
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly cwd: string;
}

export function line(out: Output, text: string): void {
  out.write(`${text}\n`);
}
