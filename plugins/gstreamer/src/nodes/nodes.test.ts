import { execFile } from 'node:child_process';
import { createSocket } from 'node:dgram';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { FusedInstance } from '@rivulet/core';
import { firstValueFrom, lastValueFrom, take, timeout, toArray } from 'rxjs';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createFused } from '../fuser.js';
import { isMediaMessage, rtpPayloadType, rtpSequenceNumber, type MediaMessage } from '@rivulet/core';
import { makeGroup, recordingContext } from '../test-support/group.js';
import { toNode } from './boundary.js';
import { decoder } from './decoder.js';
import { vp8Encoder, x264Encoder } from './encoders.js';
import { fileSource, testVideo, uriSource } from './feeds.js';
import { rtpSink } from './sinks.js';

let dir: string;
let clip: string;
const running: FusedInstance[] = [];

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'rivulet-gst-nodes-'));
  clip = join(dir, 'clip.mkv');
  // A 20-frame H.264 clip made by GStreamer itself, so feeds have a real file to demux.
  await new Promise<void>((resolve, reject) =>
    execFile(
      'gst-launch-1.0',
      ['-q', 'videotestsrc', 'num-buffers=20', '!', 'video/x-raw,width=160,height=120,framerate=20/1', '!', 'x264enc', 'speed-preset=ultrafast', '!', 'h264parse', '!', 'matroskamux', '!', 'filesink', `location=${clip}`],
      { timeout: 15_000 },
      (error) => (error ? reject(error) : resolve()),
    ),
  );
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));
afterEach(async () => {
  await Promise.all(running.splice(0).map((i) => i.dispose?.()));
});

async function start(group: ReturnType<typeof makeGroup>) {
  const ctx = recordingContext(group);
  const instance = await createFused(ctx);
  running.push(instance);
  return { ctx, instance };
}

describe('feeds, decoder and RTP sink in real pipelines', () => {
  it('plays a file to its end: every frame reaches Node, then the output completes', async () => {
    const { ctx, instance } = await start(
      makeGroup(
        [
          { id: 'file', def: fileSource, params: { path: clip } },
          { id: 'enc', def: vp8Encoder, params: { cpuUsed: 8 } },
          { id: 'tn', def: toNode, params: { format: 'frames' } },
        ],
        ['file.video -> enc.in', 'enc.out -> tn.in'],
      ),
    );
    const frames = (await lastValueFrom(instance.outputs!['tn.out']!.pipe(toArray(), timeout(15_000)))) as unknown as MediaMessage[];
    expect(frames).toHaveLength(20);
    expect(frames.every((f) => f.kind === 'frame' && f.codec === 'VP8')).toBe(true);
    expect(ctx.failures).toEqual([]);
    expect(ctx.statuses.at(-1)).toEqual({ node: 'tn', state: 'stopped', text: 'end of stream' });
  });

  it('opens a file:// URI through uridecodebin', async () => {
    const { instance } = await start(
      makeGroup(
        [
          { id: 'uri', def: uriSource, params: { uri: pathToFileURL(clip).href } },
          { id: 'enc', def: vp8Encoder, params: { cpuUsed: 8 } },
          { id: 'tn', def: toNode },
        ],
        ['uri.video -> enc.in', 'enc.out -> tn.in'],
      ),
    );
    const packets = (await firstValueFrom(instance.outputs!['tn.out']!.pipe(take(5), toArray(), timeout(15_000)))) as unknown as MediaMessage[];
    expect(packets.every((p) => p.kind === 'rtp' && p.codec === 'VP8')).toBe(true);
  });

  it('decodes H.264 back to raw video inside the pipeline', async () => {
    const { instance } = await start(
      makeGroup(
        [
          { id: 'cam', def: testVideo, params: { width: 160, height: 120, framerate: 15 } },
          { id: 'enc', def: x264Encoder, params: { speedPreset: 'ultrafast' } },
          { id: 'dec', def: decoder, params: { codec: 'h264' } },
          { id: 'tn', def: toNode, params: { format: 'frames' } },
        ],
        ['cam.out -> enc.in', 'enc.out -> dec.in', 'dec.out -> tn.in'],
      ),
    );
    const [frame] = (await firstValueFrom(instance.outputs!['tn.out']!.pipe(take(1), toArray(), timeout(10_000)))) as unknown as MediaMessage[];
    expect(frame?.kind === 'frame' && frame.codec === 'RAW' && /width=\(int\)160/.test(frame.caps)).toBe(true);
  });

  it('sends H.264 as RTP over UDP to the host and port asked for', async () => {
    const socket = createSocket('udp4');
    try {
      await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', resolve));
      const packets: Buffer[] = [];
      socket.on('message', (m) => packets.push(m));
      await start(
        makeGroup(
          [
            { id: 'cam', def: testVideo, params: { width: 160, height: 120, framerate: 15 } },
            { id: 'enc', def: x264Encoder, params: { speedPreset: 'ultrafast' } },
            { id: 'out', def: rtpSink, params: { port: socket.address().port, payloadType: 102 } },
          ],
          ['cam.out -> enc.in', 'enc.out -> out.in'],
        ),
      );
      const deadline = Date.now() + 10_000;
      while (packets.length < 10 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
      expect(packets.length).toBeGreaterThanOrEqual(10);
      expect(packets.every((p) => rtpPayloadType(p) === 102)).toBe(true);
      const seqs = packets.slice(0, 10).map(rtpSequenceNumber);
      expect(seqs.slice(1).every((s, i) => s === (seqs[i]! + 1) % 65536)).toBe(true);
    } finally {
      socket.close();
    }
  });
});

it('exports a guard that tells media messages from other values', () => {
  expect(isMediaMessage({ kind: 'rtp', data: Buffer.alloc(12) })).toBe(true);
  expect(isMediaMessage({ kind: 'rtp', data: 'x' })).toBe(false);
});
