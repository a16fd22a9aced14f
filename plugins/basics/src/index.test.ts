import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Catalogue, isPlugin, validateGraph } from '@rivulet/core';
import { runGraph } from '@rivulet/core/testing';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import basics from './index.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'rivulet-basics-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('@rivulet/plugin-basics', () => {
  it('is a plugin publishing the nine basic node types with their ports', async () => {
    expect(isPlugin(basics)).toBe(true);
    expect(basics.name).toBe('@rivulet/plugin-basics');
    const catalogue = new Catalogue([basics]);
    expect(catalogue.problems).toEqual([]);
    expect(basics.nodes.map((n) => n.type).sort()).toEqual(
      ['basics/debounce', 'basics/delay', 'basics/file-in', 'basics/file-out', 'basics/filter', 'basics/inject', 'basics/log', 'basics/map', 'basics/throttle'].sort(),
    );
  });

  it('validates the example graph shipped in the README', async () => {
    const document = JSON.parse(await readFile(new URL('../examples/readings.json', import.meta.url), 'utf8')) as unknown;
    const result = validateGraph(document, new Catalogue([basics]));
    expect(result.ok ? [] : result.issues).toEqual([]);
  });

  it('runs inject → map → filter → file-out as a graph, and file-in reads the result back', async () => {
    const path = join(dir, 'even.jsonl');
    await runGraph(
      {
        rivulet: 1,
        id: 'even-squares',
        nodes: [
          { id: 'tick', type: 'basics/inject', params: { intervalMs: 5, limit: 6, expression: '{ n, square: n * n }' } },
          { id: 'even', type: 'basics/filter', params: { expression: 'msg.n % 2 == 0' } },
          { id: 'label', type: 'basics/map', params: { expression: '{ text: "square of " + msg.n, value: msg.square }' } },
          { id: 'save', type: 'basics/file-out', params: { path, mode: 'lines' } },
          { id: 'show', type: 'basics/log', params: { label: 'even' } },
        ],
        edges: [
          { from: 'tick.out', to: 'even.in' },
          { from: 'even.out', to: 'label.in' },
          { from: 'label.out', to: 'save.in' },
          { from: 'label.out', to: 'show.in' },
        ],
      },
      { plugins: [basics], collect: ['label.out'], timeoutMs: 5000 },
    );
    const lines = (await readFile(path, 'utf8')).trim().split('\n');
    expect(lines.map((l) => JSON.parse(l) as unknown)).toEqual([
      { text: 'square of 2', value: 4 },
      { text: 'square of 4', value: 16 },
      { text: 'square of 6', value: 36 },
    ]);
    const back = await runGraph(
      { rivulet: 1, id: 'read-back', nodes: [{ id: 'read', type: 'basics/file-in', params: { path, mode: 'lines' } }] },
      { plugins: [basics], collect: ['read.out'] },
    );
    expect(back.outputs['read.out']).toEqual(lines);
  });
});
