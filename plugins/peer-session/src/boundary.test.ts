// An incoming feed whose video output goes into Node: H.264 frames arrive as MediaFrames.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runGraph } from '@rivulet/core/testing';
import gstreamer, { isMediaMessage, type MediaFrame } from '@rivulet/plugin-gstreamer';
import { afterEach, describe, expect, it } from 'vitest';
import peerSession from './index.js';
import { freeUdpPorts, sideGraph, startSide, writeSession, type RunningSide } from './test-support/peers.js';

let dir: string | undefined;
let sender: RunningSide | undefined;
afterEach(async () => {
  await sender?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('incoming feed into Node', () => {
  it('delivers the received video as H.264 frames with key frames', async () => {
    dir = mkdtempSync(join(tmpdir(), 'peer-session-'));
    const [roomCam, roomMic, webCam, localMic] = await freeUdpPorts(4);
    const sessionFile = writeSession(dir, { roomCam: roomCam!, roomMic: roomMic!, webCam: webCam!, localMic: localMic! }, 'rivulet-peer-test-secret');
    sender = await startSide(sideGraph({ sessionFile, localPeer: 'Patient', outDir: dir, send: [{ channel: 'room-cam', media: 'video' }] }));
    // Only the video output is wired: a demuxer branch for a medium the peer never sends would hold the pipeline.
    const result = await runGraph(
      { rivulet: 1, id: 'console', nodes: [{ id: 'room-cam', type: 'peer-session/incoming-feed', params: { sessionFile, localPeer: 'Console', channel: 'room-cam' } }], edges: [] },
      { plugins: [gstreamer, peerSession], collect: ['room-cam.video'], take: { 'room-cam.video': 20 }, timeoutMs: 10_000 },
    );
    const frames = result.outputs['room-cam.video']!.filter(isMediaMessage) as MediaFrame[];
    expect(frames).toHaveLength(20);
    expect(frames[0]!.codec).toBe('H264');
    expect(frames.some((f) => f.keyframe)).toBe(true);
  }, 20_000);
});
