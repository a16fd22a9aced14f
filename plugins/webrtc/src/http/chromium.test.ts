import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SfuRouter } from '../sfu/router.js';
import { launchChromium, openPage, servePage, waitForFrames } from '../test-support/chromium.js';
import { WishServer } from './wish-server.js';

type Win = { rivuletPublish(url: string): Promise<{ location: string; publishers: string }>; rivuletPlay(url: string): Promise<{ location: string }> };

let browser: Browser;
let site: Awaited<ReturnType<typeof servePage>>;
beforeAll(async () => {
  browser = await launchChromium();
  site = await servePage();
}, 30_000);
afterAll(async () => {
  await browser?.close();
  await site?.close();
});

describe('Chromium through the SFU router', () => {
  it('plays a WHIP-published fake camera in a WHEP page: more than 100 frames decoded within 10 s; three more viewers join (four subscribers), the last one decodes within 1 s', async () => {
    const router = new SfuRouter();
    const server = new WishServer(router);
    try {
      const { url } = await server.listen();
      const publisherPage = await openPage(browser, site.url);
      const published = await publisherPage.evaluate((u) => (globalThis as unknown as Win).rivuletPublish(u), `${url}/whip`);
      const stream = published.location.split('/').pop()!;
      expect(router.resolve(stream).length).toBe(1);

      const viewer = await openPage(browser, site.url);
      await viewer.evaluate((u) => (globalThis as unknown as Win).rivuletPlay(u), `${url}/whep/${stream}`);
      const first = await waitForFrames(viewer, 100, 10_000);
      expect(first.frames).toBeGreaterThan(100);
      expect(first.elapsedMs).toBeLessThan(10_000);

      const more = await Promise.all([1, 2, 3].map(() => openPage(browser, site.url)));
      await Promise.all(more.map((p) => p.evaluate((u) => (globalThis as unknown as Win).rivuletPlay(u), `${url}/whep/${stream}`)));
      const late = await waitForFrames(more[2]!, 0, 5_000);
      expect(late.keyFrames).toBeGreaterThan(0);
      // From the late viewer's connection to its first painted frame: the key frame the router asked for on connect.
      // (Join → frame adds ICE/DTLS set-up, which depends on machine load, not on the router.)
      expect(late.connectedToFrameMs).toBeDefined();
      expect(late.connectedToFrameMs).toBeLessThan(1_000);
      console.info(
        `[sfu chromium] first viewer ${first.frames} frames in ${first.elapsedMs} ms; late viewer: connected → first frame ${Math.round(late.connectedToFrameMs ?? -1)} ms, POST → first frame ${Math.round(late.firstFrameMs ?? -1)} ms`,
      );
    } finally {
      await server.close();
      await router.close();
    }
  }, 40_000);
});
