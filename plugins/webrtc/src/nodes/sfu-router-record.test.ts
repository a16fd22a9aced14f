import { execFile } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { runGraph } from '@rivulet/core/testing';
import gstreamer from '@rivulet/plugin-gstreamer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import webrtc from '../index.js';

const run = promisify(execFile);
let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'rivulet-rec-h264-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('webrtc/sfu-router recording', () => {
  it('records H.264 arriving on its in port to a Matroska file that plays for as long as it ran', async () => {
    await runGraph(
      {
        rivulet: 1,
        id: 'record-h264',
        nodes: [
          { id: 'cam', type: 'gstreamer/test-video', params: { width: 320, height: 240, framerate: 30 } },
          { id: 'enc', type: 'gstreamer/x264-encoder', params: { bitrateKbps: 300, speedPreset: 'ultrafast', keyIntMax: 30 } },
          { id: 'tn', type: 'gstreamer/to-node', params: {} },
          { id: 'sfu', type: 'webrtc/sfu-router', params: { port: 0, inputId: 'cam', recordDir: dir } },
        ],
        edges: [
          { from: 'cam.out', to: 'enc.in' },
          { from: 'enc.out', to: 'tn.in' },
          { from: 'tn.out', to: 'sfu.in' },
        ],
      },
      { plugins: [gstreamer, webrtc], forMs: 3_500, timeoutMs: 15_000 },
    );
    const files = readdirSync(dir);
    expect(files).toEqual(['cam.mkv']);
    const { stdout } = await run('gst-discoverer-1.0', [join(dir, 'cam.mkv')], { timeout: 15_000 });
    const [, h, m, s] = /Duration: (\d+):(\d+):([\d.]+)/.exec(stdout) ?? [];
    const duration = Number(h) * 3600 + Number(m) * 60 + Number(s);
    console.info(`[sfu recording] cam.mkv (H.264) duration ${duration.toFixed(3)} s`);
    expect(stdout).toMatch(/video(?: #\d+)?: H\.264/i);
    // The recorder starts ~0.3 s after the publisher appears (udpsrc binding), and the graph needs a moment to start.
    expect(duration).toBeGreaterThan(2);
    expect(duration).toBeLessThanOrEqual(3.5);
  }, 30_000);
});
