// Every edit the user can make, as a pure function from graph to graph (so each one is undoable).
import { edgeId, parsePortRef, uniqueNodeId, type EditorEdge, type EditorGraph, type EditorNode, type XY } from './graph.js';

export function addNode(graph: EditorGraph, type: string, position: XY, id = uniqueNodeId(graph, type)): { graph: EditorGraph; id: string } {
  const node: EditorNode = { id, type, params: {}, position: roundXY(position) };
  return { graph: { ...graph, nodes: [...graph.nodes, node] }, id };
}

/** Sets (or with `undefined`, removes) one param of a node. */
export function setParam(graph: EditorGraph, nodeId: string, key: string, value: unknown): EditorGraph {
  return updateNode(graph, nodeId, (node) => {
    const params = { ...(node.params ?? {}) };
    if (value === undefined) delete params[key];
    else params[key] = value;
    return { ...node, params };
  });
}

/** Sets the node's display name (`undefined` or empty removes it). */
export function setNodeName(graph: EditorGraph, nodeId: string, name: string | undefined): EditorGraph {
  return updateNode(graph, nodeId, (node) => {
    const { name: _old, ...rest } = node;
    return name ? { ...rest, name } : rest;
  });
}

export function moveNodes(graph: EditorGraph, positions: ReadonlyMap<string, XY>): EditorGraph {
  if (positions.size === 0) return graph;
  return {
    ...graph,
    nodes: graph.nodes.map((node) => {
      const next = positions.get(node.id);
      if (!next) return node;
      const rounded = roundXY(next);
      return node.position && node.position.x === rounded.x && node.position.y === rounded.y ? node : { ...node, position: rounded };
    }),
  };
}

export function addEdge(graph: EditorGraph, from: string, to: string): EditorGraph {
  if (graph.edges.some((edge) => edge.from === from && edge.to === to)) return graph;
  return { ...graph, edges: [...graph.edges, { from, to }] };
}

/** Removes nodes (with every edge touching them) and edges, by node id and edge id. */
export function removeElements(graph: EditorGraph, nodeIds: ReadonlySet<string>, edgeIds: ReadonlySet<string> = new Set()): EditorGraph {
  if (nodeIds.size === 0 && edgeIds.size === 0) return graph;
  const touches = (edge: EditorEdge) => nodeIds.has(parsePortRef(edge.from).node) || nodeIds.has(parsePortRef(edge.to).node);
  return {
    ...graph,
    nodes: graph.nodes.filter((node) => !nodeIds.has(node.id)),
    edges: graph.edges.filter((edge) => !edgeIds.has(edgeId(edge)) && !touches(edge)),
  };
}

export function renameGraph(graph: EditorGraph, name: string): EditorGraph {
  return { ...graph, name };
}

/** What copy puts on the clipboard: some nodes and the edges between them. */
export interface Clip {
  readonly rivuletClip: 1;
  readonly nodes: readonly EditorNode[];
  readonly edges: readonly EditorEdge[];
}

export function copySelection(graph: EditorGraph, nodeIds: ReadonlySet<string>): Clip {
  const nodes = graph.nodes.filter((node) => nodeIds.has(node.id));
  const edges = graph.edges.filter((edge) => nodeIds.has(parsePortRef(edge.from).node) && nodeIds.has(parsePortRef(edge.to).node));
  return { rivuletClip: 1, nodes, edges };
}

export function isClip(value: unknown): value is Clip {
  return typeof value === 'object' && value !== null && (value as { rivuletClip?: unknown }).rivuletClip === 1 && Array.isArray((value as Clip).nodes);
}

/** Pastes a clip with fresh node ids, shifted by `offset`; returns the new ids so they can be selected. */
export function paste(graph: EditorGraph, clip: Clip, offset: XY): { graph: EditorGraph; ids: string[] } {
  const renamed = new Map<string, string>();
  const taken = new Set<string>();
  for (const node of clip.nodes) {
    const id = uniqueNodeId(graph, node.id.replace(/-\d+$/, ''), taken);
    taken.add(id);
    renamed.set(node.id, id);
  }
  const nodes = clip.nodes.map((node) => {
    const position = node.position ?? { x: 0, y: 0 };
    return { ...node, id: renamed.get(node.id)!, position: roundXY({ x: position.x + offset.x, y: position.y + offset.y }) };
  });
  const rename = (ref: string) => {
    const { node, port } = parsePortRef(ref);
    return `${renamed.get(node) ?? node}.${port}`;
  };
  const edges = clip.edges.map((edge) => ({ ...edge, from: rename(edge.from), to: rename(edge.to) }));
  return { graph: { ...graph, nodes: [...graph.nodes, ...nodes], edges: [...graph.edges, ...edges] }, ids: [...renamed.values()] };
}

function updateNode(graph: EditorGraph, nodeId: string, update: (node: EditorNode) => EditorNode): EditorGraph {
  return { ...graph, nodes: graph.nodes.map((node) => (node.id === nodeId ? update(node) : node)) };
}

function roundXY(p: XY): XY {
  return { x: Math.round(p.x), y: Math.round(p.y) };
}
