// Test helpers: build fusion groups the way the runtime does, and a FusedContext that records what it is told.
import type { AnyNodeDefinition, BoundaryPort, FusedContext, FusionGroup, NodeState } from '@rivulet/core';
import type { Observable } from 'rxjs';

export interface TestNode {
  readonly id: string;
  readonly def: AnyNodeDefinition;
  readonly params?: Record<string, unknown>;
}

/**
 * A group of the given nodes and `from.port → to.port` edges; member ports not fed or consumed
 * inside the group become boundaries, as the runtime makes them.
 */
export function makeGroup(nodes: readonly TestNode[], edges: readonly string[] = []): FusionGroup {
  const parsed = edges.map((e) => {
    const [from, to] = e.split('->').map((s) => s.trim());
    const [fn, fp] = from!.split('.');
    const [tn, tp] = to!.split('.');
    return { from: { node: fn!, port: fp! }, to: { node: tn!, port: tp! } };
  });
  const inputs: BoundaryPort[] = [];
  const outputs: BoundaryPort[] = [];
  for (const n of nodes) {
    for (const [port, spec] of Object.entries(n.def.inputs ?? {})) {
      if (!parsed.some((e) => e.to.node === n.id && e.to.port === port)) inputs.push({ node: n.id, port, key: `${n.id}.${port}`, type: spec.type });
    }
    for (const [port, spec] of Object.entries(n.def.outputs ?? {})) {
      if (!parsed.some((e) => e.from.node === n.id && e.from.port === port)) outputs.push({ node: n.id, port, key: `${n.id}.${port}`, type: spec.type });
    }
  }
  return {
    family: 'gstreamer',
    members: nodes.map((n) => ({ id: n.id, type: n.def.type, params: n.def.params.parse(n.params ?? {}), definition: n.def })),
    edges: parsed,
    inputs,
    outputs,
  };
}

export interface RecordingContext extends FusedContext {
  readonly statuses: { node: string; state: NodeState; text?: string }[];
  readonly failures: unknown[];
  readonly logs: string[];
  readonly metricsSeen: { node: string; values: Readonly<Record<string, number>> }[];
  readonly controller: AbortController;
}

export function recordingContext(group: FusionGroup, inputs: Record<string, Observable<unknown>> = {}): RecordingContext {
  const controller = new AbortController();
  const logs: string[] = [];
  const log = (level: string) => (message: string) => void logs.push(`${level}: ${message}`);
  const ctx: RecordingContext = {
    graphId: 'test',
    group,
    inputs,
    log: { debug: log('debug'), info: log('info'), warn: log('warn'), error: log('error') },
    statuses: [],
    failures: [],
    logs,
    metricsSeen: [],
    controller,
    signal: controller.signal,
    status(node, state, text) {
      ctx.statuses.push({ node, state, ...(text !== undefined ? { text } : {}) });
    },
    metrics(node, values) {
      ctx.metricsSeen.push({ node, values });
    },
    fail(error) {
      ctx.failures.push(error);
    },
  };
  return ctx;
}
