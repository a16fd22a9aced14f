// Auto-layout with elkjs: layered, left to right, edges attached to the ports they use (inputs west, outputs east).
import type { ElkNode } from 'elkjs/lib/elk-api.js';
import { parsePortRef, type EditorGraph, type XY } from './graph.js';
import type { Catalogue } from './port-rules.js';
import type { Size } from './graph-flow.js';

const DEFAULT_SIZE: Size = { width: 220, height: 110 };

/** New positions for every node; `sizes` are the measured node sizes (a default is used for others). */
export async function autoLayout(graph: EditorGraph, catalogue: Catalogue, sizes: ReadonlyMap<string, Size> = new Map()): Promise<Map<string, XY>> {
  // elkjs is large: it loads on first use. It is CommonJS and also sets itself as `default`, which works the same in Node and in the bundle.
  const elkBundled = await import('elkjs/lib/elk.bundled.js');
  const elk = new elkBundled.default.default();
  const used = new Map<string, Set<string>>();
  const note = (ref: string, side: 'in' | 'out') => {
    const { node, port } = parsePortRef(ref);
    const key = `${node}|${side}`;
    (used.get(key) ?? used.set(key, new Set()).get(key)!).add(port);
  };
  for (const edge of graph.edges) {
    note(edge.from, 'out');
    note(edge.to, 'in');
  }
  const known = new Set(graph.nodes.map((node) => node.id));
  const root: ElkNode = {
    id: '__root',
    layoutOptions: {
      'elk.algorithm': 'layered',
      'elk.direction': 'RIGHT',
      // Wide enough for an edge's live counters to sit between two layers.
      'elk.layered.spacing.nodeNodeBetweenLayers': '170',
      'elk.spacing.nodeNode': '40',
      'elk.portConstraints': 'FIXED_ORDER',
    },
    children: graph.nodes.map((node) => {
      const descriptor = catalogue.get(node.type);
      const ins = new Set([...Object.keys(descriptor?.inputs ?? {}), ...(used.get(`${node.id}|in`) ?? [])]);
      const outs = new Set([...Object.keys(descriptor?.outputs ?? {}), ...(used.get(`${node.id}|out`) ?? [])]);
      const size = sizes.get(node.id) ?? DEFAULT_SIZE;
      return {
        id: node.id,
        width: size.width,
        height: size.height,
        layoutOptions: { 'elk.portConstraints': 'FIXED_ORDER' },
        ports: [
          ...[...ins].map((port, i) => ({ id: `${node.id}.${port}|in`, width: 8, height: 8, layoutOptions: { 'elk.port.side': 'WEST', 'elk.port.index': String(i) } })),
          ...[...outs].map((port, i) => ({ id: `${node.id}.${port}|out`, width: 8, height: 8, layoutOptions: { 'elk.port.side': 'EAST', 'elk.port.index': String(i) } })),
        ],
      };
    }),
    edges: graph.edges
      .filter((edge) => known.has(parsePortRef(edge.from).node) && known.has(parsePortRef(edge.to).node))
      .map((edge, i) => ({ id: `e${i}`, sources: [`${edge.from}|out`], targets: [`${edge.to}|in`] })),
  };
  const laid = await elk.layout(root);
  const positions = new Map<string, XY>();
  for (const child of laid.children ?? []) positions.set(child.id, { x: Math.round(child.x ?? 0), y: Math.round(child.y ?? 0) });
  return positions;
}
