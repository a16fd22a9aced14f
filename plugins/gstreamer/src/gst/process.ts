// One gst-launch-1.0 child per pipeline: own process group, stderr parsed, EOS on stop, bounded kill.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import type { Readable, Writable } from 'node:stream';

/** A problem GStreamer reported, with the element instance that posted it. */
export interface GstMessage {
  readonly level: 'error' | 'warning';
  /** Instance name of the posting element (e.g. `enc__x264enc`), when GStreamer names one. */
  readonly element?: string;
  readonly text: string;
  readonly debug?: string;
}

export interface GstExit {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  /** The first error GStreamer printed (or the erroneous-pipeline warning). */
  readonly error?: GstMessage;
  /** True when the exit followed our stop(). */
  readonly stopped: boolean;
}

export interface GstProcessOptions {
  /** argv after `gst-launch-1.0 -e`. */
  readonly argv: readonly string[];
  /** Number of extra pipes to open as fds 3, 4, … (boundaries). */
  readonly extraFds?: number;
  readonly onMessage?: (message: GstMessage) => void;
  /** Called once when gst-launch sets the pipeline to PLAYING. */
  readonly onPlaying?: () => void;
  /** Aborting stops the child gracefully (same as stop()). */
  readonly signal?: AbortSignal;
  readonly stopTimeoutMs?: number;
}

export interface GstProcess {
  readonly pid: number;
  /** The child's fds 3… as Node streams (readable for outputs, writable for inputs; both are duplex pipes). */
  readonly fds: readonly (Readable & Writable)[];
  readonly exited: Promise<GstExit>;
  /** EOS (SIGINT to gst-launch -e), wait up to the timeout, then SIGKILL the process group. */
  stop(timeoutMs?: number): Promise<GstExit>;
}

const ELEMENT_PATH = /^(ERROR|WARNING): from element (\S+): (.*)$/;
const ERRONEOUS = /^WARNING: erroneous pipeline: (.*)$/;

/** The first pipeline-level element in a path like /GstPipeline:pipeline0/GstDecodeBin:src__decodebin/GstQTDemux:qtdemux0 */
export function elementFromPath(path: string): string | undefined {
  const names = path.split('/').filter(Boolean).map((part) => part.slice(part.indexOf(':') + 1));
  return names.find((name) => name.includes('__')) ?? names[names.length - 1];
}

/** Lines gst-launch itself prints; anything else after "Additional debug info:" belongs to the debug text. */
const LAUNCH_LINE = /^(ERROR|WARNING|INFO|Setting pipeline|Pipeline is|Got message|Got EOS|New clock|Redistribute latency|Freeing pipeline|Execution ended|EOS on shutdown|Waiting for EOS|Interrupt:|handling interrupt|Progress:|Missing element|Prerolled|Caught)/;
/** Debug text is kept whole up to this many characters (GStreamer's reason is on its later lines). */
export const MAX_DEBUG_CHARS = 1_000;

/** Parses gst-launch's stderr/stdout lines into messages (the lines after one hold its debug info). */
export class GstOutputParser {
  private last?: { message: GstMessage; debug?: string[] };
  private partial = '';
  constructor(
    private readonly onMessage: (message: GstMessage) => void,
    private readonly onPlaying: () => void = () => undefined,
  ) {}

  push(chunk: string): void {
    const lines = (this.partial + chunk).split('\n');
    this.partial = lines.pop() ?? '';
    for (const line of lines) this.line(line.trimEnd());
    // gst-launch prints a message and its debug lines in one go: a chunk that ends after a
    // continued debug text ends the message too, so a warning is not held until the next one.
    if (!this.partial && this.last?.debug && this.last.debug.length > 1) this.emitLast();
  }

  flush(): void {
    if (this.partial) this.line(this.partial);
    this.partial = '';
    this.emitLast();
  }

  private emitLast(): void {
    const last = this.last;
    this.last = undefined;
    if (!last) return;
    let debug = last.debug?.join(' ');
    if (debug && debug.length > MAX_DEBUG_CHARS) debug = `${debug.slice(0, MAX_DEBUG_CHARS - 1)}…`;
    this.onMessage(debug ? { ...last.message, debug } : last.message);
  }

  private line(line: string): void {
    const last = this.last;
    if (last?.debug && !LAUNCH_LINE.test(line)) {
      if (line === 'Additional debug info:' && last.debug.length === 0) return;
      if (line) last.debug.push(line);
      // GStreamer writes "file(line): function (): /path:" then the reason on the next line(s); a
      // first line without the trailing colon is the whole debug text.
      const complete = last.debug.length === 1 && !line.endsWith(':');
      if (complete || last.debug.join(' ').length > MAX_DEBUG_CHARS) this.emitLast();
      return;
    }
    const element = ELEMENT_PATH.exec(line);
    if (element) {
      this.emitLast();
      const level = element[1] === 'ERROR' ? 'error' : 'warning';
      const name = elementFromPath(element[2]!);
      this.last = { message: { level, text: element[3]!, ...(name ? { element: name } : {}) }, debug: [] };
      return;
    }
    this.emitLast();
    if (line.startsWith('Setting pipeline to PLAYING')) return this.onPlaying();
    const erroneous = ERRONEOUS.exec(line);
    if (erroneous) this.onMessage({ level: 'error', text: `erroneous pipeline: ${erroneous[1]}` });
  }
}

export const GST_LAUNCH = 'gst-launch-1.0';

/**
 * setpriv (util-linux, essential on Debian) sets a parent-death signal and execs gst-launch, so
 * a runtime killed with SIGKILL cannot leave a live pipeline behind in its detached group.
 */
const SETPRIV = ['/usr/bin/setpriv', '/bin/setpriv'].find((path) => existsSync(path));

/** The program and arguments that run a description: gst-launch-1.0 -e, under setpriv when available. */
export function launchCommand(argv: readonly string[]): [string, string[]] {
  const launch = [GST_LAUNCH, '-e', ...argv];
  return SETPRIV ? [SETPRIV, ['--pdeathsig', 'SIGKILL', '--', ...launch]] : [launch[0]!, launch.slice(1)];
}

export function spawnPipeline(options: GstProcessOptions): GstProcess {
  const extra = options.extraFds ?? 0;
  const [file, args] = launchCommand(options.argv);
  const child: ChildProcess = spawn(file, args, {
    // Own process group: a stop kills everything GStreamer started, and a Ctrl-C in the
    // runner's terminal reaches the runtime (which stops us cleanly), not the child directly.
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe', ...Array.from({ length: extra }, () => 'pipe' as const)],
    env: { ...process.env, GST_DEBUG_NO_COLOR: '1' },
  });
  let firstError: GstMessage | undefined;
  let stopping = false;
  const parser = new GstOutputParser((message) => {
    if (message.level === 'error') firstError ??= message;
    options.onMessage?.(message);
  }, options.onPlaying);
  child.stdout?.setEncoding('utf8').on('data', (text: string) => parser.push(text));
  child.stderr?.setEncoding('utf8').on('data', (text: string) => parser.push(text));

  const exited = new Promise<GstExit>((resolve) => {
    let spawnError: Error | undefined;
    child.once('error', (error) => {
      spawnError = error;
      // spawn failure (ENOENT): there is no 'close' in some Node versions without a pid.
      if (child.pid === undefined) resolve({ code: null, signal: null, stopped: stopping, error: { level: 'error', text: `cannot start ${GST_LAUNCH}: ${error.message}` } });
    });
    child.once('close', (code, signal) => {
      parser.flush();
      const error = firstError ?? (spawnError ? { level: 'error' as const, text: spawnError.message } : undefined);
      resolve({ code, signal, stopped: stopping, ...(error ? { error } : {}) });
    });
  });

  const fds = child.stdio.slice(3) as (Readable & Writable)[];
  for (const fd of fds) fd.on('error', () => undefined); // EPIPE after the child exits is expected

  let stopPromise: Promise<GstExit> | undefined;
  const stop = (timeoutMs = options.stopTimeoutMs ?? 5_000): Promise<GstExit> => {
    stopPromise ??= (async () => {
      stopping = true;
      if (child.exitCode === null && child.signalCode === null && child.pid !== undefined) {
        try {
          child.kill('SIGINT');
        } catch {
          /* already gone */
        }
        let timer: NodeJS.Timeout | undefined;
        const timedOut = await Promise.race([
          exited.then(() => false),
          new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(true), timeoutMs))),
        ]);
        clearTimeout(timer);
        if (timedOut) killGroup(child.pid);
      }
      const exit = await exited;
      killGroup(child.pid); // anything GStreamer forked that outlived it
      for (const fd of fds) fd.destroy();
      return exit;
    })();
    return stopPromise;
  };
  options.signal?.addEventListener('abort', () => void stop(), { once: true });
  if (options.signal?.aborted) void stop();
  return { pid: child.pid ?? -1, fds, exited, stop };
}

function killGroup(pid: number | undefined): void {
  if (pid === undefined) return;
  try {
    process.kill(-pid, 'SIGKILL');
  } catch {
    /* group already empty */
  }
}
