import { describe, expect, it } from 'vitest';
import { exportGraph, importGraph } from './graph-file.js';
import { placeIssues } from './issues.js';
import { edgeRates, formatRates } from './rates.js';
import { autoLayout } from './layout.js';
import { testCatalogue } from './test-catalogue.js';
import type { EditorGraph } from './graph.js';

const graph: EditorGraph = {
  rivulet: 1,
  id: 'demo',
  name: 'Demo',
  nodes: [
    { id: 'cam', type: 'test/video', params: { width: 640 }, position: { x: 0, y: 0 } },
    { id: 'enc', type: 'test/x264', params: {}, position: { x: 300, y: 0 }, onError: 'restart' },
    { id: 'out', type: 'test/sink', params: {} },
  ],
  edges: [
    { from: 'cam.out', to: 'enc.in' },
    { from: 'enc.out', to: 'out.in', live: true },
  ],
};

describe('import and export', () => {
  it('round-trips a graph through its file text unchanged', () => {
    const result = importGraph(exportGraph(graph), testCatalogue);
    expect(result.problems).toEqual([]);
    expect(result.graph).toEqual(graph);
    expect(exportGraph(result.graph!)).toBe(exportGraph(graph));
  });

  it('refuses text that is not JSON, saying where it breaks', () => {
    const result = importGraph('{\n  "rivulet": 1,\n  "nodes": [,]\n}', testCatalogue);
    expect(result.graph).toBeUndefined();
    expect(result.problems[0]).toMatch(/^not valid JSON \(line 3, column 13\): /);
  });

  it('loads unknown node types, marked, and lists broken entries instead of refusing the file', () => {
    const text = JSON.stringify({ ...graph, nodes: [...graph.nodes, { id: 'x', type: 'ghost/thing' }, { type: 'no-id' }], edges: [...graph.edges, { from: 3 }] });
    const result = importGraph(text, testCatalogue);
    expect(result.graph!.nodes.map((node) => node.id)).toEqual(['cam', 'enc', 'out', 'x']);
    expect(result.graph!.edges).toHaveLength(2);
    expect(result.problems).toContain('nodes[3] (x): unknown node type ghost/thing; loaded and marked, install its plugin to run it');
    expect(result.problems).toContain('nodes[4]: needs a string "id" and "type"; skipped');
    expect(result.problems).toContain('edges[2]: needs string "from" and "to" ("node.port"); skipped');
  });
});

describe('issues, rates and layout', () => {
  it('puts a param issue on its node and field', () => {
    const placed = placeIssues(graph, [{ code: 'invalid-param', message: 'cam: width must be at most 4096', path: ['nodes', 0, 'params', 'width'] }]);
    expect(placed.paramProblems.get('cam')).toEqual({ width: 'cam: width must be at most 4096' });
    expect(placed.nodeProblems.get('cam')).toEqual(['cam: width must be at most 4096']);
  });

  it('turns cumulative counters into messages and bits per second', () => {
    const metric = (messages: number, bytes: number, drops = 0) => new Map([['a.out->b.in', { id: 'a.out->b.in', from: 'a.out', to: 'b.in', messages, bytes, drops }]]);
    const rates = edgeRates({ time: 1000, edges: metric(10, 1000) }, { time: 3000, edges: metric(70, 251_000, 2) }).get('a.out->b.in')!;
    expect(rates).toEqual({ messages: 70, drops: 2, msgsPerSec: 30, bitsPerSec: 1_000_000 });
    expect(formatRates(rates)).toBe('30.0/s · 1.0 Mb/s · 2 drops');
  });

  it('lays a chain out left to right', async () => {
    const positions = await autoLayout(graph, testCatalogue);
    expect(positions.get('cam')!.x).toBeLessThan(positions.get('enc')!.x);
    expect(positions.get('enc')!.x).toBeLessThan(positions.get('out')!.x);
  });
});

describe('JSON error positions', () => {
  it('finds the first syntax error, and nothing in valid JSON', async () => {
    const { jsonErrorOffset, lineColumn } = await import('./json-position.js');
    const samples = ['{"a": [1, 2, {"b": null}], "c": "x\\n", "d": -1.5e3, "e": true}', '[]', '"s"', ' 0 '];
    for (const sample of samples) expect(jsonErrorOffset(sample)).toBeUndefined();
    const broken = '{\n  "a": 1,\n  "b": [,]\n}';
    expect(lineColumn(broken, jsonErrorOffset(broken)!)).toEqual({ line: 3, column: 9 });
    expect(jsonErrorOffset('{"a": 1,}')).toBe(8);
    expect(jsonErrorOffset('{"a" 1}')).toBe(5);
  });
});
