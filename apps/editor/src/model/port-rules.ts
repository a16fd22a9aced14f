// Which connections the editor allows, with the reason it refuses one (the same rules as the validator).
import { portTypesCompatible, type NodeDescriptor } from '@rivulet/core';
import { parsePortRef, type EditorGraph } from './graph.js';

export type Catalogue = ReadonlyMap<string, NodeDescriptor>;

export interface PortEnds {
  readonly source: string;
  readonly sourceHandle?: string | null;
  readonly target: string;
  readonly targetHandle?: string | null;
}

export type ConnectionCheck = { readonly ok: true } | { readonly ok: false; readonly reason: string };

/** Whether an edge from `source.sourceHandle` to `target.targetHandle` may be added, and why not. */
export function checkConnection(graph: EditorGraph, catalogue: Catalogue, ends: PortEnds): ConnectionCheck {
  const { source, target } = ends;
  const outPort = ends.sourceHandle ?? '';
  const inPort = ends.targetHandle ?? '';
  if (source === target) return { ok: false, reason: `${source} cannot feed itself` };
  const sourceNode = graph.nodes.find((node) => node.id === source);
  const targetNode = graph.nodes.find((node) => node.id === target);
  if (!sourceNode || !targetNode) return { ok: false, reason: `unknown node ${sourceNode ? target : source}` };
  const from = `${source}.${outPort}`;
  const to = `${target}.${inPort}`;
  const sourceType = catalogue.get(sourceNode.type);
  const targetType = catalogue.get(targetNode.type);
  if (!sourceType) return { ok: false, reason: `${source} has unknown type ${sourceNode.type}` };
  if (!targetType) return { ok: false, reason: `${target} has unknown type ${targetNode.type}` };
  const output = sourceType.outputs[outPort];
  const input = targetType.inputs[inPort];
  if (!output) return { ok: false, reason: `${sourceNode.type} has no output "${outPort}"` };
  if (!input) return { ok: false, reason: `${targetNode.type} has no input "${inPort}"` };
  if (!portTypesCompatible(output.type, input.type)) {
    return { ok: false, reason: `${from} → ${to}: output is ${output.type}, input accepts ${input.type}` };
  }
  if (graph.edges.some((edge) => edge.from === from && edge.to === to)) return { ok: false, reason: `${from} → ${to} exists already` };
  if (!input.multiple && graph.edges.some((edge) => edge.to === to)) {
    return { ok: false, reason: `${to} (${input.type}) takes one edge and is fed already` };
  }
  return { ok: true };
}

/** The port type at one end of an edge, when the node type is known. */
export function portTypeOf(graph: EditorGraph, catalogue: Catalogue, ref: string, side: 'out' | 'in'): string | undefined {
  const { node, port } = parsePortRef(ref);
  const type = graph.nodes.find((candidate) => candidate.id === node)?.type;
  const descriptor = type ? catalogue.get(type) : undefined;
  return (side === 'out' ? descriptor?.outputs : descriptor?.inputs)?.[port]?.type;
}

const FAMILY_COLOURS: Readonly<Record<string, string>> = {
  video: '#4f8ff7',
  audio: '#3fbf7f',
  rtp: '#f29f3d',
  signal: '#b47cf0',
  json: '#d4b03c',
  any: '#8892a0',
};

/** A stable colour per port type family, so handles of compatible ports look alike. */
export function portColour(type: string | undefined): string {
  if (!type) return '#808080';
  const family = type.split('/')[0] ?? type;
  const known = FAMILY_COLOURS[family];
  if (known) return known;
  let hash = 0;
  for (const char of family) hash = (hash * 31 + char.charCodeAt(0)) >>> 0;
  return `hsl(${hash % 360} 65% 60%)`;
}

/** Whether a port type carries video (those edges get the preview affordance). */
export function isVideoType(type: string | undefined): boolean {
  return type?.startsWith('video/') === true;
}
