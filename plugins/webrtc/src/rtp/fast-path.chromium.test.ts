import { describe, expect, it } from 'vitest';
import { WishServer } from '../http/wish-server.js';
import { SfuRouter } from '../sfu/router.js';
import { openPage, waitForFrames, useChromium } from '../test-support/chromium.js';

type Win = { rivuletPublish(url: string): Promise<{ location: string }>; rivuletPlay(url: string): Promise<{ location: string }> };

const chrome = useChromium();

describe('SFU fast path with Chromium at both ends', () => {
  it('forwards a Chromium publisher to a Chromium viewer on the fast path (Chromium picks AES-CM with werift) and the viewer decodes what it sends', async () => {
    const router = new SfuRouter();
    const server = new WishServer(router);
    try {
      const { url } = await server.listen();
      const publisher = await openPage(chrome.browser, chrome.site.url);
      const published = await publisher.evaluate((u) => (globalThis as unknown as Win).rivuletPublish(u), `${url}/whip`);
      const viewer = await openPage(chrome.browser, chrome.site.url);
      await viewer.evaluate((u) => (globalThis as unknown as Win).rivuletPlay(u), `${url}/whep/${published.location.split('/').pop()!}`);
      const progress = await waitForFrames(viewer, 60, 10_000);
      expect(progress.frames).toBeGreaterThan(60);
      const paths = router.sendPaths;
      console.info(`[fast path chromium] sent fast ${paths.fast}, through werift ${paths.werift}`);
      expect(paths.fast).toBeGreaterThan(50);
      // Only what came before the viewer's DTLS was up went to werift (which drops it).
      expect(paths.werift).toBeLessThan(paths.fast / 5);
    } finally {
      await server.close();
      await router.close();
    }
  }, 30_000);
});
