import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FusedInstance } from '@rivulet/core';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createFused } from './fuser.js';
import { fileSink } from './nodes/sinks.js';
import { testAudio, testVideo } from './nodes/feeds.js';
import { opusEncoder, vp8Encoder, x264Encoder } from './nodes/encoders.js';
import { discover } from './test-support/discover.js';
import { makeGroup, recordingContext } from './test-support/group.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
let dir: string;
const running: FusedInstance[] = [];

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'rivulet-gst-'));
  return () => rmSync(dir, { recursive: true, force: true });
});
afterEach(async () => {
  await Promise.all(running.splice(0).map((i) => i.dispose?.()));
});

async function record(group: Parameters<typeof recordingContext>[0], seconds: number) {
  const ctx = recordingContext(group);
  const instance = await createFused(ctx);
  running.push(instance);
  await sleep(seconds * 1000);
  await instance.dispose?.();
  return ctx;
}

describe('fused recording pipelines', () => {
  it('records test-video → x264 → MP4 for 3 s into a file gst-discoverer reads as 3 s of H.264', async () => {
    const path = join(dir, 'x264.mp4');
    const ctx = await record(
      makeGroup(
        [
          { id: 'cam', def: testVideo, params: { width: 320, height: 240, framerate: 15 } },
          { id: 'enc', def: x264Encoder, params: { speedPreset: 'ultrafast' } },
          { id: 'rec', def: fileSink, params: { path, container: 'mp4' } },
        ],
        ['cam.out -> enc.in', 'enc.out -> rec.in'],
      ),
      3,
    );
    expect(ctx.failures).toEqual([]);
    const info = await discover(path);
    expect(info.text).toMatch(/H\.264/);
    expect(info.durationSec).toBeGreaterThan(2.5);
    expect(info.durationSec).toBeLessThan(3.5);
  });

  it('records test-video → VP8 → WebM into a file gst-discoverer reads as 3 s of VP8', async () => {
    const path = join(dir, 'vp8.webm');
    const ctx = await record(
      makeGroup(
        [
          { id: 'cam', def: testVideo, params: { width: 320, height: 240, framerate: 15 } },
          { id: 'enc', def: vp8Encoder, params: { targetBitrateKbps: 300, cpuUsed: 8 } },
          { id: 'rec', def: fileSink, params: { path, container: 'webm' } },
        ],
        ['cam.out -> enc.in', 'enc.out -> rec.in'],
      ),
      3,
    );
    expect(ctx.failures).toEqual([]);
    const info = await discover(path);
    expect(info.text).toMatch(/video #\d+: VP8/);
    expect(Math.abs(info.durationSec - 3)).toBeLessThanOrEqual(0.5);
  });

  it('records test-audio → Opus → WebM into a file gst-discoverer reads as 3 s of Opus audio', async () => {
    const path = join(dir, 'opus.webm');
    const ctx = await record(
      makeGroup(
        [
          { id: 'tone', def: testAudio },
          { id: 'enc', def: opusEncoder },
          { id: 'rec', def: fileSink, params: { path, container: 'webm' } },
        ],
        ['tone.out -> enc.in', 'enc.out -> rec.in'],
      ),
      3,
    );
    expect(ctx.failures).toEqual([]);
    const info = await discover(path);
    expect(info.text).toMatch(/audio #\d+: Opus/);
    expect(Math.abs(info.durationSec - 3)).toBeLessThanOrEqual(0.5);
  });
});
