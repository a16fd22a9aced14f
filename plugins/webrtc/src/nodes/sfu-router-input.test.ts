import { createServer } from 'node:net';
import { runGraph } from '@rivulet/core/testing';
import gstreamer from '@rivulet/plugin-gstreamer';
import { describe, expect, it } from 'vitest';
import webrtc from '../index.js';
import { openPage, useChromium } from '../test-support/chromium.js';

const chrome = useChromium();

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

type Win = { rivuletPlay(url: string): Promise<unknown>; rivuletFrames(): Promise<{ frames: number }> };

describe('webrtc/sfu-router input', () => {
  it('publishes GStreamer VP8 RTP wired into its in port as a WHEP stream that Chromium decodes, the viewer\'s key-frame request reaching the encoder', async () => {
    const port = await freePort();
    const page = await openPage(chrome.browser, chrome.site.url);
    let frames = 0;
    let started = false;
    const watch = async () => {
      await new Promise((r) => setTimeout(r, 1_500));
      // The router is up once the graph runs; retry the WHEP POST until the publisher exists.
      for (let i = 0; i < 100; i++) {
        try {
          await page.evaluate((u) => (globalThis as unknown as Win).rivuletPlay(u), `http://127.0.0.1:${port}/whep/cam`);
          break;
        } catch {
          await new Promise((r) => setTimeout(r, 100));
        }
      }
      for (let i = 0; i < 200; i++) {
        frames = (await page.evaluate(() => (globalThis as unknown as Win).rivuletFrames())).frames;
        if (frames > 30) return;
        await new Promise((r) => setTimeout(r, 50));
      }
    };
    try {
      const result = await runGraph(
        {
          rivulet: 1,
          id: 'router-input',
          nodes: [
            { id: 'cam', type: 'gstreamer/test-video', params: { width: 320, height: 240, framerate: 30 } },
            // Key frames every 1000 frames (33 s) and the viewer joins later: it decodes in time
            // only when the router's key-frame request reaches the encoder.
            { id: 'enc', type: 'gstreamer/vp8-encoder', params: { targetBitrateKbps: 300, cpuUsed: 8, keyframeMaxDist: 1000 } },
            { id: 'tn', type: 'gstreamer/to-node', params: {} },
            { id: 'sfu', type: 'webrtc/sfu-router', params: { port, inputId: 'cam' } },
          ],
          edges: [
            { from: 'cam.out', to: 'enc.in' },
            { from: 'enc.out', to: 'tn.in' },
            { from: 'tn.out', to: 'sfu.in' },
            { from: 'sfu.keyframe', to: 'enc.keyframe' },
          ],
        },
        {
          plugins: [gstreamer, webrtc],
          collect: ['sfu.events', 'sfu.keyframe'],
          until: () => {
            if (!started) {
              started = true;
              void watch();
            }
            return frames > 30;
          },
          timeoutMs: 20_000,
        },
      );
      expect(frames).toBeGreaterThan(30);
      expect((result.outputs['sfu.keyframe'] ?? []).length).toBeGreaterThan(0);
      expect((result.outputs['sfu.events'] as { type: string; publisherId: string }[])[0]).toMatchObject({ type: 'publisher-added', publisherId: 'cam' });
    } finally {
      await page.close();
    }
  }, 40_000);
});
