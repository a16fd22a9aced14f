// Bad input: each gives a validation or runtime error naming node, param and GStreamer's reason.
import { createServer } from 'node:net';
import { Catalogue, GraphError, defineNode, definePlugin, port, Runtime, type GraphDocumentInput } from '@rivulet/core';
import { afterAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { elementsAvailable } from './gst/inspect.js';
import plugin from './index.js';
import { isMediaMessage } from '@rivulet/core';
import { pipelineChildren } from './testing.js';

let packets = 0;
const sink = defineNode({
  type: 'test/sink',
  title: 'sink',
  category: 'test',
  params: z.object({}),
  inputs: { in: port('any', { live: true }) },
  create(ctx) {
    const s = ctx.inputs.in.subscribe((v) => void (isMediaMessage(v) && packets++));
    return { dispose: () => s.unsubscribe() };
  },
});
const runtime = new Runtime({ catalogue: new Catalogue([plugin, definePlugin({ name: 'test', nodes: [sink] })]), disposeTimeoutMs: 8_000 });
afterAll(() => runtime.stopAll());

const doc = (id: string, nodes: NonNullable<GraphDocumentInput['nodes']>, edges: [string, string][] = []): GraphDocumentInput => ({ rivulet: 1 as const, id, name: id, nodes, edges: edges.map(([from, to]) => ({ from, to })) });

/** Starts a graph expected to fail, and returns the text it stopped with. */
async function failureOf(graph: ReturnType<typeof doc>): Promise<string> {
  const running = await runtime.start(graph);
  const final = await Promise.race([running.done, new Promise<never>((_, reject) => setTimeout(() => reject(new Error('graph did not fail in 10 s')), 10_000))]);
  expect(final.state).toBe('error');
  return final.text ?? '';
}

describe('bad input', () => {
  it('refuses 0×0 video before anything starts, with the path of the param', async () => {
    const error = await runtime.start(doc('zero', [{ id: 'cam', type: 'gstreamer/test-video', params: { width: 0, height: 0 } }])).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(GraphError);
    const paths = (error as GraphError).issues.map((i) => i.path.join('.'));
    expect(paths).toContain('nodes.0.params.width');
    expect(paths).toContain('nodes.0.params.height');
    expect(pipelineChildren()).toHaveLength(0);
  });

  it('reports an invalid pipeline description against the pipeline node and its description param', async () => {
    const text = await failureOf(
      doc('bad-desc', [{ id: 'raw', type: 'gstreamer/pipeline', params: { description: 'videotestsrc ! nosuchelement ! fakesink' } }]),
    );
    expect(text).toMatch(/node raw \(gstreamer\/pipeline\), param description: GStreamer: erroneous pipeline: no element "nosuchelement"/);
  });

  it('reports an unknown camera device against the v4l2 node and its device param, while another graph keeps running', async () => {
    packets = 0;
    const healthy = await runtime.start(
      doc(
        'healthy',
        [
          { id: 'cam', type: 'gstreamer/test-video', params: { width: 160, height: 120, framerate: 15 } },
          { id: 'enc', type: 'gstreamer/vp8-encoder', params: { cpuUsed: 8, targetBitrateKbps: 200 } },
          { id: 'tn', type: 'gstreamer/to-node' },
          { id: 'sink', type: 'test/sink' },
        ],
        [['cam.out', 'enc.in'], ['enc.out', 'tn.in'], ['tn.out', 'sink.in']],
      ),
    );
    try {
      const text = await failureOf(
        doc(
          'bad-cam',
          [
            { id: 'webcam', type: 'gstreamer/v4l2-source', params: { device: '/dev/video-missing' } },
            { id: 'enc', type: 'gstreamer/vp8-encoder' },
            { id: 'out', type: 'gstreamer/to-node' },
          ],
          [['webcam.out', 'enc.in'], ['enc.out', 'out.in']],
        ),
      );
      expect(text).toMatch(/node webcam \(gstreamer\/v4l2-source\), param device: GStreamer: Cannot identify device '\/dev\/video-missing'/);
      const before = packets;
      await new Promise((r) => setTimeout(r, 500));
      expect(packets).toBeGreaterThan(before);
      expect(healthy.status().state).toBe('running');
    } finally {
      await healthy.stop();
    }
  });

  it('reports an unreachable RTSP server against the rtsp node and its url param', async () => {
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port: closed } = server.address() as { port: number };
    await new Promise<void>((resolve) => server.close(() => resolve()));
    const text = await failureOf(
      doc(
        'bad-rtsp',
        [
          { id: 'ipcam', type: 'gstreamer/rtsp-source', params: { url: `rtsp://127.0.0.1:${closed}/stream` } },
          { id: 'enc', type: 'gstreamer/vp8-encoder' },
          { id: 'out', type: 'gstreamer/to-node' },
        ],
        [['ipcam.video', 'enc.in'], ['enc.out', 'out.in']],
      ),
    );
    expect(text).toMatch(/node ipcam \(gstreamer\/rtsp-source\), param url: GStreamer: Could not open resource/);
  });

  it('marks a node unavailable naming the missing element and its Debian package', async () => {
    expect(await elementsAvailable(['x264enc', 'gdppay'])).toEqual({ available: true });
    const missing = await elementsAvailable(['x264enc', 'nosuchelement']);
    expect(missing).toEqual({ available: false, reason: 'missing GStreamer element: nosuchelement (Debian package unknown)' });
    expect(await runtime.catalogue.availability('gstreamer/x264-encoder')).toEqual({ available: true });
  });
});
