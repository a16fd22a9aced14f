// Graph JSON ↔ React Flow nodes and edges. Unchanged graph nodes keep their React Flow objects, so big graphs re-render little.
import { Position, type Edge, type Node } from '@xyflow/react';
import type { NodeDescriptor, NodeState, PortDescriptor } from '@rivulet/core';
import { edgeId, parsePortRef, type EditorEdge, type EditorGraph, type EditorNode } from './graph.js';
import type { Catalogue } from './port-rules.js';

export interface LiveNodeStatus {
  readonly state: NodeState;
  readonly text?: string;
  /** Per-node figures the node publishes (fps, kbps…). */
  readonly metrics?: Readonly<Record<string, number>>;
}

export interface EdgeRates {
  readonly msgsPerSec: number;
  readonly bitsPerSec: number;
  readonly drops: number;
  readonly messages: number;
}

export type FlowNodeData = {
  readonly node: EditorNode;
  /** Undefined when the node type is not in the catalogue (an unknown node, loaded but marked). */
  readonly descriptor: NodeDescriptor | undefined;
  /** Ports seen on edges but not in the catalogue (so an unknown node still shows its edges). */
  readonly extraInputs: readonly string[];
  readonly extraOutputs: readonly string[];
  readonly status: LiveNodeStatus | undefined;
  /** Problems on this node: validation issues and runtime errors, as readable lines. */
  readonly problems: readonly string[];
  /** Param name → problem from the server's validator. */
  readonly paramProblems: Readonly<Record<string, string>>;
};

export type FlowEdgeData = {
  readonly edge: EditorEdge;
  readonly portType: string | undefined;
  readonly rates: EdgeRates | undefined;
  readonly problem: string | undefined;
  /** Both ends fuse into one unit (one GStreamer pipeline): data never reaches Node, so there is nothing to count. */
  readonly fused: boolean;
  /** The graph is running (fused edges then say why they show no counters). */
  readonly running: boolean;
};

export type FlowNode = Node<FlowNodeData, 'rivulet'>;
export type FlowEdge = Edge<FlowEdgeData, 'rivulet'>;

export interface Overlay {
  readonly status?: ReadonlyMap<string, LiveNodeStatus>;
  readonly nodeProblems?: ReadonlyMap<string, readonly string[]>;
  readonly paramProblems?: ReadonlyMap<string, Readonly<Record<string, string>>>;
  readonly rates?: ReadonlyMap<string, EdgeRates>;
  readonly edgeProblems?: ReadonlyMap<string, string>;
  readonly selectedNodes?: ReadonlySet<string>;
  readonly selectedEdges?: ReadonlySet<string>;
  /** Sizes React Flow measured; a node object without them would be hidden until measured again. */
  readonly measured?: ReadonlyMap<string, Size>;
  readonly running?: boolean;
}

export interface Size {
  readonly width: number;
  readonly height: number;
}

const NO_PROBLEMS: readonly string[] = [];
const NO_PARAM_PROBLEMS: Readonly<Record<string, string>> = {};
const NONE: readonly string[] = [];

function missingPorts(known: Readonly<Record<string, PortDescriptor>> | undefined, used: ReadonlySet<string> | undefined): readonly string[] {
  if (!used || used.size === 0) return NONE;
  const missing = [...used].filter((port) => !known?.[port]);
  return missing.length === 0 ? NONE : missing.sort();
}

function portsUsed(edges: readonly EditorEdge[]): { ins: Map<string, Set<string>>; outs: Map<string, Set<string>> } {
  const ins = new Map<string, Set<string>>();
  const outs = new Map<string, Set<string>>();
  const note = (map: Map<string, Set<string>>, ref: string) => {
    const { node, port } = parsePortRef(ref);
    let set = map.get(node);
    if (!set) map.set(node, (set = new Set()));
    set.add(port);
  };
  for (const edge of edges) {
    note(outs, edge.from);
    note(ins, edge.to);
  }
  return { ins, outs };
}

/** Converts the graph to React Flow nodes; `previous` (id → node) is reused where nothing changed. */
export function toFlowNodes(graph: EditorGraph, catalogue: Catalogue, overlay: Overlay = {}, previous?: ReadonlyMap<string, FlowNode>): FlowNode[] {
  const { ins, outs } = portsUsed(graph.edges);
  return graph.nodes.map((node, index) => {
    const descriptor = catalogue.get(node.type);
    const status = overlay.status?.get(node.id);
    const problems = overlay.nodeProblems?.get(node.id) ?? NO_PROBLEMS;
    const paramProblems = overlay.paramProblems?.get(node.id) ?? NO_PARAM_PROBLEMS;
    const selected = overlay.selectedNodes?.has(node.id) ?? false;
    const extraInputs = missingPorts(descriptor?.inputs, ins.get(node.id));
    const extraOutputs = missingPorts(descriptor?.outputs, outs.get(node.id));
    const measured = overlay.measured?.get(node.id);
    const old = previous?.get(node.id);
    const sameData =
      old !== undefined &&
      old.data.node === node &&
      old.data.descriptor === descriptor &&
      old.data.status === status &&
      old.data.problems === problems &&
      old.data.paramProblems === paramProblems &&
      sameList(old.data.extraInputs, extraInputs) &&
      sameList(old.data.extraOutputs, extraOutputs);
    if (sameData && old.measured === measured && (old.selected ?? false) === selected) return old;
    return {
      id: node.id,
      type: 'rivulet',
      position: node.position ?? defaultPosition(index),
      selected,
      // Until React Flow has measured a node, an estimate of its size and handles lets it draw the node
      // and its edges at once instead of hiding them for a measuring pass (big graphs show much sooner).
      ...(measured ? { measured } : estimatedGeometry(descriptor, extraInputs, extraOutputs)),
      // The same data object when only size or selection changed, so the memoised node view skips its render.
      data: sameData ? old.data : { node, descriptor, status, problems, paramProblems, extraInputs, extraOutputs },
    };
  });
}

export function toFlowEdges(graph: EditorGraph, catalogue: Catalogue, overlay: Overlay = {}, previous?: ReadonlyMap<string, FlowEdge>): FlowEdge[] {
  const types = new Map(graph.nodes.map((node) => [node.id, node.type]));
  return graph.edges.map((edge) => {
    const id = edgeId(edge);
    const from = parsePortRef(edge.from);
    const to = parsePortRef(edge.to);
    const nodeType = types.get(from.node);
    const fromDescriptor = nodeType ? catalogue.get(nodeType) : undefined;
    const toType = types.get(to.node);
    const toFusion = toType ? catalogue.get(toType)?.fusion : undefined;
    const portType = fromDescriptor?.outputs[from.port]?.type;
    const fused = fromDescriptor?.fusion !== undefined && fromDescriptor.fusion === toFusion;
    const running = overlay.running ?? false;
    const rates = overlay.rates?.get(id);
    const problem = overlay.edgeProblems?.get(id);
    const selected = overlay.selectedEdges?.has(id) ?? false;
    const old = previous?.get(id);
    if (old && old.data?.edge === edge && old.data.portType === portType && old.data.rates === rates && old.data.problem === problem && old.data.running === running && old.data.fused === fused && (old.selected ?? false) === selected) {
      return old;
    }
    return {
      id,
      type: 'rivulet',
      source: from.node,
      sourceHandle: from.port,
      target: to.node,
      targetHandle: to.port,
      selected,
      data: { edge, portType, rates, problem, fused, running },
    };
  });
}

/** Geometry matching the node view's CSS (styles.css: .rv-node, .rv-port): width, height, handle boxes. */
export const NODE_WIDTH = 220;
const PORTS_TOP = 46;
const PORT_ROW = 22;
const HANDLE = 11;

export function estimatedGeometry(
  descriptor: NodeDescriptor | undefined,
  extraInputs: readonly string[],
  extraOutputs: readonly string[],
): Pick<FlowNode, 'initialWidth' | 'initialHeight' | 'handles'> {
  const inputs = [...Object.keys(descriptor?.inputs ?? {}), ...extraInputs];
  const outputs = [...Object.keys(descriptor?.outputs ?? {}), ...extraOutputs];
  const rows = Math.max(inputs.length, outputs.length, 1);
  const handle = (id: string, i: number, type: 'source' | 'target') => ({
    id,
    type,
    position: type === 'target' ? Position.Left : Position.Right,
    x: type === 'target' ? -HANDLE / 2 : NODE_WIDTH - HANDLE / 2,
    y: PORTS_TOP + PORT_ROW * i + (PORT_ROW - HANDLE) / 2,
    width: HANDLE,
    height: HANDLE,
  });
  return {
    initialWidth: NODE_WIDTH,
    initialHeight: PORTS_TOP + PORT_ROW * rows + 30,
    handles: [...inputs.map((id, i) => handle(id, i, 'target')), ...outputs.map((id, i) => handle(id, i, 'source'))],
  };
}

/** Where a node without a saved position goes until auto-layout runs: a simple grid. */
export function defaultPosition(index: number): { x: number; y: number } {
  return { x: (index % 6) * 260, y: Math.floor(index / 6) * 180 };
}

/** The graph edge a React Flow connection stands for. */
export function edgeFromConnection(connection: { source: string; sourceHandle?: string | null; target: string; targetHandle?: string | null }): EditorEdge {
  return { from: `${connection.source}.${connection.sourceHandle ?? 'out'}`, to: `${connection.target}.${connection.targetHandle ?? 'in'}` };
}

/** Nodes whose type the catalogue does not know. */
export function unknownNodes(graph: EditorGraph, catalogue: Catalogue): EditorNode[] {
  return graph.nodes.filter((node) => !catalogue.has(node.type));
}

function sameList(a: readonly string[], b: readonly string[]): boolean {
  return a === b || (a.length === b.length && a.every((value, i) => value === b[i]));
}
