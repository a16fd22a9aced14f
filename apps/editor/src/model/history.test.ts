import { describe, expect, it } from 'vitest';
import { addEdge, addNode, moveNodes, removeElements, setParam } from './edits.js';
import { emptyGraph, type EditorGraph } from './graph.js';
import { canRedo, canUndo, createHistory, push, redo, replace, undo, type History } from './history.js';

describe('undo/redo history', () => {
  it('restores the exact graph JSON of every step across 20 edits, backwards and forwards', () => {
    let history: History<EditorGraph> = createHistory(emptyGraph('g'));
    const snapshots = [JSON.stringify(history.present)];
    for (let i = 0; i < 20; i += 1) {
      const graph = history.present;
      let next: EditorGraph;
      if (i % 4 === 0) next = addNode(graph, i % 8 === 0 ? 'test/video' : 'test/sink', { x: i * 10, y: i }).graph;
      else if (i % 4 === 1) next = setParam(graph, graph.nodes.at(-1)!.id, 'width', 100 + i);
      else if (i % 4 === 2) next = moveNodes(graph, new Map([[graph.nodes[0]!.id, { x: i, y: -i }]]));
      else next = graph.nodes.length > 1 ? addEdge(graph, `${graph.nodes[0]!.id}.out`, `${graph.nodes.at(-1)!.id}.in`) : setParam(graph, graph.nodes[0]!.id, 'p', i);
      history = push(history, next);
      snapshots.push(JSON.stringify(history.present));
    }
    expect(new Set(snapshots).size).toBeGreaterThan(15);
    for (let i = snapshots.length - 2; i >= 0; i -= 1) {
      history = undo(history);
      expect(JSON.stringify(history.present)).toBe(snapshots[i]);
    }
    expect(canUndo(history)).toBe(false);
    for (let i = 1; i < snapshots.length; i += 1) {
      history = redo(history);
      expect(JSON.stringify(history.present)).toBe(snapshots[i]);
    }
    expect(canRedo(history)).toBe(false);
  });

  it('drops the redo branch when a new edit follows an undo', () => {
    let history = createHistory(1);
    history = push(push(history, 2), 3);
    history = push(undo(history), 4);
    expect(history.present).toBe(4);
    expect(canRedo(history)).toBe(false);
    expect(undo(history).present).toBe(2);
  });

  it('makes a whole drag one undo step when the gesture replaces the present', () => {
    let history = createHistory(emptyGraph('g'));
    history = push(history, addNode(history.present, 'test/video', { x: 0, y: 0 }).graph);
    const before = history.present;
    history = push(history, moveNodes(history.present, new Map([['video', { x: 5, y: 5 }]])));
    for (let x = 6; x < 50; x += 1) history = replace(history, moveNodes(history.present, new Map([['video', { x, y: x }]])));
    expect(history.present.nodes[0]!.position).toEqual({ x: 49, y: 49 });
    expect(undo(history).present).toBe(before);
  });

  it('removes a node together with the edges that touch it', () => {
    let graph = emptyGraph('g');
    graph = addNode(graph, 'test/video', { x: 0, y: 0 }).graph;
    graph = addNode(graph, 'test/sink', { x: 0, y: 0 }).graph;
    graph = addEdge(graph, 'video.out', 'sink.in');
    const after = removeElements(graph, new Set(['sink']));
    expect(after.nodes.map((node) => node.id)).toEqual(['video']);
    expect(after.edges).toEqual([]);
  });
});

describe('placing a quick-added node', () => {
  it('finds a spot that overlaps no existing node', async () => {
    const { freeSpot } = await import('./graph.js');
    const graph = { nodes: [{ id: 'a', type: 't', position: { x: 0, y: 0 } }, { id: 'b', type: 't', position: { x: 0, y: 160 } }] };
    expect(freeSpot(graph, { x: 0, y: 0 })).toEqual({ x: 0, y: 320 });
    expect(freeSpot({ nodes: [] }, { x: 5, y: 5 })).toEqual({ x: 5, y: 5 });
  });
});
