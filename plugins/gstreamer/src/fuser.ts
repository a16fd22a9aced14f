// The gstreamer fuser: one fusion group → one compiled description → one gst-launch child.
import type { FusedContext, FusedInstance, Fuser, FusionGroup, NodeState } from '@rivulet/core';
import type { Observable, Subscription } from 'rxjs';
import { readBoundary, writeBoundary, type BoundaryCounters } from './boundary/streams.js';
import { compileGroup, type CompiledPipeline } from './gst/compile.js';
import { GstBuildError } from './gst/fragment.js';
import { warmUp } from './gst/inspect.js';
import { spawnPipeline, type GstExit, type GstMessage } from './gst/process.js';
import { WarningLimiter } from './gst/warnings.js';
import { HARDWARE_ENCODERS } from './nodes/encoder-choice.js';

export const FAMILY = 'gstreamer';

/** A failure of a running pipeline, naming the node (and param) GStreamer blamed. */
export class GstRuntimeError extends Error {
  override readonly name = 'GstRuntimeError';
  constructor(
    readonly code: 'pipeline-failed' | 'pipeline-exited' | 'invalid-pipeline',
    message: string,
    readonly nodeId?: string,
    readonly param?: string,
    readonly gstMessage?: string,
  ) {
    super(message);
  }
}

export function explainGroup(group: FusionGroup): string {
  return `gst-launch-1.0 -e ${compileGroup(group).text}`;
}

function describeFailure(compiled: CompiledPipeline, group: FusionGroup, message: GstMessage | undefined, exit: GstExit): GstRuntimeError {
  let owner = message?.element ? compiled.ownerOf(message.element) : undefined;
  // A description GStreamer cannot parse names no element; a raw pipeline node is the likely author.
  const raw = group.members.filter((m) => m.type === 'gstreamer/pipeline');
  if (!owner && message && raw.length === 1) owner = { node: raw[0]!.id, param: 'description' };
  const nodeId = owner?.node ?? (group.members.length === 1 ? group.members[0]!.id : undefined);
  const type = group.members.find((m) => m.id === nodeId)?.type;
  const where = nodeId ? `node ${nodeId}${type ? ` (${type})` : ''}${owner?.param ? `, param ${owner.param}` : ''}` : `pipeline of ${group.members.map((m) => m.id).join(', ')}`;
  if (!message) {
    const how = exit.signal ? `killed by ${exit.signal}` : `exited with code ${exit.code}`;
    return new GstRuntimeError('pipeline-exited', `${where}: GStreamer ${how}`, nodeId);
  }
  // GStreamer may quote a property value (a passphrase) back in its message: mask secrets first.
  const reason = compiled.redact(`${message.text}${message.debug ? ` (${message.debug})` : ''}`);
  const code = message.element ? 'pipeline-failed' : 'invalid-pipeline';
  return new GstRuntimeError(code, `${where}: GStreamer: ${reason}`, nodeId, owner?.param, compiled.redact(message.text));
}

/** Runs a fusion group; also used for a single node (a group of one). */
export async function createFused(ctx: FusedContext): Promise<FusedInstance> {
  // Only a node that may pick a hardware encoder needs gst-inspect answers before compiling.
  const mayUseHardware = ctx.group.members.some((m) => {
    const choice = (m.params as { encoder?: unknown } | null)?.encoder;
    return typeof choice === 'string' && choice !== 'software';
  });
  if (mayUseHardware) await warmUp(HARDWARE_ENCODERS);
  let compiled: CompiledPipeline;
  try {
    compiled = compileGroup(ctx.group);
  } catch (error) {
    if (error instanceof GstBuildError) ctx.status(error.nodeId, 'error', error.message);
    throw error;
  }
  ctx.log.debug(`gst-launch-1.0 -e ${compiled.text}`);
  const nodes = ctx.group.members.map((m) => m.id);
  // Statistics restate a status every second: only a change is reported.
  const shown = new Map<string, string>();
  const status = (node: string, state: NodeState, text?: string): void => {
    const key = `${state}\n${text ?? ''}`;
    if (shown.get(node) === key) return;
    shown.set(node, key);
    ctx.status(node, state, text);
  };
  for (const id of nodes) status(id, 'starting');
  const warnings = new WarningLimiter({ log: (line) => ctx.log.warn(line) });

  // A status a node got from an element signal (a peer connected) outranks the generic one at PLAYING.
  const signalled = new Set<string>();
  const child = spawnPipeline({
    argv: compiled.argv,
    label: `${ctx.graphId}/${nodes.join(',')}`,
    extraFds: compiled.outputFds.size + compiled.inputFds.size,
    onPlaying: () => {
      for (const id of nodes) {
        if (signalled.has(id)) continue;
        const playing = compiled.fragment(id)?.playing;
        status(id, playing?.state ?? 'running', playing?.text);
      }
    },
    onSignal: (signal) => {
      const owner = compiled.ownerOf(signal.element)?.node;
      const update = owner ? compiled.fragment(owner)?.signal?.(signal) : undefined;
      if (!owner || !update) return;
      signalled.add(owner);
      status(owner, update.state, compiled.redact(update.text));
    },
    onMessage: (posted) => {
      const message = { ...posted, text: compiled.redact(posted.text), ...(posted.debug ? { debug: compiled.redact(posted.debug) } : {}) };
      const owner = message.element ? compiled.ownerOf(message.element)?.node : undefined;
      // The owning node's fragment may read a status from it (reconnecting, authentication failed).
      const update = owner ? compiled.fragment(owner)?.status?.(message) : undefined;
      if (owner && update) status(owner, update.state, update.text);
      // Errors end the child and are reported once, on exit; warnings are logged, repeats rate-limited.
      if (message.level !== 'warning') return;
      warnings.warn(`GStreamer warning${owner ? ` in node ${owner}` : ''} (${message.element ?? 'pipeline'}): ${message.text}`);
    },
  });

  let disposed = false;
  const counters = new Map<string, BoundaryCounters>();
  const outputs: Record<string, Observable<unknown>> = {};
  const ends: (() => void)[] = [];
  for (const [key, fd] of compiled.outputFds) {
    const c = { messages: 0, bytes: 0 };
    counters.set(key, c);
    const boundary = readBoundary(child.fds[fd - 3]!, c);
    outputs[key] = boundary.messages;
    ends.push(boundary.end);
  }
  const subscriptions: Subscription[] = [];
  for (const [key, fd] of compiled.inputFds) {
    const c = { messages: 0, bytes: 0 };
    counters.set(key, c);
    const input = ctx.inputs[key];
    if (input) subscriptions.push(writeBoundary(child.fds[fd - 3]!, input, c, (error) => ctx.log.warn(`input ${key}: ${error.message}`), () => child.baseTime));
  }

  // Key-frame requests from Node (a viewer's PLI) become force-key-unit events for the encoder.
  const throttles: KeyframeThrottle[] = [];
  for (const [key, target] of compiled.keyframeInputs) {
    const input = ctx.inputs[key];
    if (!input) continue;
    const throttle = new KeyframeThrottle(() => {
      child.requestKeyFrame(target.element).catch((error: unknown) => ctx.log.debug(`key-frame request for node ${target.node}: ${error instanceof Error ? error.message : String(error)}`));
    });
    subscriptions.push(input.subscribe({ next: () => throttle.request() }));
    throttles.push(throttle);
  }

  // Statistics an element keeps (SRT's RTT, loss, rate) are read over the control channel.
  const statsSources = nodes.flatMap((node) => {
    const stats = compiled.fragment(node)?.stats;
    const element = stats ? compiled.element(node, stats.role) : undefined;
    return stats && element ? [{ node, element, stats }] : [];
  });
  const readStats = async (): Promise<Map<string, Readonly<Record<string, number>>>> => {
    const read = await Promise.all(
      statsSources.map(async ({ node, element, stats }) => {
        try {
          const value = await child.getProperty(element, stats.property);
          const update = stats.status?.(value);
          if (update && !disposed) status(node, update.state, update.text);
          return [node, stats.metrics(value)] as const;
        } catch {
          return undefined; // not playing yet, or ending: no figures this second
        }
      }),
    );
    return new Map(read.filter((entry) => entry !== undefined));
  };

  // Boundary figures are free to count on the Node side; one sample a second per node.
  let last = new Map<string, BoundaryCounters>();
  let lastAt = Date.now();
  let sampling = false;
  const metricsTimer = setInterval(() => {
    if (sampling) return;
    const now = Date.now();
    const seconds = Math.max(0.001, (now - lastAt) / 1000);
    const byNode = new Map<string, Record<string, number>>();
    for (const [key, c] of counters) {
      const before = last.get(key) ?? { messages: 0, bytes: 0 };
      const node = key.slice(0, key.lastIndexOf('.'));
      const port = key.slice(key.lastIndexOf('.') + 1);
      const values = byNode.get(node) ?? {};
      values[`${port}.messagesPerSec`] = Math.round((c.messages - before.messages) / seconds);
      values[`${port}.kbps`] = Math.round(((c.bytes - before.bytes) * 8) / 1000 / seconds);
      if (c.drops !== undefined) values[`${port}.drops`] = c.drops;
      byNode.set(node, values);
    }
    last = new Map([...counters].map(([k, c]) => [k, { ...c }]));
    lastAt = now;
    if (statsSources.length === 0) {
      for (const [node, values] of byNode) ctx.metrics(node, values);
      return;
    }
    sampling = true;
    void readStats().then((stats) => {
      sampling = false;
      if (disposed) return;
      for (const [node, values] of stats) byNode.set(node, { ...byNode.get(node), ...values });
      for (const [node, values] of byNode) ctx.metrics(node, values);
    });
  }, 1_000);
  metricsTimer.unref();
  // A pipeline with nothing to count or read has no figures: keep it free of timers.
  if (counters.size === 0 && statsSources.length === 0) clearInterval(metricsTimer);

  void child.exited.then((exit) => {
    clearInterval(metricsTimer);
    for (const throttle of throttles) throttle.cancel();
    warnings.flush();
    if (exit.stopped || disposed) return;
    if (exit.code === 0 && !exit.error) {
      // The pipeline ran to its end (a file played out): the outputs are complete.
      for (const id of nodes) status(id, 'stopped', 'end of stream');
      for (const end of ends) end();
      return;
    }
    const failure = describeFailure(compiled, ctx.group, exit.error, exit);
    if (failure.nodeId) status(failure.nodeId, 'error', failure.message);
    void child.stop(); // reap anything left in the process group
    ctx.fail(failure);
  });
  ctx.signal.addEventListener('abort', () => void child.stop(), { once: true });

  return {
    outputs,
    async dispose() {
      disposed = true;
      clearInterval(metricsTimer);
      for (const s of subscriptions) s.unsubscribe();
      for (const throttle of throttles) throttle.cancel();
      await child.stop();
      for (const id of nodes) status(id, 'stopped');
    },
  };
}

/**
 * At most one forced key frame per interval: a burst of requests (every viewer's PLI at once)
 * costs one key frame, and a request inside the interval is served at its end, not dropped,
 * since the key frame just sent may have left before that viewer could decode it.
 */
export class KeyframeThrottle {
  private lastAt = -Infinity;
  private timer: NodeJS.Timeout | undefined;
  constructor(
    private readonly send: () => void,
    private readonly intervalMs = 300,
  ) {}

  request(): void {
    if (this.timer) return;
    const wait = this.lastAt + this.intervalMs - Date.now();
    if (wait <= 0) return this.fire();
    this.timer = setTimeout(() => this.fire(), wait);
  }

  cancel(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
  }

  private fire(): void {
    this.timer = undefined;
    this.lastAt = Date.now();
    this.send();
  }
}

export const gstreamerFuser: Fuser = {
  family: FAMILY,
  explain: explainGroup,
  create: createFused,
};
