import { describe, expect, it } from 'vitest';
import { addEdge, addNode, moveNodes, setParam } from './edits.js';
import { emptyGraph } from './graph.js';
import { edgeFromConnection, toFlowEdges, toFlowNodes, type FlowNode } from './graph-flow.js';
import { testCatalogue } from './test-catalogue.js';

function sample() {
  let graph = emptyGraph('g');
  graph = addNode(graph, 'test/video', { x: 10, y: 20 }).graph;
  graph = addNode(graph, 'test/sink', { x: 300, y: 20 }).graph;
  graph = addEdge(graph, 'video.out', 'sink.in');
  return graph;
}

describe('graph ↔ React Flow', () => {
  it('makes one node per graph node and one edge per graph edge, with handles named after ports', () => {
    const graph = sample();
    const nodes = toFlowNodes(graph, testCatalogue);
    const edges = toFlowEdges(graph, testCatalogue);
    expect(nodes.map((node) => [node.id, node.position, node.data.descriptor?.type])).toEqual([
      ['video', { x: 10, y: 20 }, 'test/video'],
      ['sink', { x: 300, y: 20 }, 'test/sink'],
    ]);
    expect(edges).toHaveLength(1);
    expect(edges[0]).toMatchObject({ id: 'video.out->sink.in', source: 'video', sourceHandle: 'out', target: 'sink', targetHandle: 'in' });
    expect(edges[0]!.data!.portType).toBe('video/raw');
    expect(edgeFromConnection({ source: edges[0]!.source, sourceHandle: edges[0]!.sourceHandle, target: edges[0]!.target, targetHandle: edges[0]!.targetHandle })).toEqual(graph.edges[0]);
  });

  it('keeps the React Flow objects of nodes that did not change', () => {
    const graph = sample();
    const first = toFlowNodes(graph, testCatalogue);
    const edited = setParam(moveNodes(graph, new Map([['sink', { x: 1, y: 2 }]])), 'sink', 'x', 1);
    const second = toFlowNodes(edited, testCatalogue, {}, new Map(first.map((node): [string, FlowNode] => [node.id, node])));
    expect(second[0]).toBe(first[0]);
    expect(second[1]).not.toBe(first[1]);
    expect(second[1]!.position).toEqual({ x: 1, y: 2 });
  });

  it('keeps the data object when only the measured size or the selection changes', () => {
    const graph = sample();
    const first = toFlowNodes(graph, testCatalogue);
    const previous = new Map(first.map((node): [string, FlowNode] => [node.id, node]));
    const second = toFlowNodes(graph, testCatalogue, { measured: new Map([['video', { width: 200, height: 90 }]]), selectedNodes: new Set(['video']) }, previous);
    expect(second[0]).not.toBe(first[0]);
    expect(second[0]!.data).toBe(first[0]!.data);
    expect(second[0]).toMatchObject({ selected: true, measured: { width: 200, height: 90 } });
  });

  it('marks nodes of unknown type and keeps the ports their edges use', () => {
    const graph = { ...sample(), nodes: [...sample().nodes, { id: 'ghost', type: 'nope/ghost', params: {} }], edges: [...sample().edges, { from: 'video.out', to: 'ghost.frames' }] };
    const ghost = toFlowNodes(graph, testCatalogue).find((node) => node.id === 'ghost')!;
    expect(ghost.data.descriptor).toBeUndefined();
    expect(ghost.data.extraInputs).toEqual(['frames']);
  });

  it('carries live status and edge rates into the data the components draw', () => {
    const graph = sample();
    const status = new Map([['video', { state: 'running' as const, text: 'playing' }]]);
    const rates = new Map([['video.out->sink.in', { msgsPerSec: 30, bitsPerSec: 8e6, drops: 1, messages: 90 }]]);
    expect(toFlowNodes(graph, testCatalogue, { status })[0]!.data.status).toEqual({ state: 'running', text: 'playing' });
    expect(toFlowEdges(graph, testCatalogue, { rates })[0]!.data!.rates!.msgsPerSec).toBe(30);
  });
});
