// One GStreamer child per pipeline: the Rivulet launcher (gst-launch's loop plus a JSON control
// channel) in its own process group, EOS on stop, bounded kill.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import type { Readable, Writable } from 'node:stream';
import { fileURLToPath } from 'node:url';

/** A problem GStreamer reported, with the element instance that posted it. */
export interface GstMessage {
  readonly level: 'error' | 'warning';
  /** Instance name of the posting element (e.g. `enc__x264enc`), when GStreamer names one. */
  readonly element?: string;
  readonly text: string;
  readonly debug?: string;
}

/** An element signal the launcher reports (srtsink's `caller-added`, `caller-removed`, `caller-rejected`). */
export interface GstSignal {
  /** Instance name of the emitting element. */
  readonly element: string;
  readonly signal: string;
  /** The signal's arguments as JSON (socket addresses as `host:port`). */
  readonly args: readonly unknown[];
}

export interface GstExit {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  /** The first error GStreamer reported (or why the description could not be parsed). */
  readonly error?: GstMessage;
  /** True when the exit followed our stop(). */
  readonly stopped: boolean;
}

export interface GstProcessOptions {
  /** The description as gst-launch-1.0 argv tokens (sent over the control channel, not argv). */
  readonly argv: readonly string[];
  /** Number of extra pipes to open as fds 3, 4, … (boundaries). */
  readonly extraFds?: number;
  readonly onMessage?: (message: GstMessage) => void;
  readonly onSignal?: (signal: GstSignal) => void;
  /** Called once when the pipeline is set to PLAYING (after preroll, like gst-launch). */
  readonly onPlaying?: () => void;
  /** Aborting stops the child gracefully (same as stop()). */
  readonly signal?: AbortSignal;
  readonly stopTimeoutMs?: number;
  /** Shown in `ps` after the launcher (e.g. `graph/node,node`), so operators can tell children apart. */
  readonly label?: string;
}

export interface GstProcess {
  readonly pid: number;
  /** The child's fds 3… as Node streams (readable for outputs, writable for inputs; both are duplex pipes). */
  readonly fds: readonly (Readable & Writable)[];
  readonly exited: Promise<GstExit>;
  /** Reads an element property; GStreamer structures come back as objects (`name` plus fields). */
  getProperty(element: string, property: string): Promise<unknown>;
  /** Sets an element property from its string form (as in a description). */
  setProperty(element: string, property: string, value: string | number | boolean): Promise<void>;
  /**
   * The pipeline's base time on the monotonic clock (ns), once it plays on the system clock:
   * `process.hrtime.bigint() - baseTime` is then its running time. Undefined before, or when an
   * element (an audio sink) provides another clock.
   */
  readonly baseTime: bigint | undefined;
  /** Sends a force-key-unit event upstream from the element (an encoder answers with a key frame). */
  requestKeyFrame(element: string): Promise<boolean>;
  /** EOS through the pipeline, wait up to the timeout, then SIGKILL the process group. */
  stop(timeoutMs?: number): Promise<GstExit>;
}

/** The first pipeline-level element in a path like /GstPipeline:pipeline0/GstDecodeBin:src__decodebin/GstQTDemux:qtdemux0 */
export function elementFromPath(path: string): string | undefined {
  const names = path.split('/').filter(Boolean).map((part) => part.slice(part.indexOf(':') + 1));
  return names.find((name) => name.includes('__')) ?? names[names.length - 1];
}

/** Debug text is kept whole up to this many characters (GStreamer's reason is on its later lines). */
export const MAX_DEBUG_CHARS = 1_000;
/** How long a property read or key-frame request may take before it is given up. */
export const CONTROL_TIMEOUT_MS = 2_000;

/** The launcher script shipped with the package (same relative place from src/ and dist/). */
export const LAUNCHER = fileURLToPath(new URL('../../launcher/rivulet-gst-launch.py', import.meta.url));

/**
 * The Python that has GStreamer's introspection bindings: Debian's (python3-gst-1.0), not one a
 * version manager put first on PATH. RIVULET_GST_PYTHON overrides.
 */
export function launcherPython(): string {
  const chosen = process.env['RIVULET_GST_PYTHON'];
  if (chosen) return chosen;
  return ['/usr/bin/python3', '/usr/local/bin/python3'].find((path) => existsSync(path)) ?? 'python3';
}

/**
 * setpriv (util-linux, essential on Debian) sets a parent-death signal and execs the launcher, so
 * a runtime killed with SIGKILL cannot leave a live pipeline behind in its detached group.
 */
const SETPRIV = ['/usr/bin/setpriv', '/bin/setpriv'].find((path) => existsSync(path));

/** The program and arguments that start the launcher, under setpriv when available. */
export function launchCommand(label?: string): [string, string[]] {
  const launch = [launcherPython(), LAUNCHER, ...(label ? [`--pipeline=${label}`] : [])];
  return SETPRIV ? [SETPRIV, ['--pdeathsig', 'SIGKILL', '--', ...launch]] : [launch[0]!, launch.slice(1)];
}

/** The launcher's first stdin line: the description. */
export function launchRequest(argv: readonly string[]): string {
  return `${JSON.stringify({ argv })}\n`;
}

/** What the launcher writes on stdout, one JSON object per line. */
type LauncherEvent =
  | { readonly event: 'playing' }
  | { readonly event: 'clock'; readonly baseTime: number }
  | { readonly event: 'message'; readonly level: string; readonly element?: string | null; readonly text: string; readonly debug?: string | null }
  | { readonly event: 'signal'; readonly element?: string | null; readonly signal: string; readonly args?: unknown[] }
  | { readonly event: 'reply'; readonly id: number | null; readonly value?: unknown; readonly error?: string };

/** Splits the launcher's stdout into events; lines that are not JSON objects are ignored. */
export class LauncherEventReader {
  private partial = '';
  constructor(private readonly onEvent: (event: LauncherEvent) => void) {}

  push(chunk: string): void {
    const lines = (this.partial + chunk).split('\n');
    this.partial = lines.pop() ?? '';
    for (const line of lines) {
      if (!line.startsWith('{')) continue;
      let parsed: unknown;
      try {
        parsed = JSON.parse(line);
      } catch {
        continue;
      }
      if (typeof parsed === 'object' && parsed !== null && typeof (parsed as { event?: unknown }).event === 'string') this.onEvent(parsed as LauncherEvent);
    }
  }
}

/** A GStreamer message as the rest of the plugin sees it: element instance name, bounded debug text. */
export function toGstMessage(event: Extract<LauncherEvent, { event: 'message' }>): GstMessage | undefined {
  if (event.level !== 'error' && event.level !== 'warning') return undefined;
  const element = event.element ? elementFromPath(event.element) : undefined;
  // GStreamer's debug text is "file(line): function (): /element/path:" and the reason on the next line.
  let debug = event.debug?.replace(/\s*\n\s*/g, ' ').trim() || undefined;
  if (debug && debug.length > MAX_DEBUG_CHARS) debug = `${debug.slice(0, MAX_DEBUG_CHARS - 1)}…`;
  return { level: event.level, text: event.text, ...(element ? { element } : {}), ...(debug ? { debug } : {}) };
}

/** Why the launcher could not run at all, from its stderr (a missing binding says what to install). */
function launcherFailure(stderr: string, code: number | null): GstMessage | undefined {
  if (/No module named 'gi'|Namespace Gst not available|Namespace Gio not available/.test(stderr)) {
    return { level: 'error', text: `the GStreamer launcher needs Python's GStreamer bindings (Debian: python3-gst-1.0 gir1.2-gstreamer-1.0); ${launcherPython()} has none` };
  }
  const last = stderr.trim().split('\n').pop();
  return code !== 0 && last ? { level: 'error', text: `the GStreamer launcher failed: ${last}` } : undefined;
}

/** Keeps the tail of stderr: enough to say why a launcher died, bounded whatever GStreamer prints. */
const STDERR_TAIL_CHARS = 4_000;

export function spawnPipeline(options: GstProcessOptions): GstProcess {
  const extra = options.extraFds ?? 0;
  const [file, args] = launchCommand(options.label);
  const child: ChildProcess = spawn(file, args, {
    // Own process group: a stop kills everything GStreamer started, and a Ctrl-C in the
    // runner's terminal reaches the runtime (which stops us cleanly), not the child directly.
    detached: true,
    stdio: ['pipe', 'pipe', 'pipe', ...Array.from({ length: extra }, () => 'pipe' as const)],
    env: { ...process.env, GST_DEBUG_NO_COLOR: '1' },
  });
  let firstError: GstMessage | undefined;
  let stopping = false;
  let stderr = '';
  let nextId = 1;
  let baseTime: bigint | undefined;
  const pending = new Map<number, { resolve: (value: unknown) => void; reject: (error: Error) => void; timer: NodeJS.Timeout }>();

  const reader = new LauncherEventReader((event) => {
    switch (event.event) {
      case 'playing':
        return options.onPlaying?.();
      case 'clock':
        baseTime = Number.isSafeInteger(event.baseTime) ? BigInt(event.baseTime) : undefined;
        return;
      case 'message': {
        const message = toGstMessage(event);
        if (!message) return;
        if (message.level === 'error') firstError ??= message;
        return options.onMessage?.(message);
      }
      case 'signal': {
        const element = event.element ? elementFromPath(event.element) : undefined;
        if (element) options.onSignal?.({ element, signal: event.signal, args: event.args ?? [] });
        return;
      }
      case 'reply': {
        const waiter = event.id === null ? undefined : pending.get(event.id);
        if (!waiter) return;
        pending.delete(event.id!);
        clearTimeout(waiter.timer);
        if (event.error !== undefined) waiter.reject(new Error(event.error));
        else waiter.resolve(event.value);
      }
    }
  });
  child.stdout?.setEncoding('utf8').on('data', (text: string) => reader.push(text));
  child.stderr?.setEncoding('utf8').on('data', (text: string) => {
    stderr = (stderr + text).slice(-STDERR_TAIL_CHARS);
  });
  child.stdin?.on('error', () => undefined); // EPIPE once the child is gone
  child.stdin?.write(launchRequest(options.argv));

  const exited = new Promise<GstExit>((resolve) => {
    let spawnError: Error | undefined;
    child.once('error', (error) => {
      spawnError = error;
      // spawn failure (ENOENT): there is no 'close' in some Node versions without a pid.
      if (child.pid === undefined) resolve({ code: null, signal: null, stopped: stopping, error: { level: 'error', text: `cannot start the GStreamer launcher: ${error.message}` } });
    });
    child.once('close', (code, signal) => {
      for (const [id, waiter] of pending) {
        clearTimeout(waiter.timer);
        waiter.reject(new Error('the pipeline has ended'));
        pending.delete(id);
      }
      const error = firstError ?? (spawnError ? { level: 'error' as const, text: spawnError.message } : launcherFailure(stderr, code));
      resolve({ code, signal, stopped: stopping, ...(error ? { error } : {}) });
    });
  });

  const request = (op: Record<string, unknown>): Promise<unknown> =>
    new Promise((resolve, reject) => {
      if (stopping || child.exitCode !== null || child.signalCode !== null || !child.stdin?.writable) {
        reject(new Error('the pipeline is not running'));
        return;
      }
      const id = nextId++;
      const timer = setTimeout(() => {
        pending.delete(id);
        reject(new Error(`GStreamer did not answer ${String(op['op'])} within ${CONTROL_TIMEOUT_MS} ms`));
      }, CONTROL_TIMEOUT_MS);
      pending.set(id, { resolve, reject, timer });
      child.stdin.write(`${JSON.stringify({ ...op, id })}\n`);
    });

  const fds = child.stdio.slice(3) as (Readable & Writable)[];
  for (const fd of fds) fd.on('error', () => undefined); // EPIPE after the child exits is expected

  let stopPromise: Promise<GstExit> | undefined;
  const stop = (timeoutMs = options.stopTimeoutMs ?? 5_000): Promise<GstExit> => {
    stopPromise ??= (async () => {
      stopping = true;
      if (child.exitCode === null && child.signalCode === null && child.pid !== undefined) {
        // EOS on the control channel; closing stdin says the same if the line cannot be written.
        child.stdin?.end(`${JSON.stringify({ op: 'stop' })}\n`);
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
  return {
    pid: child.pid ?? -1,
    fds,
    exited,
    get baseTime() {
      return baseTime;
    },
    getProperty: (element, property) => request({ op: 'get', element, property }),
    setProperty: async (element, property, value) => {
      await request({ op: 'set', element, property, value: String(value) });
    },
    requestKeyFrame: async (element) => (await request({ op: 'keyframe', element })) === true,
    stop,
  };
}

function killGroup(pid: number | undefined): void {
  if (pid === undefined) return;
  try {
    process.kill(-pid, 'SIGKILL');
  } catch {
    /* group already empty */
  }
}
