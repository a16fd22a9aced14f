import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FusedInstance } from '@rivulet/core';
import { firstValueFrom, take, timeout, toArray } from 'rxjs';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createFused } from '../fuser.js';
import type { MediaMessage } from '@rivulet/core';
import { fromNode, toNode } from '../nodes/boundary.js';
import { vp8Encoder, x264Encoder } from '../nodes/encoders.js';
import { testVideo } from '../nodes/feeds.js';
import { fileSink } from '../nodes/sinks.js';
import { discover } from '../testing.js';
import { makeGroup, recordingContext } from '../test-support/group.js';

let dir: string;
const running: FusedInstance[] = [];
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'rivulet-gst-rt-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));
afterEach(async () => {
  await Promise.all(running.splice(0).map((i) => i.dispose?.()));
});

async function fused(group: ReturnType<typeof makeGroup>, inputs: Record<string, import('rxjs').Observable<unknown>> = {}) {
  const ctx = recordingContext(group, inputs);
  const instance = await createFused(ctx);
  running.push(instance);
  return { ctx, instance };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('the Node boundary both ways', () => {
  it('carries VP8 RTP out of one pipeline and into another that records it as playable WebM', async () => {
    const producer = await fused(
      makeGroup(
        [
          { id: 'cam', def: testVideo, params: { width: 160, height: 120, framerate: 15 } },
          { id: 'enc', def: vp8Encoder, params: { targetBitrateKbps: 200, cpuUsed: 8 } },
          { id: 'tn', def: toNode },
        ],
        ['cam.out -> enc.in', 'enc.out -> tn.in'],
      ),
    );
    const path = join(dir, 'round-trip.webm');
    const consumer = await fused(
      makeGroup(
        [
          { id: 'fn', def: fromNode, params: { codec: 'vp8' } },
          { id: 'rec', def: fileSink, params: { path, container: 'webm' } },
        ],
        ['fn.out -> rec.in'],
      ),
      { 'fn.in': producer.instance.outputs!['tn.out']! },
    );
    await sleep(2_000);
    await producer.instance.dispose?.();
    await consumer.instance.dispose?.();
    expect(consumer.ctx.failures).toEqual([]);
    const info = await discover(path);
    expect(info.text).toMatch(/video #\d+: VP8/);
    expect(info.durationSec).toBeGreaterThan(1);
    // Boundary figures are published per node from the Node side of the pipe.
    expect(producer.ctx.metricsSeen.some((m) => m.node === 'tn' && (m.values['out.messagesPerSec'] ?? 0) > 0)).toBe(true);
  });

  it('carries encoded VP8 frames (not RTP) through Node into a second pipeline that records them', async () => {
    const producer = await fused(
      makeGroup(
        [
          { id: 'cam', def: testVideo, params: { width: 160, height: 120, framerate: 15 } },
          { id: 'enc', def: vp8Encoder, params: { targetBitrateKbps: 200, cpuUsed: 8 } },
          { id: 'tn', def: toNode, params: { format: 'frames' } },
        ],
        ['cam.out -> enc.in', 'enc.out -> tn.in'],
      ),
    );
    const path = join(dir, 'frames.mkv');
    const consumer = await fused(
      makeGroup(
        [
          { id: 'fn', def: fromNode, params: { codec: 'vp8', format: 'frames' } },
          { id: 'rec', def: fileSink, params: { path, container: 'mkv' } },
        ],
        ['fn.out -> rec.in'],
      ),
      { 'fn.in': producer.instance.outputs!['tn.out']! },
    );
    await sleep(1_500);
    await producer.instance.dispose?.();
    await consumer.instance.dispose?.();
    expect(consumer.ctx.failures).toEqual([]);
    const info = await discover(path);
    expect(info.text).toMatch(/video #\d+: VP8/);
    expect(info.durationSec).toBeGreaterThan(0.5);
  });

  it('delivers H.264 as whole access units with caps, timestamps and keyframe flags in frames format', async () => {
    const { instance } = await fused(
      makeGroup(
        [
          { id: 'cam', def: testVideo, params: { width: 160, height: 120, framerate: 15 } },
          { id: 'enc', def: x264Encoder, params: { speedPreset: 'ultrafast', keyIntMax: 5 } },
          { id: 'tn', def: toNode, params: { format: 'frames' } },
        ],
        ['cam.out -> enc.in', 'enc.out -> tn.in'],
      ),
    );
    const frames = (await firstValueFrom(instance.outputs!['tn.out']!.pipe(take(8), toArray(), timeout(10_000)))) as unknown as MediaMessage[];
    expect(frames.every((f) => f.kind === 'frame' && f.codec === 'H264' && f.media === 'video')).toBe(true);
    const first = frames[0];
    expect(first?.kind === 'frame' && first.keyframe).toBe(true);
    expect(first?.kind === 'frame' && /stream-format=\(string\)byte-stream/.test(first.caps)).toBe(true);
    const pts = frames.map((f) => (f.kind === 'frame' ? (f.pts ?? -1) : -1));
    expect(pts.slice(1).every((p, i) => p > pts[i]!)).toBe(true);
    expect(frames.filter((f) => f.kind === 'frame' && f.keyframe).length).toBeGreaterThanOrEqual(2);
  });
});
