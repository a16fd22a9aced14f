// One running graph: builds ports, edges and units from a validated graph, starts them, applies error policies, stops.
import type { Catalogue } from '../catalogue/catalogue.js';
import type { ResolvedNode, ValidatedGraph } from '../graph/validate.js';
import type { FusedContext, LogLevel, NodeContext, NodeState } from '../plugin/define.js';
import type { PortMap } from '../plugin/port.js';
import { Edge, LiveEdge } from './edge.js';
import type { EdgeMetrics, GraphState, GraphStatus, NodeStatus, RuntimeEvent } from './events.js';
import { planUnits, portKey, type UnitPlan } from './fusion.js';
import { InputPort } from './input-port.js';
import { combinePolicies, Unit, type UnitHost, type UnitInstance, type UnitSpec } from './unit.js';

/** A graph the runtime is running. */
export interface RunningGraph {
  readonly id: string;
  status(): GraphStatus;
  stop(): Promise<void>;
  /** Settles when the graph has stopped, by stop() or by its error policy. */
  readonly done: Promise<GraphStatus>;
}

export interface GraphRunOptions {
  readonly catalogue: Catalogue;
  readonly metricsIntervalMs: number;
  readonly disposeTimeoutMs: number;
  readonly emit: (event: RuntimeEvent) => void;
  readonly onStopped: (run: GraphRun) => void;
}

type MutableNodeStatus = { state: NodeState; text?: string; restarts: number; metrics?: Record<string, number> };

type EventWithoutBase = RuntimeEvent extends infer E ? (E extends RuntimeEvent ? Omit<E, 'graphId' | 'time'> : never) : never;

export class GraphRun implements RunningGraph, UnitHost {
  readonly id: string;
  readonly done: Promise<GraphStatus>;
  readonly disposeTimeoutMs: number;
  private state: GraphState = 'starting';
  private stateText: string | undefined;
  private startedAt: number | undefined;
  private readonly nodes = new Map<string, MutableNodeStatus>();
  private readonly ports = new Map<string, InputPort>();
  private readonly edges: Edge[] = [];
  private readonly units: Unit[] = [];
  /** Units in the order their outputs are subscribed: consumers before producers. */
  private readonly subscribeOrder: Unit[];
  private readonly fatal = new Set<Unit>();
  private metricsTimer: ReturnType<typeof setInterval> | undefined;
  private shutdown: Promise<void> | undefined;
  private resolveDone!: (status: GraphStatus) => void;

  constructor(
    readonly graph: ValidatedGraph,
    private readonly options: GraphRunOptions,
  ) {
    this.id = graph.document.id;
    this.disposeTimeoutMs = options.disposeTimeoutMs;
    this.done = new Promise((resolve) => (this.resolveDone = resolve));
    for (const [id, resolved] of graph.nodes) {
      this.nodes.set(id, { state: 'idle', restarts: 0 });
      for (const port of Object.keys(resolved.definition.inputs ?? {})) this.ports.set(`${id}.${port}`, new InputPort(`${id}.${port}`));
    }
    const plans = planUnits(graph, options.catalogue);
    const unitOf = new Map<string, number>();
    plans.forEach((plan, index) => {
      for (const id of plan.kind === 'node' ? [plan.node.node.id] : plan.nodes.map((n) => n.node.id)) unitOf.set(id, index);
    });

    // Edges inside a fused group belong to the fuser; the runtime wires only the others.
    const outgoing = new Map<string, Edge[]>();
    const downstream = plans.map(() => new Set<number>());
    for (const resolved of graph.edges) {
      const fromUnit = unitOf.get(resolved.from.node)!;
      const toUnit = unitOf.get(resolved.to.node)!;
      if (fromUnit === toUnit && plans[fromUnit]!.kind === 'fused') continue;
      const fromKey = portKey(resolved.from);
      const target = this.ports.get(portKey(resolved.to))!;
      const edge = resolved.live
        ? new LiveEdge(resolved.id, fromKey, target.key, target, resolved.capacity)
        : new Edge(resolved.id, fromKey, target.key, target);
      this.edges.push(edge);
      let list = outgoing.get(fromKey);
      if (!list) outgoing.set(fromKey, (list = []));
      list.push(edge);
      downstream[fromUnit]!.add(toUnit);
    }

    for (const plan of plans) this.units.push(new Unit(this.specOf(plan, outgoing), this));
    this.subscribeOrder = consumersFirst(downstream).map((index) => this.units[index]!);
  }

  private specOf(plan: UnitPlan, outgoing: ReadonlyMap<string, Edge[]>): UnitSpec {
    if (plan.kind === 'node') return this.nodeSpec(plan.node, outgoing);
    const { group, fuser } = plan;
    const members = plan.nodes.map((n) => n.node);
    const ids = members.map((m) => m.id);
    const inputs = new Map(group.inputs.map((b) => [b.key, this.ports.get(b.key)!] as const));
    const outputs = new Map(group.outputs.map((b) => [b.key, outgoing.get(b.key) ?? []] as const));
    const inputObservables = Object.fromEntries([...inputs].map(([key, port]) => [key, port.observable]));
    const memberIds = new Set(ids);
    return {
      label: `fused group ${group.family} (${ids.join(', ')})`,
      nodeIds: ids,
      ...combinePolicies(members),
      inputs,
      outputs,
      instantiate: (hooks) => {
        const log = hooks.logger(ids[0]!);
        const ctx: FusedContext = {
          graphId: this.id,
          group,
          inputs: inputObservables,
          log,
          status: (nodeId, state, text) => {
            if (memberIds.has(nodeId)) hooks.status(nodeId, state, text);
          },
          metrics: (nodeId, values) => {
            if (memberIds.has(nodeId)) hooks.metrics(nodeId, values);
          },
          fail: hooks.fail,
          signal: hooks.signal,
        };
        return fuser.create(ctx);
      },
    };
  }

  private nodeSpec(resolved: ResolvedNode, outgoing: ReadonlyMap<string, Edge[]>): UnitSpec {
    const { node, definition } = resolved;
    const id = node.id;
    const inputs = new Map<string, InputPort>();
    const inputObservables: Record<string, InputPort['observable']> = {};
    for (const port of Object.keys(definition.inputs ?? {})) {
      const input = this.ports.get(`${id}.${port}`)!;
      inputs.set(input.key, input);
      inputObservables[port] = input.observable;
    }
    const outputs = new Map<string, readonly Edge[]>();
    for (const port of Object.keys(definition.outputs ?? {})) outputs.set(`${id}.${port}`, outgoing.get(`${id}.${port}`) ?? []);
    return {
      label: `node ${id} (${node.type})`,
      nodeIds: [id],
      ...combinePolicies([node]),
      inputs,
      outputs,
      instantiate: async (hooks): Promise<UnitInstance> => {
        const ctx: NodeContext<never, PortMap> = {
          graphId: this.id,
          nodeId: id,
          params: resolved.params as never,
          inputs: inputObservables,
          log: hooks.logger(id),
          status: (state, text) => hooks.status(id, state, text),
          metrics: (values) => hooks.metrics(id, values),
          fail: hooks.fail,
          signal: hooks.signal,
        };
        const instance = await definition.create(ctx);
        const outputsByKey: Record<string, InputPort['observable'] | undefined> = {};
        for (const [port, observable] of Object.entries(instance?.outputs ?? {})) outputsByKey[`${id}.${port}`] = observable;
        return { outputs: outputsByKey, dispose: instance?.dispose?.bind(instance) };
      },
    };
  }

  get stopping(): boolean {
    return this.shutdown !== undefined;
  }

  /** Creates every unit, then subscribes their outputs consumers-first, then reports running. */
  async start(): Promise<void> {
    this.startedAt = Date.now();
    this.setState('starting');
    // A stop while some create() still hangs ends the start too.
    await Promise.race([Promise.all(this.units.map((unit) => unit.create())), this.done]);
    if (this.stopping) return;
    for (const unit of this.subscribeOrder) {
      unit.subscribeOutputs();
      if (this.stopping) return;
    }
    for (const port of this.ports.values()) port.endStartPhase();
    this.metricsTimer = setInterval(() => this.emitMetrics(), this.options.metricsIntervalMs);
    this.metricsTimer.unref();
    this.setState('running');
  }

  stop(): Promise<void> {
    return this.close('stopped');
  }

  status(): GraphStatus {
    const nodes: Record<string, NodeStatus> = {};
    for (const [id, status] of this.nodes) nodes[id] = snapshot(status);
    return {
      graphId: this.id,
      state: this.state,
      ...(this.stateText !== undefined ? { text: this.stateText } : {}),
      ...(this.startedAt !== undefined ? { startedAt: this.startedAt } : {}),
      nodes,
      edges: this.edgeMetrics(),
    };
  }

  private close(final: 'stopped' | 'error', text?: string): Promise<void> {
    this.shutdown ??= (async () => {
      this.setState('stopping', text);
      if (this.metricsTimer) clearInterval(this.metricsTimer);
      // Unsubscribe everything first so no value moves while nodes dispose.
      for (const unit of this.units) unit.halt();
      for (const edge of this.edges) edge.close();
      await Promise.all(this.units.map((unit) => unit.settle()));
      for (const unit of this.units) {
        if (this.fatal.has(unit)) continue;
        for (const id of unit.spec.nodeIds) this.setStatus(id, 'stopped', undefined, true);
      }
      this.emitMetrics();
      this.setState(final, text);
      this.resolveDone(this.status());
      this.options.onStopped(this);
    })();
    return this.shutdown;
  }

  // UnitHost

  setStatus(nodeId: string, state: NodeState, text?: string, force = false): void {
    const status = this.nodes.get(nodeId);
    if (!status || (this.stopping && !force)) return;
    if (status.state === state && status.text === text) return;
    status.state = state;
    if (text === undefined) delete status.text;
    else status.text = text;
    this.emit({ type: 'node-status', nodeId, state, ...(text !== undefined ? { text } : {}), restarts: status.restarts });
  }

  setMetrics(nodeId: string, values: Readonly<Record<string, number>>): void {
    const status = this.nodes.get(nodeId);
    if (status) status.metrics = { ...status.metrics, ...values };
  }

  countRestart(nodeId: string): void {
    const status = this.nodes.get(nodeId);
    if (status) status.restarts++;
  }

  log(nodeId: string | undefined, level: LogLevel, message: string, data?: unknown): void {
    this.emit({ type: 'log', ...(nodeId !== undefined ? { nodeId } : {}), level, message, ...(data !== undefined ? { data } : {}) });
  }

  unitFailed(unit: Unit, reason: string): void {
    if (this.stopping) return;
    if (unit.spec.policy === 'restart') {
      void unit.restart(reason);
      return;
    }
    this.fatal.add(unit);
    void this.close('error', reason);
  }

  unitGaveUp(unit: Unit, reason: string): void {
    for (const id of unit.spec.nodeIds) this.setStatus(id, 'error', reason);
    this.fatal.add(unit);
    void this.close('error', reason);
  }

  // Events

  private setState(state: GraphState, text?: string): void {
    this.state = state;
    this.stateText = text;
    this.emit({ type: 'graph-state', state, ...(text !== undefined ? { text } : {}) });
  }

  private edgeMetrics(): EdgeMetrics[] {
    return this.edges.map((edge) => edge.metrics());
  }

  private emitMetrics(): void {
    const nodes: Record<string, Readonly<Record<string, number>>> = {};
    for (const [id, status] of this.nodes) if (status.metrics) nodes[id] = { ...status.metrics };
    this.emit({ type: 'metrics', edges: this.edgeMetrics(), nodes });
  }

  private emit(event: EventWithoutBase): void {
    this.options.emit({ ...event, graphId: this.id, time: Date.now() } as RuntimeEvent);
  }
}

function snapshot(status: MutableNodeStatus): NodeStatus {
  return {
    state: status.state,
    ...(status.text !== undefined ? { text: status.text } : {}),
    restarts: status.restarts,
    ...(status.metrics ? { metrics: { ...status.metrics } } : {}),
  };
}

/**
 * Depth-first post-order over the unit graph, sources first as roots: every unit comes after
 * the units it feeds (as far as cycles allow), so consumers listen before producers emit.
 */
export function consumersFirst(downstream: readonly ReadonlySet<number>[]): number[] {
  const hasUpstream = new Set<number>();
  for (const targets of downstream) for (const t of targets) hasUpstream.add(t);
  const roots = [...downstream.keys()].sort((a, b) => Number(hasUpstream.has(a)) - Number(hasUpstream.has(b)));
  const visited = new Set<number>();
  const order: number[] = [];
  const visit = (index: number): void => {
    if (visited.has(index)) return;
    visited.add(index);
    for (const next of downstream[index]!) visit(next);
    order.push(index);
  };
  for (const root of roots) visit(root);
  return order;
}
