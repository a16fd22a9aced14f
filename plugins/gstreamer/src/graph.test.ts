// Acceptance: real graphs in a real Runtime, fused by this plugin into gst-launch-1.0 children.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Catalogue, defineNode, definePlugin, port, Runtime, type GraphDocumentInput, type RunningGraph, type RuntimeEvent } from '@rivulet/core';
import { runGraph } from '@rivulet/core/testing';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import plugin from './index.js';
import { isMediaMessage, KEYFRAME_PORT_TYPE, rtpSequenceNumber, type KeyframeRequest, type MediaFrame, type RtpPacket } from '@rivulet/core';
import { map, take, timer } from 'rxjs';
import { discover, pipelineChildren } from './testing.js';

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'rivulet-gst-graph-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const graph = (id: string, nodes: NonNullable<GraphDocumentInput['nodes']>, edges: [string, string][]): GraphDocumentInput => ({
  rivulet: 1 as const,
  id,
  name: id,
  nodes,
  edges: edges.map(([from, to]) => ({ from, to })),
});

describe('recording graphs', () => {
  it('records test-video → x264 → MP4 for 3 s as H.264 lasting 3 s ± 0.5 s', async () => {
    const path = join(dir, 'graph.mp4');
    await runGraph(
      graph(
        'rec-h264',
        [
          { id: 'cam', type: 'gstreamer/test-video', params: { width: 320, height: 240, framerate: 15 } },
          { id: 'enc', type: 'gstreamer/x264-encoder', params: { speedPreset: 'ultrafast' } },
          { id: 'rec', type: 'gstreamer/file-sink', params: { path, container: 'mp4' } },
        ],
        [['cam.out', 'enc.in'], ['enc.out', 'rec.in']],
      ),
      { plugins: [plugin], forMs: 3_000, timeoutMs: 10_000 },
    );
    const info = await discover(path);
    expect(info.text).toMatch(/video #\d+: H\.264/);
    expect(Math.abs(info.durationSec - 3)).toBeLessThanOrEqual(0.5);
  });

  it('records test-video → VP8 → WebM for 3 s as VP8 lasting 3 s ± 0.5 s', async () => {
    const path = join(dir, 'graph.webm');
    await runGraph(
      graph(
        'rec-vp8',
        [
          { id: 'cam', type: 'gstreamer/test-video', params: { width: 320, height: 240, framerate: 15 } },
          { id: 'enc', type: 'gstreamer/vp8-encoder', params: { targetBitrateKbps: 300, cpuUsed: 8 } },
          { id: 'rec', type: 'gstreamer/file-sink', params: { path, container: 'webm' } },
        ],
        [['cam.out', 'enc.in'], ['enc.out', 'rec.in']],
      ),
      { plugins: [plugin], forMs: 3_000, timeoutMs: 10_000 },
    );
    const info = await discover(path);
    expect(info.text).toMatch(/video #\d+: VP8/);
    expect(Math.abs(info.durationSec - 3)).toBeLessThanOrEqual(0.5);
  });

  it('records test-audio → Opus → WebM for 3 s as Opus audio lasting 3 s ± 0.5 s', async () => {
    const path = join(dir, 'graph-audio.webm');
    await runGraph(
      graph(
        'rec-opus',
        [
          { id: 'tone', type: 'gstreamer/test-audio' },
          { id: 'enc', type: 'gstreamer/opus-encoder' },
          { id: 'rec', type: 'gstreamer/file-sink', params: { path, container: 'webm' } },
        ],
        [['tone.out', 'enc.in'], ['enc.out', 'rec.in']],
      ),
      { plugins: [plugin], forMs: 3_000, timeoutMs: 10_000 },
    );
    const info = await discover(path);
    expect(info.text).toMatch(/audio #\d+: Opus/);
    expect(Math.abs(info.durationSec - 3)).toBeLessThanOrEqual(0.5);
  });
});

/** A Node-side consumer: records every RTP packet it is given. */
const received: RtpPacket[] = [];
const counter = defineNode({
  type: 'test/rtp-counter',
  title: 'RTP counter',
  category: 'test',
  params: z.object({}),
  inputs: { in: port('any', { live: true }) },
  create(ctx) {
    const subscription = ctx.inputs.in.subscribe((value) => {
      if (isMediaMessage(value) && value.kind === 'rtp') received.push(value);
    });
    return { dispose: () => subscription.unsubscribe() };
  },
});
/** A Node-side consumer of encoded frames: counts key frames. */
const frames: MediaFrame[] = [];
const frameCounter = defineNode({
  type: 'test/frame-counter',
  title: 'Frame counter',
  category: 'test',
  params: z.object({}),
  inputs: { in: port('video/*', { live: true }) },
  create(ctx) {
    const subscription = ctx.inputs.in.subscribe((value) => {
      if (isMediaMessage(value) && value.kind === 'frame') frames.push(value);
    });
    return { dispose: () => subscription.unsubscribe() };
  },
});
/** Asks for a key frame `count` times, `everyMs` apart, after a first wait: a viewer's PLIs. */
const keyframeAsker = defineNode({
  type: 'test/keyframe-asker',
  title: 'Key-frame asker',
  category: 'test',
  params: z.object({ count: z.number(), everyMs: z.number() }),
  outputs: { out: port<KeyframeRequest>(KEYFRAME_PORT_TYPE) },
  create(ctx) {
    return { outputs: { out: timer(ctx.params.everyMs, ctx.params.everyMs).pipe(take(ctx.params.count), map((): KeyframeRequest => ({ kind: 'keyframe', reason: 'pli' }))) } };
  },
});
const consumerPlugin = definePlugin({ name: 'test-consumer', nodes: [counter, frameCounter, keyframeAsker] });

const restart = { onError: 'restart' as const, restart: { initialDelayMs: 200 } };
const toNodeGraph = (id: string) =>
  graph(
    id,
    [
      // A fused group restarts only when none of its members says stop.
      { id: 'cam', type: 'gstreamer/test-video', params: { width: 160, height: 120, framerate: 15 }, ...restart },
      { id: 'enc', type: 'gstreamer/vp8-encoder', params: { targetBitrateKbps: 200, cpuUsed: 8 }, ...restart },
      { id: 'tn', type: 'gstreamer/to-node', params: { payloadType: 100 }, ...restart },
      { id: 'count', type: 'test/rtp-counter' },
    ],
    [['cam.out', 'enc.in'], ['enc.out', 'tn.in'], ['tn.out', 'count.in']],
  );

async function waitFor(what: string, condition: () => boolean, ms = 8_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out after ${ms} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe('graphs crossing into Node', () => {
  let runtime: Runtime;
  let running: RunningGraph | undefined;
  const events: RuntimeEvent[] = [];
  beforeAll(() => {
    runtime = new Runtime({ catalogue: new Catalogue([plugin, consumerPlugin]), metricsIntervalMs: 200, disposeTimeoutMs: 8_000 });
    runtime.events$.subscribe((e) => events.push(e));
  });
  afterEach(async () => {
    await running?.stop();
    running = undefined;
    received.length = 0;
    frames.length = 0;
    events.length = 0;
  });
  afterAll(() => runtime.stopAll());

  it('turns key-frame requests from Node into key frames from a fused encoder, outside its key-frame interval', async () => {
    running = await runtime.start(
      graph(
        'keyframes',
        [
          { id: 'cam', type: 'gstreamer/test-video', params: { width: 160, height: 120, framerate: 15 } },
          // One key frame in 1000 frames: every later one was asked for.
          { id: 'enc', type: 'gstreamer/vp8-encoder', params: { targetBitrateKbps: 200, cpuUsed: 8, keyframeMaxDist: 1000 } },
          { id: 'ask', type: 'test/keyframe-asker', params: { count: 3, everyMs: 600 } },
          { id: 'count', type: 'test/frame-counter' },
        ],
        [['cam.out', 'enc.in'], ['ask.out', 'enc.keyframe'], ['enc.out', 'count.in']],
      ),
    );
    await waitFor('frames after the last request', () => frames.length > 45);
    const keyframes = frames.filter((f) => f.keyframe).length;
    expect(keyframes).toBe(4);
    expect(running.status().nodes['enc']?.state).toBe('running');
  });

  it('fuses the GStreamer chain into one process and explains it as one gst-launch line', () => {
    const explained = runtime.explain(toNodeGraph('explain'));
    expect(explained).toHaveLength(1);
    expect(explained[0]!.members).toEqual(['cam', 'enc', 'tn']);
    expect(explained[0]!.text).toMatch(/^gst-launch-1\.0 -e videotestsrc .* ! rtpvp8pay name=tn__rtpvp8pay pt=100 .*fdsink name=tn__out_fdsink fd=3/s);
  });

  it('delivers VP8 RTP packets to a Node consumer with payload type 100 and consecutive sequence numbers', async () => {
    running = await runtime.start(toNodeGraph('to-node'));
    await waitFor('40 RTP packets', () => received.length >= 40);
    expect(pipelineChildren()).toHaveLength(1);
    const packets = received.slice(0, 40);
    expect(packets.every((p) => p.payloadType === 100 && p.codec === 'VP8' && p.data[1]! % 128 === 100)).toBe(true);
    const seqs = packets.map((p) => rtpSequenceNumber(p.data));
    expect(seqs.slice(1).every((s, i) => s === (seqs[i]! + 1) % 65536)).toBe(true);
  });

  it('stops then starts the graph 20 times in a row with no gst-launch process left behind', async () => {
    const before = pipelineChildren().length;
    for (let i = 0; i < 20; i++) {
      received.length = 0;
      running = await runtime.start(toNodeGraph('cycle'));
      await waitFor(`packets on run ${i + 1}`, () => received.length > 0);
      await running.stop();
      running = undefined;
    }
    expect(pipelineChildren().length).toBe(before);
  }, 120_000);

  it('puts the nodes in error when the child is killed with SIGKILL, restarts within the backoff and packets flow again', async () => {
    running = await runtime.start(toNodeGraph('crash'));
    await waitFor('first packets', () => received.length > 0);
    const pid = pipelineChildren()[0]?.pid;
    expect(pid).toBeGreaterThan(0);
    process.kill(pid!, 'SIGKILL');
    const killedAt = Date.now();
    await waitFor('error status', () => events.some((e) => e.type === 'node-status' && e.nodeId === 'tn' && e.state === 'error'));
    const errorEvent = events.find((e) => e.type === 'node-status' && e.state === 'error');
    expect(errorEvent && 'text' in errorEvent ? errorEvent.text : '').toMatch(/killed by SIGKILL/);
    received.length = 0;
    await waitFor('packets after restart', () => received.length >= 5);
    expect(Date.now() - killedAt).toBeLessThan(5_000);
    expect(running.status().nodes['tn']?.restarts).toBe(1);
    const newPid = pipelineChildren()[0]?.pid;
    expect(newPid).toBeGreaterThan(0);
    expect(newPid).not.toBe(pid);
  });
});
