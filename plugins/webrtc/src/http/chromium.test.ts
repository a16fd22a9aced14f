import { describe, expect, it } from 'vitest';
import { SfuRouter } from '../sfu/router.js';
import { openPage, waitForFrames, type FrameProgress, useChromium } from '../test-support/chromium.js';
import { WishServer } from './wish-server.js';

type Win = { rivuletPublish(url: string): Promise<{ location: string; publishers: string }>; rivuletPlay(url: string): Promise<{ location: string }> };

const chrome = useChromium();

describe('Chromium through the SFU router', () => {
  it('plays a WHIP-published fake camera in a WHEP page: more than 100 frames decoded within 10 s; three more viewers join (four subscribers) and each decodes within 1 s of its WHEP POST', async () => {
    const router = new SfuRouter();
    const server = new WishServer(router);
    try {
      const { url } = await server.listen();
      const publisherPage = await openPage(chrome.browser, chrome.site.url);
      const published = await publisherPage.evaluate((u) => (globalThis as unknown as Win).rivuletPublish(u), `${url}/whip`);
      const stream = published.location.split('/').pop()!;
      expect(router.resolve(stream).length).toBe(1);

      const viewer = await openPage(chrome.browser, chrome.site.url);
      await viewer.evaluate((u) => (globalThis as unknown as Win).rivuletPlay(u), `${url}/whep/${stream}`);
      const first = await waitForFrames(viewer, 100, 10_000);
      expect(first.frames).toBeGreaterThan(100);
      expect(first.elapsedMs).toBeLessThan(10_000);

      // Two join together, then a late one while the stream is well under way (no key frame for seconds).
      const play = async (): Promise<FrameProgress> => {
        const page = await openPage(chrome.browser, chrome.site.url);
        await page.evaluate((u) => (globalThis as unknown as Win).rivuletPlay(u), `${url}/whep/${stream}`);
        return waitForFrames(page, 0, 5_000).then(async (firstFrame) => {
          // The replayed key frame is followed by live frames without a stall: the stream is continuous.
          const flowing = await waitForFrames(page, firstFrame.frames + 20, 3_000);
          expect(flowing.frames).toBeGreaterThan(firstFrame.frames + 20);
          return firstFrame;
        });
      };
      const together = await Promise.all([play(), play()]);
      await new Promise((r) => setTimeout(r, 1_500));
      const late = await play();
      const joins = [...together, late];
      for (const join of joins) {
        expect(join.keyFrames).toBeGreaterThan(0);
        // From the WHEP POST (ICE, DTLS and the key frame included) to the first frame the page paints.
        expect(join.postToFrameMs).toBeDefined();
        expect(join.postToFrameMs).toBeLessThan(1_000);
      }
      console.info(
        `[sfu chromium] first viewer ${first.frames} frames in ${first.elapsedMs} ms; WHEP POST → first frame ${joins.map((j) => Math.round(j.postToFrameMs ?? -1)).join(', ')} ms (connected → first frame ${joins.map((j) => Math.round(j.connectedToFrameMs ?? -1)).join(', ')} ms)`,
      );
    } finally {
      await server.close();
      await router.close();
    }
  }, 40_000);
});
