import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { EMPTY } from 'rxjs';
import { defineNode, definePlugin } from '../plugin/define.js';
import { port } from '../plugin/port.js';
import { Catalogue } from '../catalogue/catalogue.js';
import type { GraphIssue } from '../errors.js';
import { checkAvailability, formatIssue, validateGraph } from './validate.js';
import { graphDocumentSchema } from './document.js';
import { closest, editDistance } from './suggest.js';

const create = () => ({ outputs: {} });

const testVideo = defineNode({
  type: 'gstreamer/test-video',
  title: 'Test video',
  category: 'feeds',
  params: z.object({ pattern: z.enum(['smpte', 'ball']).default('smpte'), fps: z.number().int().min(1).max(120).default(30) }).strict(),
  outputs: { out: port('video/raw') },
  create: () => ({ outputs: { out: EMPTY } }),
});
const x264 = defineNode({
  type: 'gstreamer/x264-encoder',
  title: 'H.264 encoder',
  category: 'encoders',
  params: z.object({ bitrateKbps: z.number().int().min(64).max(50_000).default(2000) }).strict(),
  inputs: { in: port('video/raw') },
  outputs: { out: port('video/h264') },
  create,
});
const decoder = defineNode({
  type: 'gstreamer/h264-decoder',
  title: 'H.264 decoder',
  category: 'decoders',
  params: z.object({}),
  inputs: { in: port('video/h264', { live: true, capacity: 8 }) },
  outputs: { out: port('video/raw') },
  create,
});
const log = defineNode({
  type: 'basics/log',
  title: 'Log',
  category: 'output',
  params: z.object({ level: z.enum(['info', 'debug']).default('info') }),
  inputs: { in: port('any') },
  create,
});
const rtmp = defineNode({
  type: 'gstreamer/rtmp-sink',
  title: 'RTMP sink',
  category: 'sinks',
  params: z.object({ url: z.string().url(), streamKey: z.string().min(1) }),
  inputs: { in: port('video/h264') },
  available: () => ({ available: false, reason: 'GStreamer element rtmp2sink is not installed' }),
  create,
});

const catalogue = new Catalogue([definePlugin({ name: '@rivulet/plugin-test', nodes: [testVideo, x264, decoder, log, rtmp] })]);

function graph(nodes: unknown[], edges: unknown[] = []): Record<string, unknown> {
  return { rivulet: 1, id: 'demo', name: 'Demo', nodes, edges };
}

function issuesOf(input: unknown): readonly GraphIssue[] {
  const result = validateGraph(input, catalogue);
  if (result.ok) throw new Error('expected the graph to be refused');
  return result.issues;
}

describe('validateGraph', () => {
  it('accepts a good graph and resolves nodes with defaulted params and edges with port settings', () => {
    const input = graph(
      [
        { id: 'src', type: 'gstreamer/test-video', params: { pattern: 'ball' } },
        { id: 'enc', type: 'gstreamer/x264-encoder' },
        { id: 'dec', type: 'gstreamer/h264-decoder', params: {} },
        { id: 'log', type: 'basics/log', params: {} },
      ],
      [
        { from: 'src.out', to: 'enc.in' },
        { from: 'enc.out', to: 'dec.in' },
        { from: 'enc.out', to: 'log.in', live: true, capacity: 4 },
        { from: 'src.out', to: 'log.in' },
      ],
    );
    const result = validateGraph(input, catalogue);
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    const { nodes, edges, document } = result.graph;
    expect(document).toEqual(graphDocumentSchema.parse(input));
    expect(document.nodes[1]!.onError).toBe('stop');
    expect(document.nodes[2]).toBe(nodes.get('dec')?.node);
    expect(document.edges[3]).toBe(edges[3]?.edge);
    expect(nodes.get('src')).toMatchObject({ index: 0, params: { pattern: 'ball', fps: 30 } });
    expect(nodes.get('enc')?.params).toEqual({ bitrateKbps: 2000 });
    expect(nodes.get('enc')?.definition).toBe(x264);
    expect(edges.map((edge) => [edge.id, edge.live, edge.capacity])).toEqual([
      ['src.out->enc.in', false, 32],
      ['enc.out->dec.in', true, 8],
      ['enc.out->log.in', true, 4],
      ['src.out->log.in', false, 32],
    ]);
    expect(edges[1]).toMatchObject({ index: 1, from: { node: 'enc', port: 'out' }, to: { node: 'dec', port: 'in' }, fromSpec: { type: 'video/h264' } });
  });

  it('reports five different mistakes at once, each with its path and naming the node, port or param', () => {
    const issues = issuesOf(
      graph(
        [
          { id: 'src', type: 'gstreamer/test-video', params: { fps: 500 } },
          { id: 'enc', type: 'gstreamer/x246-encoder' },
          { id: 'dec', type: 'gstreamer/h264-decoder' },
          { id: 'log', type: 'basics/log' },
          { id: 'log', type: 'basics/log' },
        ],
        [
          { from: 'src.out', to: 'dec.in' },
          { from: 'src.out', to: 'log.input' },
        ],
      ),
    );
    expect(issues.map((found) => [found.code, found.path])).toEqual([
      ['invalid-param', ['nodes', 0, 'params', 'fps']],
      ['unknown-node-type', ['nodes', 1, 'type']],
      ['duplicate-node-id', ['nodes', 4, 'id']],
      ['edge-type-mismatch', ['edges', 0]],
      ['edge-unknown-port', ['edges', 1, 'to']],
    ]);
    const messages = issues.map((found) => found.message);
    expect(messages[0]).toBe('node "src" (gstreamer/test-video) param "fps": too big: expected number to be <=120');
    expect(messages[1]).toBe('node "enc": unknown node type "gstreamer/x246-encoder" — did you mean "gstreamer/x264-encoder"?');
    expect(messages[2]).toBe('duplicate node id "log": nodes[3] already uses it');
    expect(messages[3]).toBe('edge src.out → dec.in: src.out is video/raw, dec.in accepts video/h264');
    expect(messages[4]).toBe('edge src.out → log.input: node "log" (basics/log) has no input "input"; its inputs: in');
  });

  it('says a missing required param is required and names an unknown param', () => {
    const issues = issuesOf(graph([{ id: 'push', type: 'gstreamer/rtmp-sink', params: { url: 'rtmp://127.0.0.1/live', extra: 1 } }]));
    expect(issues.map((found) => [found.code, found.path, found.message])).toEqual([
      ['invalid-param', ['nodes', 0, 'params', 'streamKey'], 'node "push" (gstreamer/rtmp-sink) param "streamKey" is required (expected string)'],
    ]);
    const strict = issuesOf(graph([{ id: 'enc', type: 'gstreamer/x264-encoder', params: { bitrate: 100 } }]));
    expect(strict).toEqual([
      { code: 'invalid-param', path: ['nodes', 0, 'params', 'bitrate'], message: 'node "enc" (gstreamer/x264-encoder) param "bitrate" is not a known property' },
    ]);
  });

  it('reports edges to missing nodes and from missing ports, listing the ports that exist', () => {
    const issues = issuesOf(
      graph(
        [
          { id: 'src', type: 'gstreamer/test-video' },
          { id: 'enc', type: 'gstreamer/x264-encoder' },
        ],
        [
          { from: 'scr.out', to: 'enc.in' },
          { from: 'src.video', to: 'enc.in' },
          { from: 'enc.in', to: 'nobody.in' },
        ],
      ),
    );
    expect(issues.map((found) => [found.code, found.path, found.message])).toEqual([
      ['edge-unknown-node', ['edges', 0, 'from'], 'edge scr.out → enc.in: there is no node "scr" — did you mean "src"?'],
      ['edge-unknown-port', ['edges', 1, 'from'], 'edge src.video → enc.in: node "src" (gstreamer/test-video) has no output "video"; its outputs: out'],
      ['edge-unknown-port', ['edges', 2, 'from'], 'edge enc.in → nobody.in: node "enc" (gstreamer/x264-encoder) has no output "in" ("in" is an input); its outputs: out'],
      ['edge-unknown-node', ['edges', 2, 'to'], 'edge enc.in → nobody.in: there is no node "nobody"'],
    ]);
  });

  it('refuses duplicate edges and a media input fed by two edges, but lets a json input take several', () => {
    const issues = issuesOf(
      graph(
        [
          { id: 'a', type: 'gstreamer/test-video' },
          { id: 'b', type: 'gstreamer/test-video' },
          { id: 'enc', type: 'gstreamer/x264-encoder' },
          { id: 'log', type: 'basics/log' },
        ],
        [
          { from: 'a.out', to: 'enc.in' },
          { from: 'a.out', to: 'enc.in', live: true },
          { from: 'b.out', to: 'enc.in' },
          { from: 'a.out', to: 'log.in' },
          { from: 'b.out', to: 'log.in' },
        ],
      ),
    );
    expect(issues.map((found) => [found.code, found.path, found.message])).toEqual([
      ['duplicate-edge', ['edges', 1], 'edge a.out → enc.in: duplicate of edges[0]'],
      ['input-fed-twice', ['edges', 2, 'to'], 'edge b.out → enc.in: input enc.in (video/raw) accepts one edge, but edges[0] (a.out → enc.in) already feeds it'],
    ]);
  });

  it('keeps checking well-formed nodes and edges when others are malformed', () => {
    const issues = issuesOf({
      rivulet: 2,
      id: 'Bad Id',
      extra: true,
      nodes: [
        { id: 'src', type: 'gstreamer/test-video', position: { x: 'left', y: 0 } },
        'not a node',
        { type: 'basics/log' },
        { id: 'enc', type: 'gstreamer/x264-encoder', params: { bitrateKbps: 10 } },
      ],
      edges: [{ from: 'src.out', to: 'enc.in' }, { from: 'src', to: 'enc.in' }, { from: 'src.out', to: 'enc.in', capacity: 0 }],
    });
    const found = issues.map((entry) => [entry.code, entry.path]);
    expect(found).toEqual([
      ['invalid-document', ['rivulet']],
      ['invalid-document', ['id']],
      ['invalid-document', ['extra']],
      ['invalid-document', ['nodes', 0, 'position', 'x']],
      ['invalid-document', ['nodes', 1]],
      ['invalid-document', ['nodes', 2, 'id']],
      ['invalid-param', ['nodes', 3, 'params', 'bitrateKbps']],
      ['invalid-document', ['edges', 1, 'from']],
      ['invalid-document', ['edges', 2, 'capacity']],
      ['duplicate-edge', ['edges', 2]],
    ]);
    expect(issues[0]!.message).toBe('field "rivulet": invalid input: expected 1');
    expect(issues[2]!.message).toBe('field "extra" is not a known property');
    expect(issues[3]!.message).toBe('node "src" field "position.x": invalid input: expected number, received string');
    expect(issues[5]!.message).toBe('nodes[2] field "id" is required (expected string)');
    expect(issues[7]!.message).toBe('edge src → enc.in field "from": expected "node.port"');
  });

  it('reports a params schema that throws instead of crashing the validator', () => {
    const throwing = defineNode({
      type: 'test/throwing',
      title: 'Throwing',
      category: 'test',
      params: z.object({ path: z.string().transform((): string => { throw new Error('cannot read the file'); }) }),
      create,
    });
    const asyncCheck = defineNode({ type: 'test/async', title: 'Async', category: 'test', params: z.object({ n: z.number().refine(async () => true) }), create });
    const result = validateGraph(graph([{ id: 't', type: 'test/throwing', params: { path: 'x' } }, { id: 'a', type: 'test/async', params: { n: 1 } }]), new Catalogue([definePlugin({ name: 'p', nodes: [throwing, asyncCheck] })]));
    expect(result.ok ? [] : result.issues.map((found) => [found.code, found.path, found.message])).toEqual([
      ['invalid-param', ['nodes', 0, 'params'], 'node "t" (test/throwing) params: cannot read the file'],
      ['invalid-param', ['nodes', 1, 'params'], expect.stringMatching(/^node "a" \(test\/async\) params: .*Promise/)],
    ]);
  });

  it('refuses input that is not an object', () => {
    expect(issuesOf([1, 2])).toEqual([{ code: 'invalid-document', path: [], message: expect.stringContaining('JSON object') }]);
  });

  it('reports nodes whose type cannot run on this machine', async () => {
    const result = validateGraph(
      graph([
        { id: 'src', type: 'gstreamer/test-video' },
        { id: 'enc', type: 'gstreamer/x264-encoder' },
        { id: 'push', type: 'gstreamer/rtmp-sink', params: { url: 'rtmp://127.0.0.1/live', streamKey: 'k' } },
      ]),
      catalogue,
    );
    if (!result.ok) throw new Error(result.issues.map((found) => formatIssue(found)).join('\n'));
    expect(await checkAvailability(result.graph, catalogue)).toEqual([
      {
        code: 'node-unavailable',
        path: ['nodes', 2, 'type'],
        message: 'node "push" (gstreamer/rtmp-sink) cannot run on this machine: GStreamer element rtmp2sink is not installed',
      },
    ]);
  });
});

describe('formatIssue', () => {
  it('renders the location, the path and the message', () => {
    expect(formatIssue({ code: 'invalid-param', path: ['nodes', 2, 'params', 'bitrateKbps'], message: 'too small', line: 12, column: 7 })).toBe(
      '12:7 nodes[2].params.bitrateKbps: too small',
    );
    expect(formatIssue({ code: 'duplicate-edge', path: ['edges', 3], message: 'duplicate' })).toBe('edges[3]: duplicate');
    expect(formatIssue({ code: 'json-syntax', path: [], message: 'invalid JSON', line: 3, column: 1 }, { source: 'graph.json' })).toBe('graph.json:3:1: invalid JSON');
    expect(formatIssue({ code: 'invalid-document', path: [], message: 'not an object' })).toBe('not an object');
  });
});

describe('suggestions', () => {
  it('measures edit distance and suggests only plausible typos', () => {
    expect(editDistance('kitten', 'sitting')).toBe(3);
    expect(closest('gstreamer/x246-encoder', catalogue.types())).toBe('gstreamer/x264-encoder');
    expect(closest('x264-encoder', catalogue.types())).toBe('gstreamer/x264-encoder');
    expect(closest('webrtc/peer', catalogue.types())).toBeUndefined();
  });
});
