import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { SfuRouter } from '../sfu/router.js';
import { PAGE_HELPERS, waitForFrames, useChromium } from '../test-support/chromium.js';
import { serveClientModules } from '../test-support/client-modules.js';
import { until } from '../test-support/werift-clients.js';
import { WishServer } from './wish-server.js';

const chrome = useChromium(serveClientModules);

async function clientPage(): Promise<Page> {
  const page = await chrome.browser.newPage();
  await page.goto(chrome.site.url, { timeout: 10_000 });
  await page.addScriptTag({ content: PAGE_HELPERS });
  await page.addScriptTag({ type: 'module', content: "import * as client from '/webrtc/index.js'; globalThis.client = client;" });
  await page.waitForFunction(() => (globalThis as unknown as Record<string, unknown>)['client'] !== undefined, undefined, { timeout: 5_000 });
  return page;
}

type Client = typeof import('@rivulet/client');
type G = { client: Client; playPc: unknown; playStarted: number; [k: string]: unknown };

describe('@rivulet/client browser WebRTC against the router', () => {
  it('publishes camera and microphone (VP8 + Opus) with whipPublish and plays both with whepSubscribe, both trickling their candidates by PATCH', async () => {
    const router = new SfuRouter();
    const server = new WishServer(router);
    try {
      const { url } = await server.listen();
      const pub = await clientPage();
      const ids = await pub.evaluate(async (u) => {
        const g = globalThis as unknown as G & { navigator: { mediaDevices: { getUserMedia(c: unknown): Promise<never> } } };
        const stream = await g.navigator.mediaDevices.getUserMedia({ video: { width: 320, height: 240 }, audio: true });
        const session = await g.client.whipPublish(`${u}/whip`, stream);
        g['publishSession'] = session;
        return session.publisherIds;
      }, url);
      expect(ids).toHaveLength(2);
      expect(ids.map((id) => router.publisher(id)?.codec.mimeType.toLowerCase()).sort()).toEqual(['audio/opus', 'video/vp8']);
      const stream = router.publisher(ids[0]!)!.streamId;
      const viewer = await clientPage();
      const kinds = await viewer.evaluate(async (u) => {
        const g = globalThis as unknown as G;
        const session = await g.client.whepSubscribe(u, { kinds: ['audio', 'video'] });
        g['playSession'] = session;
        g.playPc = session.pc;
        g.playStarted = performance.now();
        return (await session.tracks(5_000)).map((t) => t.kind).sort();
      }, `${url}/whep/${stream}`);
      expect(kinds).toEqual(['audio', 'video']);
      expect((await waitForFrames(viewer, 30, 10_000)).frames).toBeGreaterThan(30);
      const audioPackets = await viewer.evaluate(async () => {
        let packets = 0;
        (await (globalThis as unknown as { playPc: { getStats(): Promise<Map<string, { type: string; kind: string; packetsReceived?: number }>> } }).playPc.getStats()).forEach((s) => {
          if (s.type === 'inbound-rtp' && s.kind === 'audio') packets = s.packetsReceived ?? 0;
        });
        return packets;
      });
      expect(audioPackets).toBeGreaterThan(20);
      // Both pages sent their candidates as they were found, ending with end-of-candidates.
      const trickle = async (page: Page, key: string) => page.evaluate((k) => ((globalThis as unknown as Record<string, { trickle: string }>)[k] as { trickle: string }).trickle, key);
      expect(await trickle(pub, 'publishSession')).toBe('done');
      expect(await trickle(viewer, 'playSession')).toBe('done');
      expect(server.trickledCandidates).toBeGreaterThan(0);
    } finally {
      await server.close();
      await router.close();
    }
  }, 30_000);

  it('falls back when the server offers no trickle (no Accept-Patch, PATCH → 405): the player sends no PATCH and still decodes', async () => {
    const router = new SfuRouter();
    const server = new WishServer(router, { trickle: false });
    try {
      const { url } = await server.listen();
      const pub = await clientPage();
      const stream = await pub.evaluate(async (u) => {
        const g = globalThis as unknown as G & { navigator: { mediaDevices: { getUserMedia(c: unknown): Promise<never> } } };
        const media = await g.navigator.mediaDevices.getUserMedia({ video: { width: 320, height: 240 } });
        return (await g.client.whipPublish(`${u}/whip`, media, { trickle: false })).location.split('/').pop() ?? '';
      }, url);
      const viewer = await clientPage();
      await viewer.evaluate(async (u) => {
        const g = globalThis as unknown as G;
        const session = await g.client.whepSubscribe(u);
        g['playSession'] = session;
        g.playPc = session.pc;
        g.playStarted = performance.now();
      }, `${url}/whep/${stream}`);
      expect((await waitForFrames(viewer, 30, 10_000)).frames).toBeGreaterThan(30);
      expect(await viewer.evaluate(() => (globalThis as unknown as { playSession: { trickle: string } }).playSession.trickle)).toBe('unsupported');
      expect(server.trickledCandidates).toBe(0);
    } finally {
      await server.close();
      await router.close();
    }
  }, 30_000);

  it('publishes with PublishTransport (id = track id) and receives it through a SubscribeTransport the server offers', async () => {
    const router = new SfuRouter();
    try {
      const page = await clientPage();
      const publication = await page.evaluate(async () => {
        const g = globalThis as unknown as G & { navigator: { mediaDevices: { getUserMedia(c: unknown): Promise<{ getVideoTracks(): unknown[] }> } } };
        const stream = await g.navigator.mediaDevices.getUserMedia({ video: { width: 320, height: 240 } });
        const transport = new g.client.PublishTransport();
        g['publishTransport'] = transport;
        return transport.publish(stream.getVideoTracks()[0] as never);
      });
      const publishTransport = router.createPublishTransport();
      const { answer, publishers } = await publishTransport.getAnswer(publication.offer);
      expect(publishers.map((p) => p.id)).toEqual([publication.id]);
      await page.evaluate((sdp) => (globalThis as unknown as { publishTransport: { setAnswer(s: string): Promise<void> } }).publishTransport.setAnswer(sdp), answer);

      const subscribeTransport = router.createSubscribeTransport();
      const offer = await subscribeTransport.subscribe(publication.id);
      await page.evaluate(() => {
        const g = globalThis as unknown as G;
        const transport = new g.client.SubscribeTransport();
        g['subscribeTransport'] = transport;
        g.playPc = transport.peerConnection;
        g.playStarted = performance.now();
      });
      const [subscription, reply] = await Promise.all([
        page.evaluate((id) => (globalThis as unknown as { subscribeTransport: { subscribe(id: string): Promise<{ id: string; track: { kind: string } }> } }).subscribeTransport.subscribe(id).then((s) => ({ id: s.id, kind: s.track.kind })), publication.id),
        page.evaluate((sdp) => (globalThis as unknown as { subscribeTransport: { setOffer(s: string): Promise<string> } }).subscribeTransport.setOffer(sdp), offer.sdp),
      ]);
      await subscribeTransport.setAnswer(reply, offer.version);
      expect(subscription).toEqual({ id: publication.id, kind: 'video' });
      expect((await waitForFrames(page, 30, 10_000)).frames).toBeGreaterThan(30);
      await until(() => (subscribeTransport.consumerList[0]?.sent ?? 0) > 30, 2_000, 'forwarded packets');
    } finally {
      await router.close();
    }
  }, 30_000);
});
