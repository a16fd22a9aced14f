// runGraph / runNode: run a small graph or one node in a real Runtime, feed inputs, collect outputs, stop.
import { inspect } from 'node:util';
import type { z } from 'zod';
import { Catalogue } from '../catalogue/catalogue.js';
import type { GraphDocumentInput } from '../graph/document.js';
import type { AnyNodeDefinition, ErrorPolicy, NodeDefinition, NodeState, Plugin } from '../plugin/define.js';
import { definePlugin } from '../plugin/define.js';
import type { PayloadOf, PortMap } from '../plugin/port.js';
import type { GraphStatus, RuntimeEvent } from '../runtime/events.js';
import { Runtime, type RunningGraph } from '../runtime/runtime.js';
import { COLLECT_TYPE, FEED_TYPE, Probe, type Feed } from './probe.js';

export type { Feed } from './probe.js';

/** How a run is going, as `until` sees it. */
export interface HarnessProgress {
  /** Values collected so far, keyed `node.port`. */
  readonly outputs: Readonly<Record<string, readonly unknown[]>>;
  /** Collected outputs that have completed. */
  readonly completed: ReadonlySet<string>;
  readonly events: readonly RuntimeEvent[];
  readonly elapsedMs: number;
}

export interface RunGraphOptions {
  /** Plugins that provide the graph's node types. */
  readonly plugins: readonly Plugin[];
  /** Values played into inputs once the graph runs, keyed `node.port`. */
  readonly feed?: Readonly<Record<string, Feed>>;
  /** Outputs to record, as `node.port`. */
  readonly collect?: readonly string[];
  /** Finish once these outputs (`node.port`, collected implicitly) have this many values; extra values are cut off. */
  readonly take?: Readonly<Record<string, number>>;
  /** Finish once this returns true; checked on every value and event, and every 10 ms. */
  readonly until?: (progress: HarnessProgress) => boolean;
  /** Run this long, then stop and return (instead of waiting for a condition). */
  readonly forMs?: number;
  /** Give up (and throw, listing what arrived) after this long; default 5000 ms. */
  readonly timeoutMs?: number;
  /** Return instead of throwing when the graph stops itself with state error. */
  readonly allowError?: boolean;
  readonly metricsIntervalMs?: number;
  readonly disposeTimeoutMs?: number;
}

export interface StatusChange {
  readonly state: NodeState;
  readonly text?: string;
  readonly restarts: number;
}

export interface GraphRunResult {
  /** Collected values, keyed `node.port`. */
  readonly outputs: Record<string, unknown[]>;
  /** Every event of the run, from `starting` to `stopped`. */
  readonly events: RuntimeEvent[];
  /** Each node's status changes in order (the harness's own nodes left out). */
  readonly statuses: Record<string, StatusChange[]>;
  /** The graph's status once stopped. */
  readonly final: GraphStatus;
}

/** Thrown when a run times out or the graph fails; carries what the run produced. */
export class HarnessError extends Error {
  override readonly name = 'HarnessError';
  constructor(
    message: string,
    readonly result: GraphRunResult,
  ) {
    super(message);
  }
}

const DEFAULT_TIMEOUT_MS = 5000;
const POLL_MS = 10;

/** The document with a feeder per fed input and a collector per collected output. */
function withProbeNodes(document: GraphDocumentInput, feeds: Iterable<string>, collect: Iterable<string>): GraphDocumentInput {
  const nodes = [...(document.nodes ?? [])];
  const edges = [...(document.edges ?? [])];
  let n = 0;
  for (const key of feeds) {
    const id = `_feed_${n++}`;
    nodes.push({ id, type: FEED_TYPE, params: { key } });
    edges.push({ from: `${id}.out`, to: key });
  }
  n = 0;
  for (const key of collect) {
    const id = `_collect_${n++}`;
    nodes.push({ id, type: COLLECT_TYPE, params: { key } });
    edges.push({ from: key, to: `${id}.in` });
  }
  return { ...document, nodes, edges };
}

function show(value: unknown): string {
  return inspect(value, { depth: 2, maxArrayLength: 10, maxStringLength: 80, breakLength: Infinity });
}

/**
 * Runs a small graph in a real Runtime: plays `feed` into inputs once it runs, records the
 * `collect`ed outputs, and stops it when `until` holds, the `take` counts are reached, every
 * collected output has completed, or (with nothing collected) every feed has completed.
 */
export async function runGraph(document: GraphDocumentInput, options: RunGraphOptions): Promise<GraphRunResult> {
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const take = options.take ?? {};
  const collect = [...new Set([...(options.collect ?? []), ...Object.keys(take)])];
  const feeds = new Map(Object.entries(options.feed ?? {}));
  let check = (): void => {};
  const probe = new Probe(feeds, collect, () => check());
  const runtime = new Runtime({
    catalogue: new Catalogue([...options.plugins, probe.plugin()]),
    metricsIntervalMs: options.metricsIntervalMs ?? 100,
    ...(options.disposeTimeoutMs !== undefined ? { disposeTimeoutMs: options.disposeTimeoutMs } : {}),
  });
  const events: RuntimeEvent[] = [];
  const subscription = runtime.events$.subscribe((event) => {
    events.push(event);
    check();
  });
  const startedAt = Date.now();

  const outputs = (): Record<string, unknown[]> => {
    const out: Record<string, unknown[]> = {};
    for (const [key, collected] of probe.collected) out[key] = take[key] !== undefined ? collected.values.slice(0, take[key]) : [...collected.values];
    return out;
  };
  const completed = (): Set<string> => new Set([...probe.collected].filter(([, c]) => c.complete).map(([key]) => key));
  const waitingFor = (): string => {
    if (options.until) return 'until() to return true';
    if (Object.keys(take).length > 0) return `take ${Object.entries(take).map(([key, count]) => `${count} from ${key}`).join(', ')}`;
    if (collect.length > 0) return `${collect.join(', ')} to complete`;
    return `the feeds (${[...feeds.keys()].join(', ')}) to complete`;
  };
  const isDone = (): boolean => {
    if (options.until) return options.until({ outputs: outputs(), completed: completed(), events, elapsedMs: Date.now() - startedAt });
    if (Object.keys(take).length > 0) return Object.entries(take).every(([key, count]) => (probe.collected.get(key)?.values.length ?? 0) >= count);
    if (collect.length > 0) return collect.every((key) => probe.collected.get(key)!.complete);
    return [...feeds.keys()].every((key) => probe.fedComplete.has(key));
  };

  let running: RunningGraph | undefined;
  try {
    running = await runtime.start(withProbeNodes(document, feeds.keys(), collect));
    const graph = running;
    probe.start();
    const timers: ReturnType<typeof setTimeout>[] = [];
    const outcome = await new Promise<'done' | 'timeout' | 'stopped'>((resolve) => {
      check = () => {
        if (options.forMs === undefined && isDone()) resolve('done');
      };
      void graph.done.then(() => resolve('stopped'));
      timers.push(setInterval(check, POLL_MS));
      timers.push(setTimeout(() => resolve('timeout'), timeoutMs));
      if (options.forMs !== undefined) timers.push(setTimeout(() => resolve('done'), options.forMs));
      check();
    });
    check = () => {};
    for (const timer of timers) clearTimeout(timer);
    // A feed-only run lets live edges (drained on the next turns) deliver before stopping.
    if (outcome === 'done' && collect.length === 0) await new Promise((resolve) => setTimeout(resolve, POLL_MS));
    await graph.stop();
    const final = await graph.done;

    const statuses: Record<string, StatusChange[]> = {};
    for (const event of events) {
      if (event.type !== 'node-status' || event.nodeId.startsWith('_feed_') || event.nodeId.startsWith('_collect_')) continue;
      (statuses[event.nodeId] ??= []).push({ state: event.state, ...(event.text !== undefined ? { text: event.text } : {}), restarts: event.restarts });
    }
    const result: GraphRunResult = { outputs: outputs(), events, statuses, final };
    const arrived = `arrived: ${
      collect.map((key) => `${key}: ${probe.collected.get(key)!.values.length} value(s) ${show(probe.collected.get(key)!.values)}${probe.collected.get(key)!.complete ? ', complete' : ''}`).join('; ') ||
      'nothing collected'
    }`;
    if (outcome === 'timeout') throw new HarnessError(`timed out after ${timeoutMs} ms waiting for ${waitingFor()}; ${arrived}`, result);
    if (final.state === 'error' && !options.allowError) throw new HarnessError(`graph stopped with an error: ${final.text ?? 'unknown'}; ${arrived}`, result);
    return result;
  } finally {
    check = () => {};
    subscription.unsubscribe();
    await runtime.stopAll();
  }
}

export interface RunNodeOptions<S extends z.ZodType, I extends PortMap, O extends PortMap> {
  /** Params as a graph file would give them (defaults applied by the node's schema). */
  readonly params?: z.input<S>;
  /** Values for each input: an array (played at once) or an Observable. */
  readonly inputs?: { readonly [K in keyof I]?: Feed };
  /** Finish once these outputs have this many values. Without it, the run waits for every output to complete (or, for a node without outputs, every input feed). */
  readonly take?: { readonly [K in keyof O]?: number };
  /** Plugins providing anything else the node needs (e.g. a fuser); usually none. */
  readonly plugins?: readonly Plugin[];
  readonly onError?: ErrorPolicy;
  readonly timeoutMs?: number;
  readonly allowError?: boolean;
}

export interface NodeRunResult<O extends PortMap> {
  /** Values from each output port. */
  readonly outputs: { [K in keyof O]: PayloadOf<O[K]>[] };
  readonly events: RuntimeEvent[];
  /** The node's status changes in order. */
  readonly statuses: StatusChange[];
  /** The graph's status once stopped. */
  readonly final: GraphStatus;
}

/** The node under test's id in the one-node graph runNode builds. */
export const NODE_UNDER_TEST = 'node';

/**
 * Runs one node inside a real Runtime, feeding its inputs and collecting every output:
 * `const { outputs } = await runNode(map, { params: { expression: '$ * 2' }, inputs: { in: [1, 2] } })`.
 */
export async function runNode<S extends z.ZodType, I extends PortMap, O extends PortMap>(
  definition: NodeDefinition<S, I, O> & AnyNodeDefinition,
  options: RunNodeOptions<S, I, O> = {},
): Promise<NodeRunResult<O>> {
  const id = NODE_UNDER_TEST;
  const key = (port: string): string => `${id}.${port}`;
  const outputPorts = Object.keys(definition.outputs ?? {});
  const feed: Record<string, Feed> = {};
  for (const [port, values] of Object.entries(options.inputs ?? {})) if (values !== undefined) feed[key(port)] = values as Feed;
  const take: Record<string, number> = {};
  for (const [port, count] of Object.entries(options.take ?? {})) if (count !== undefined) take[key(port)] = count as number;
  const document: GraphDocumentInput = {
    rivulet: 1,
    id: 'run-node',
    name: `runNode(${definition.type})`,
    nodes: [{ id, type: definition.type, params: (options.params ?? {}) as Record<string, unknown>, onError: options.onError ?? 'stop' }],
  };
  const plugin = definePlugin({ name: `test:${definition.type}`, nodes: [definition] });

  let result: GraphRunResult;
  try {
    result = await runGraph(document, {
      plugins: [plugin, ...(options.plugins ?? [])],
      feed,
      collect: outputPorts.map(key),
      take,
      ...(options.timeoutMs !== undefined ? { timeoutMs: options.timeoutMs } : {}),
      ...(options.allowError !== undefined ? { allowError: options.allowError } : {}),
    });
  } catch (error) {
    if (error instanceof HarnessError) throw new HarnessError(`runNode(${definition.type}): ${error.message}; node status: ${show(error.result.final.nodes[id])}`, error.result);
    throw error;
  }
  const outputs: Record<string, unknown[]> = {};
  for (const port of outputPorts) outputs[port] = result.outputs[key(port)] ?? [];
  return { outputs: outputs as NodeRunResult<O>['outputs'], events: result.events, statuses: result.statuses[id] ?? [], final: result.final };
}
