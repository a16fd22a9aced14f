import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WishServer } from '../http/wish-server.js';
import { openPage, useChromium } from '../test-support/chromium.js';
import { until } from '../test-support/werift-clients.js';
import { SfuRouter } from './router.js';

const run = promisify(execFile);
let dir: string;
const chrome = useChromium();
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'rivulet-rec-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

type Win = { rivuletPublish(url: string): Promise<{ location: string; publishers: string }> };

describe('recording transport', () => {
  it('writes a 5 s Chromium publish to a WebM file that gst-discoverer reads as 5 s ± 0.5 s of VP8', async () => {
    const router = new SfuRouter({ recordDir: dir });
    const server = new WishServer(router);
    const finished: string[] = [];
    router.on((e) => e.type === 'recording-finished' && finished.push(e.path));
    try {
      const { url } = await server.listen();
      const page = await openPage(chrome.browser, chrome.site.url);
      const published = await page.evaluate((u) => (globalThis as unknown as Win).rivuletPublish(u), `${url}/whip`);
      const [publisherId] = published.publishers.split(',');
      await until(() => router.stats.recordings === 1 && (router.publisher(publisherId!)?.packets ?? 0) > 0, 10_000, 'recording started with media');
      await new Promise((r) => setTimeout(r, 5_000));
      await page.evaluate(() => (globalThis as unknown as { publishPc: { close(): void } }).publishPc.close());
      await fetch(new URL(published.location, url), { method: 'DELETE' });
      await until(() => finished.length === 1, 8_000, 'recording finalised');
      const { stdout } = await run('gst-discoverer-1.0', [finished[0]!], { timeout: 15_000 });
      const [, h, m, s] = /Duration: (\d+):(\d+):([\d.]+)/.exec(stdout) ?? [];
      const duration = Number(h) * 3600 + Number(m) * 60 + Number(s);
      console.info(`[sfu recording] ${finished[0]!.split('/').pop()} duration ${duration.toFixed(3)} s`);
      expect(stdout).toMatch(/video(?: #\d+)?: VP8/i);
      expect(Math.abs(duration - 5)).toBeLessThanOrEqual(0.5);
    } finally {
      await server.close();
      await router.close();
    }
  }, 40_000);
});
