// The editor's working graph: the graph JSON as the user writes it, edited immutably so history can keep every version.
import type { GraphDocumentInput } from '@rivulet/core';

export type EditorGraph = GraphDocumentInput & { readonly nodes: readonly EditorNode[]; readonly edges: readonly EditorEdge[] };
export type EditorNode = NonNullable<GraphDocumentInput['nodes']>[number];
export type EditorEdge = NonNullable<GraphDocumentInput['edges']>[number];
export interface XY {
  readonly x: number;
  readonly y: number;
}

/** A fresh, empty graph. */
export function emptyGraph(id: string, name = id): EditorGraph {
  return { rivulet: 1, id, name, nodes: [], edges: [] };
}

/** Splits `node.port` into its parts. */
export function parsePortRef(ref: string): { node: string; port: string } {
  const dot = ref.indexOf('.');
  return dot < 0 ? { node: ref, port: '' } : { node: ref.slice(0, dot), port: ref.slice(dot + 1) };
}

export function portRef(node: string, port: string): string {
  return `${node}.${port}`;
}

/** The id the runtime gives an edge in its metrics (`from->to`). */
export function edgeId(edge: Pick<EditorEdge, 'from' | 'to'>): string {
  return `${edge.from}->${edge.to}`;
}

/** A node id not used yet in the graph, derived from the node type (`gstreamer/test-video` → `test-video-2`). */
export function uniqueNodeId(graph: Pick<EditorGraph, 'nodes'>, type: string, taken: ReadonlySet<string> = new Set()): string {
  const used = new Set(graph.nodes.map((node) => node.id));
  const base = (type.split('/').pop() ?? 'node').replace(/[^A-Za-z0-9_-]/g, '-').replace(/^[^A-Za-z_]+/, '') || 'node';
  for (let n = 1; ; n += 1) {
    const id = n === 1 ? base : `${base}-${n}`;
    if (!used.has(id) && !taken.has(id)) return id;
  }
}

/** A graph id (lowercase, digits, _ and -) from a human name. */
export function graphIdFromName(name: string): string {
  const id = name
    .toLowerCase()
    .replace(/[^a-z0-9_-]+/g, '-')
    .replace(/^[^a-z0-9]+/, '')
    .slice(0, 64)
    .replace(/-+$/, '');
  return id || 'graph';
}

/** The first spot at or after `wanted` (going down, then across) where a new node overlaps no other. */
export function freeSpot(graph: Pick<EditorGraph, 'nodes'>, wanted: XY, size: { width: number; height: number } = { width: 240, height: 140 }): XY {
  const taken = graph.nodes.filter((node) => node.position).map((node) => node.position!);
  const overlaps = (p: XY) => taken.some((q) => Math.abs(q.x - p.x) < size.width && Math.abs(q.y - p.y) < size.height);
  for (let column = 0; column < 20; column += 1) {
    for (let row = 0; row < 6; row += 1) {
      const p = { x: wanted.x + column * (size.width + 20), y: wanted.y + row * (size.height + 20) };
      if (!overlaps(p)) return p;
    }
  }
  return wanted;
}
