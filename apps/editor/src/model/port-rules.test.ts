import { describe, expect, it } from 'vitest';
import { addEdge, addNode } from './edits.js';
import { emptyGraph, type EditorGraph } from './graph.js';
import { checkConnection, portColour } from './port-rules.js';
import { testCatalogue } from './test-catalogue.js';

function graphWith(...types: string[]): EditorGraph {
  return types.reduce((graph, type) => addNode(graph, type, { x: 0, y: 0 }).graph, emptyGraph('g'));
}

describe('connection rules', () => {
  const graph = graphWith('test/video', 'test/x264', 'test/sink', 'test/json-log', 'test/inject');

  it('accepts matching types and wildcards', () => {
    expect(checkConnection(graph, testCatalogue, { source: 'video', sourceHandle: 'out', target: 'x264', targetHandle: 'in' })).toEqual({ ok: true });
    expect(checkConnection(graph, testCatalogue, { source: 'x264', sourceHandle: 'out', target: 'sink', targetHandle: 'in' })).toEqual({ ok: true });
  });

  it('refuses incompatible types and says which ports and types', () => {
    expect(checkConnection(graph, testCatalogue, { source: 'x264', sourceHandle: 'out', target: 'json-log', targetHandle: 'in' })).toEqual({
      ok: false,
      reason: 'x264.out → json-log.in: output is video/h264, input accepts json',
    });
  });

  it('refuses a second edge into a single-edge media input but allows fan-in on json inputs', () => {
    const fed = addEdge(graph, 'video.out', 'sink.in');
    const check = checkConnection(fed, testCatalogue, { source: 'x264', sourceHandle: 'out', target: 'sink', targetHandle: 'in' });
    expect(check).toEqual({ ok: false, reason: 'sink.in (video/*) takes one edge and is fed already' });
    const logged = addEdge(addNode(graph, 'test/inject', { x: 0, y: 0 }).graph, 'inject.out', 'json-log.in');
    expect(checkConnection(logged, testCatalogue, { source: 'inject-2', sourceHandle: 'out', target: 'json-log', targetHandle: 'in' })).toEqual({ ok: true });
  });

  it('refuses connections to nodes whose type is unknown', () => {
    const withUnknown: EditorGraph = { ...graph, nodes: [...graph.nodes, { id: 'ghost', type: 'nope/ghost', params: {} }] };
    const check = checkConnection(withUnknown, testCatalogue, { source: 'video', sourceHandle: 'out', target: 'ghost', targetHandle: 'in' });
    expect(check).toEqual({ ok: false, reason: 'ghost has unknown type nope/ghost' });
  });

  it('colours ports by type family', () => {
    expect(portColour('video/raw')).toBe(portColour('video/h264'));
    expect(portColour('video/raw')).not.toBe(portColour('audio/opus'));
  });
});
