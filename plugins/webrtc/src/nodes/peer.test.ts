import gstreamer from '@rivulet/plugin-gstreamer';
import { runGraph, runNode } from '@rivulet/core/testing';
import type { Page } from 'playwright-core';
import { Subject, concat, delay, of } from 'rxjs';
import { RTCPeerConnection } from 'werift';
import { peerConfig } from '../ice.js';
import { describe, expect, it } from 'vitest';
import webrtc from '../index.js';
import { peerNode } from './peer.js';
import type { SignalMessage } from '../signal.js';
import { PAGE_ANSWERER, openPage, useChromium } from '../test-support/chromium.js';

const chrome = useChromium();

type Win = { rivuletAnswer(sdp: string): Promise<string>; rivuletCandidate(c: unknown): Promise<void>; rivuletFrames(): Promise<{ frames: number; keyFrames: number }> };

/** Relays the node's signal output to the page and the page's answer back, as a signalling server would. */
function bridge(page: Page, toNode: Subject<SignalMessage>): { relay(values: readonly unknown[]): void; frames: () => number; errors: string[] } {
  let forwarded = 0;
  let frames = 0;
  const errors: string[] = [];
  let chain = Promise.resolve();
  return {
    frames: () => frames,
    errors,
    relay(values) {
      for (; forwarded < values.length; forwarded++) {
        const m = values[forwarded] as SignalMessage;
        chain = chain.then(async () => {
          if (m.kind === 'offer') {
            const answer = await page.evaluate((sdp) => (globalThis as unknown as Win).rivuletAnswer(sdp), m.sdp ?? '');
            toNode.next({ kind: 'answer', peer: 'browser', sdp: answer });
            void (async () => {
              for (let i = 0; i < 200 && !page.isClosed(); i++) {
                frames = (await page.evaluate(() => (globalThis as unknown as Win).rivuletFrames())).frames;
                await new Promise((r) => setTimeout(r, 50));
              }
            })().catch(() => undefined);
          } else if (m.kind === 'candidate') {
            await page.evaluate((c) => (globalThis as unknown as Win).rivuletCandidate(c), m.candidate);
          } else if (m.kind === 'error') errors.push(m.reason ?? '');
        });
      }
    },
  };
}

const CODECS = [
  // One key frame in 1000 frames (33 s): the page can only decode in time if its key-frame
  // requests (RTCP PLI) reach the encoder through peer.keyframe → enc.keyframe.
  { codec: 'VP8', encoder: { type: 'gstreamer/vp8-encoder', params: { targetBitrateKbps: 300, cpuUsed: 8, keyframeMaxDist: 1000 } }, rtpmap: /a=rtpmap:\d+ VP8\/90000/ },
  {
    codec: 'H264',
    encoder: { type: 'gstreamer/x264-encoder', params: { bitrateKbps: 400, profile: 'constrained-baseline', speedPreset: 'ultrafast', keyIntMax: 1000 } },
    rtpmap: /a=fmtp:\d+ .*packetization-mode=1/,
  },
] as const;

describe('webrtc/peer', () => {
  it.each(CODECS)('sends GStreamer test video ($codec RTP from to-node) to a Chromium page that decodes it, its key-frame requests reaching the encoder', async ({ codec, encoder, rtpmap }) => {
    const page = await openPage(chrome.browser, chrome.site.url);
    await page.addScriptTag({ content: PAGE_ANSWERER });
    const signal = new Subject<SignalMessage>();
    const b = bridge(page, signal);
    try {
      const result = await runGraph(
        {
          rivulet: 1,
          id: 'peer-test',
          name: 'peer test',
          nodes: [
            { id: 'cam', type: 'gstreamer/test-video', params: { width: 320, height: 240, framerate: 30 } },
            { id: 'enc', ...encoder },
            { id: 'tn', type: 'gstreamer/to-node', params: {} },
            { id: 'peer', type: 'webrtc/peer', params: { role: 'offerer', videoCodec: codec } },
          ],
          edges: [
            { from: 'cam.out', to: 'enc.in' },
            { from: 'enc.out', to: 'tn.in' },
            { from: 'tn.out', to: 'peer.video' },
            { from: 'peer.keyframe', to: 'enc.keyframe' },
          ],
        },
        {
          plugins: [gstreamer, webrtc],
          // The page joins once the encoder's first key frame is long gone: it must ask for one.
          feed: { 'peer.signal': concat(of<SignalMessage>({ kind: 'peer-joined', peer: 'browser' }).pipe(delay(1_500)), signal) },
          collect: ['peer.signal', 'peer.keyframe'],
          until: (progress) => {
            b.relay(progress.outputs['peer.signal'] ?? []);
            return b.frames() > 30;
          },
          timeoutMs: 20_000,
        },
      );
      expect(b.frames()).toBeGreaterThan(30);
      expect(b.errors).toEqual([]);
      expect((result.outputs['peer.keyframe'] ?? []).length).toBeGreaterThan(0);
      const offer = (result.outputs['peer.signal'] as SignalMessage[]).find((m) => m.kind === 'offer');
      expect(offer?.peer).toBe('browser');
      expect(offer?.sdp).toMatch(rtpmap);
    } finally {
      signal.complete();
      await page.close();
    }
  }, 40_000);
});

describe('webrtc/peer bad input', () => {
  it('answers a malformed offer and an answer nobody asked for with an error message to that peer only', async () => {
    const result = await runNode(peerNode, {
      params: { role: 'answerer' },
      inputs: {
        signal: [
          { kind: 'answer', peer: 'mallory', sdp: 'v=0' },
          { kind: 'offer', peer: 'eve', sdp: 'not sdp at all' },
        ] satisfies SignalMessage[],
      },
      take: { signal: 2 },
      timeoutMs: 5_000,
    });
    const out = result.outputs.signal as SignalMessage[];
    expect(out.map((m) => [m.kind, m.peer])).toEqual([
      ['error', 'mallory'],
      ['error', 'eve'],
    ]);
    expect(out[0]).toMatchObject({ code: 'no-call', reason: expect.stringMatching(/no call with mallory/) });
    expect(out[1]).toMatchObject({ code: 'bad-sdp', reason: expect.stringMatching(/malformed SDP offer/) });
  });

  it('answers a second answer to one offer (stale) with a stale-answer error to that peer', async () => {
    const signal = new Subject<SignalMessage>();
    const remote = new RTCPeerConnection(peerConfig());
    let answered = false;
    try {
      const result = await runGraph(
        { rivulet: 1, id: 'stale', name: 'stale answer', nodes: [{ id: 'peer', type: 'webrtc/peer', params: { role: 'offerer', peer: 'bob' } }], edges: [] },
        {
          plugins: [webrtc],
          feed: { 'peer.signal': signal },
          collect: ['peer.signal'],
          until: (progress) => {
            const out = (progress.outputs['peer.signal'] ?? []) as SignalMessage[];
            const offer = out.find((m) => m.kind === 'offer');
            if (offer && !answered) {
              answered = true;
              void (async () => {
                await remote.setRemoteDescription({ type: 'offer', sdp: offer.sdp ?? '' });
                await remote.setLocalDescription(await remote.createAnswer());
                const sdp = remote.localDescription?.sdp ?? '';
                signal.next({ kind: 'answer', peer: 'bob', sdp });
                signal.next({ kind: 'answer', peer: 'bob', sdp });
              })();
            }
            return out.some((m) => m.kind === 'error');
          },
          timeoutMs: 10_000,
        },
      );
      const errors = (result.outputs['peer.signal'] as SignalMessage[]).filter((m) => m.kind === 'error');
      expect(errors).toEqual([{ kind: 'error', peer: 'bob', code: 'stale-answer', reason: 'answer without a pending offer (stale or duplicate)' }]);
    } finally {
      signal.complete();
      await remote.close();
    }
  }, 20_000);

  it('shows an error the remote sends back in its log and status', async () => {
    const warned = (events: readonly { type: string }[]) => events.some((e) => e.type === 'log' && (e as { level?: string }).level === 'warn');
    const result = await runGraph(
      { rivulet: 1, id: 'remote-error', name: 'remote error', nodes: [{ id: 'peer', type: 'webrtc/peer', params: { role: 'answerer' } }], edges: [] },
      {
        plugins: [webrtc],
        feed: { 'peer.signal': [{ kind: 'error', peer: 'bob', code: 'bad-sdp', reason: 'malformed SDP offer: SDP has no m= line' }] satisfies SignalMessage[] },
        until: (progress) => warned(progress.events),
        timeoutMs: 5_000,
      },
    );
    const log = result.events.find((e) => e.type === 'log' && e.level === 'warn');
    expect(log).toMatchObject({ nodeId: 'peer', message: 'bob reported bad-sdp: malformed SDP offer: SDP has no m= line' });
    expect(result.statuses['peer']?.map((s) => s.text)).toContain('bob reported bad-sdp: malformed SDP offer: SDP has no m= line');
  });
});
