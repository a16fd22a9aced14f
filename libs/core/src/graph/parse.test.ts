import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { defineNode, definePlugin } from '../plugin/define.js';
import { port } from '../plugin/port.js';
import { Catalogue } from '../catalogue/catalogue.js';
import type { GraphIssue } from '../errors.js';
import { parseGraphText, validateGraphText } from './parse.js';
import { formatIssue } from './validate.js';

const create = () => ({ outputs: {} });
const catalogue = new Catalogue([
  definePlugin({
    name: '@rivulet/plugin-test',
    nodes: [
      defineNode({ type: 'test/source', title: 'Source', category: 'feeds', params: z.object({ fps: z.number().max(120).default(30) }), outputs: { out: port('video/raw') }, create }),
      defineNode({ type: 'test/encoder', title: 'Encoder', category: 'encoders', params: z.object({ bitrateKbps: z.number().min(64) }), inputs: { in: port('video/raw') }, outputs: { out: port('video/h264') }, create }),
    ],
  }),
]);

function syntaxIssue(text: string): GraphIssue {
  const parsed = parseGraphText(text);
  if (parsed.ok) throw new Error('expected a syntax error');
  expect(parsed.issues).toHaveLength(1);
  expect(parsed.issues[0]!.code).toBe('json-syntax');
  return parsed.issues[0]!;
}

describe('parseGraphText', () => {
  it('points at the line and column of a missing comma', () => {
    const issue = syntaxIssue('{\n  "rivulet": 1,\n  "id": "demo"\n  "nodes": []\n}');
    expect(issue).toMatchObject({ line: 4, column: 3, path: [] });
    expect(issue.message).toBe('invalid JSON: expected "," between items, found "\\""');
  });

  it('refuses trailing commas and comments, saying so', () => {
    expect(syntaxIssue('{\n  "rivulet": 1,\n  "nodes": [1, 2,],\n}')).toMatchObject({ line: 3, column: 18, message: 'invalid JSON: trailing comma is not allowed in JSON' });
    expect(syntaxIssue('{\n  // the demo\n  "rivulet": 1\n}')).toMatchObject({ line: 2, column: 3, message: 'invalid JSON: comments are not allowed in JSON' });
  });

  it('reports an unterminated document, an empty file and an unterminated string', () => {
    expect(syntaxIssue('{ "rivulet": 1,\n  "nodes": [')).toMatchObject({ line: 2, column: 13 });
    expect(syntaxIssue('  \n')).toMatchObject({ line: 1, column: 1, message: 'invalid JSON: the file is empty: expected a graph object' });
    expect(syntaxIssue('{ "id": "demo }').message).toMatch(/unterminated string/);
  });

  it('parses good JSON, with a byte-order mark, and locates paths, falling back to the nearest existing parent', () => {
    const text = '\uFEFF{\n  "rivulet": 1,\n  "nodes": [\n    { "id": "a", "params": { "fps": 500 } }\n  ]\n}';
    const parsed = parseGraphText(text);
    if (!parsed.ok) throw new Error(parsed.issues.map((issue) => formatIssue(issue)).join('\n'));
    expect(parsed.value).toEqual({ rivulet: 1, nodes: [{ id: 'a', params: { fps: 500 } }] });
    expect(parsed.locate(['nodes', 0, 'params', 'fps'])).toEqual({ line: 4, column: 37 });
    expect(parsed.locate(['nodes', 0, 'params', 'missing'])).toEqual({ line: 4, column: 28 });
    expect(parsed.locate(['nodes', 0])).toEqual({ line: 4, column: 5 });
    expect(parsed.locate([])).toEqual({ line: 1, column: 2 });
  });
});

describe('validateGraphText', () => {
  it('attaches line and column to every validation issue', () => {
    const text = [
      '{',
      '  "rivulet": 1,',
      '  "id": "demo",',
      '  "nodes": [',
      '    { "id": "src", "type": "test/source", "params": { "fps": 500 } },',
      '    { "id": "enc", "type": "test/encoder" },',
      '    { "id": "out", "type": "test/sink" }',
      '  ],',
      '  "edges": [{ "from": "src.out", "to": "enc.input" }]',
      '}',
    ].join('\n');
    const result = validateGraphText(text, catalogue, 'demo.json');
    if (result.ok) throw new Error('expected issues');
    expect(result.issues.map((issue) => formatIssue(issue, { source: 'demo.json' }))).toEqual([
      'demo.json:5:62 nodes[0].params.fps: node "src" (test/source) param "fps": too big: expected number to be <=120',
      'demo.json:6:5 nodes[1].params.bitrateKbps: node "enc" (test/encoder) param "bitrateKbps" is required (expected number)',
      'demo.json:7:28 nodes[2].type: node "out": unknown node type "test/sink"',
      'demo.json:9:40 edges[0].to: edge src.out → enc.input: node "enc" (test/encoder) has no input "input"; its inputs: in',
    ]);
  });

  it('returns the syntax issue when the text is not JSON, and the graph when all is well', () => {
    const bad = validateGraphText('{ "rivulet": 1 ', catalogue);
    expect(bad.ok).toBe(false);
    if (!bad.ok) expect(bad.issues[0]).toMatchObject({ code: 'json-syntax', line: 1, column: 16 });
    const good = validateGraphText('{ "rivulet": 1, "id": "demo", "nodes": [{ "id": "src", "type": "test/source" }] }', catalogue);
    expect(good.ok && good.graph.nodes.get('src')?.params).toEqual({ fps: 30 });
  });
});
