// Headless Chromium with a fake camera, and a loopback HTTP server for its pages (WebRTC needs http://, not file://).
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll } from 'vitest';

const ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--allow-loopback-in-peer-connection',
  '--use-fake-device-for-media-stream',
  '--use-fake-ui-for-media-stream',
];

export const CHROMIUM_PATH = process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium';

export async function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM_PATH, args: ARGS, timeout: 20_000 });
}

/** Serves one blank page; tests drive it with page.evaluate. */
/** A page server: where Chromium loads its test pages from. */
export interface PageSite {
  readonly url: string;
  close(): Promise<void>;
}

/**
 * One headless Chromium and one page server for a test file: started before its tests, closed
 * after them. Read `browser` and `site` inside tests (they exist once the file's setup ran).
 */
export function useChromium(serve: () => Promise<PageSite> = servePage): { readonly browser: Browser; readonly site: PageSite } {
  let browser: Browser | undefined;
  let site: PageSite | undefined;
  beforeAll(async () => {
    browser = await launchChromium();
    site = await serve();
  }, 30_000);
  afterAll(async () => {
    await browser?.close();
    await site?.close();
  });
  return {
    get browser() {
      if (!browser) throw new Error('Chromium is not started: use it inside a test');
      return browser;
    },
    get site() {
      if (!site) throw new Error('the page server is not started: use it inside a test');
      return site;
    },
  };
}

export async function servePage(): Promise<{ url: string; close(): Promise<void> }> {
  const server: Server = createServer((_req, res) => res.writeHead(200, { 'Content-Type': 'text/html' }).end('<!doctype html><title>rivulet</title><body></body>'));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** In-page helpers as source text, so pages need no bundle: WHIP publish of the fake camera, WHEP play, decoded frame count. */
export const PAGE_HELPERS = `
window.rivuletGathered = (pc) => new Promise((resolve) => {
  if (pc.iceGatheringState === 'complete') return resolve();
  pc.addEventListener('icegatheringstatechange', () => pc.iceGatheringState === 'complete' && resolve());
  setTimeout(resolve, 3000);
});
window.rivuletPost = async (url, pc) => {
  await pc.setLocalDescription(await pc.createOffer());
  await window.rivuletGathered(pc);
  window.postedAt = performance.now();
  const res = await fetch(url, { method: 'POST', headers: { 'Content-Type': 'application/sdp' }, body: pc.localDescription.sdp });
  const text = await res.text();
  if (res.status !== 201) throw new Error('HTTP ' + res.status + ' ' + text);
  await pc.setRemoteDescription({ type: 'answer', sdp: text });
  return { location: res.headers.get('Location'), publishers: res.headers.get('X-Rivulet-Publishers') };
};
window.rivuletPublish = async (url) => {
  const stream = await navigator.mediaDevices.getUserMedia({ video: { width: 320, height: 240, frameRate: 30 }, audio: false });
  const pc = new RTCPeerConnection();
  stream.getTracks().forEach((t) => pc.addTransceiver(t, { direction: 'sendonly' }));
  window.publishPc = pc;
  return window.rivuletPost(url, pc);
};
window.rivuletPlay = async (url) => {
  const pc = new RTCPeerConnection();
  pc.addTransceiver('video', { direction: 'recvonly' });
  const video = document.createElement('video');
  video.muted = true; video.autoplay = true; video.playsInline = true;
  document.body.appendChild(video);
  pc.ontrack = (e) => { video.srcObject = new MediaStream([e.track]); };
  pc.addEventListener('connectionstatechange', () => { if (pc.connectionState === 'connected') window.playConnected = performance.now(); });
  video.requestVideoFrameCallback(() => { window.playFirstFrame = performance.now(); });
  window.playPc = pc;
  window.playStarted = performance.now();
  return window.rivuletPost(url, pc);
};
window.rivuletFrames = async () => {
  const stats = await window.playPc.getStats();
  let frames = 0, keyFrames = 0, firstFrameAt;
  stats.forEach((s) => { if (s.type === 'inbound-rtp' && s.kind === 'video') { frames = s.framesDecoded || 0; keyFrames = s.keyFramesDecoded || 0; } });
  const since = (t) => (t === undefined ? undefined : t - window.playStarted);
  return { frames, keyFrames, sinceStart: performance.now() - window.playStarted, postedAt: since(window.postedAt), connectedAt: since(window.playConnected), firstFrameAt: since(window.playFirstFrame) };
};
`;

export async function openPage(browser: Browser, url: string): Promise<Page> {
  const page = await browser.newPage();
  await page.goto(url, { timeout: 10_000 });
  await page.addScriptTag({ content: PAGE_HELPERS });
  return page;
}

/** Polls the page's decoded-frame count until it passes `min`; returns the count and when the first frame arrived. */
export interface FrameProgress {
  readonly frames: number;
  readonly keyFrames: number;
  /** From the WHEP POST to the first decoded frame (polled when the page cannot time it itself). */
  readonly firstFrameMs: number | undefined;
  /** From ICE/DTLS connected to the first frame painted: what the router's key-frame replay controls. */
  readonly connectedToFrameMs: number | undefined;
  /** From the WHEP POST (after the page gathered its candidates) to the first frame painted: the join as the server sees it. */
  readonly postToFrameMs: number | undefined;
  readonly elapsedMs: number;
}

export async function waitForFrames(page: Page, min: number, timeoutMs: number): Promise<FrameProgress> {
  const start = Date.now();
  let polledFirst: number | undefined;
  for (;;) {
    const r = await page.evaluate(() =>
      (globalThis as unknown as { rivuletFrames(): Promise<{ frames: number; keyFrames: number; sinceStart: number; postedAt?: number; connectedAt?: number; firstFrameAt?: number }> }).rivuletFrames(),
    );
    const { frames, keyFrames } = r;
    if (frames > 0 && polledFirst === undefined) polledFirst = r.sinceStart;
    const firstFrameMs = r.firstFrameAt ?? polledFirst;
    const connectedToFrameMs = r.firstFrameAt !== undefined && r.connectedAt !== undefined ? r.firstFrameAt - r.connectedAt : undefined;
    const postToFrameMs = r.firstFrameAt !== undefined && r.postedAt !== undefined ? r.firstFrameAt - r.postedAt : undefined;
    if (frames > min || Date.now() - start > timeoutMs) return { frames, keyFrames, firstFrameMs, connectedToFrameMs, postToFrameMs, elapsedMs: Date.now() - start };
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** In-page answerer for a remote offer (the page plays what it receives); candidates trickle in through rivuletCandidate. */
export const PAGE_ANSWERER = `
window.rivuletAnswer = async (sdp) => {
  const pc = new RTCPeerConnection();
  const video = document.createElement('video');
  video.muted = true; video.autoplay = true; video.playsInline = true;
  document.body.appendChild(video);
  pc.ontrack = (e) => { video.srcObject = new MediaStream([e.track]); };
  window.playPc = pc;
  window.playStarted = performance.now();
  await pc.setRemoteDescription({ type: 'offer', sdp });
  await pc.setLocalDescription(await pc.createAnswer());
  await window.rivuletGathered(pc);
  return pc.localDescription.sdp;
};
window.rivuletCandidate = (c) => window.playPc && window.playPc.addIceCandidate(c).catch(() => {});
`;
