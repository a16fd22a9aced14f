import { createSocket } from 'node:dgram';
import { readdirSync } from 'node:fs';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { afterEach, describe, expect, it } from 'vitest';
import { SfuRouter } from '../sfu/router.js';
import type { SubscribeTransport } from '../sfu/subscribe-transport.js';
import { until, weriftWhepSubscribe, weriftWhipPublish, type WeriftPublisher } from '../test-support/werift-clients.js';
import { WishServer } from './wish-server.js';

let router: SfuRouter | undefined;
let server: WishServer | undefined;
const clients: { close(): Promise<void> }[] = [];
afterEach(async () => {
  await Promise.allSettled(clients.splice(0).map((c) => c.close()));
  await server?.close();
  await router?.close();
  router = undefined;
  server = undefined;
});

async function start(token?: string): Promise<string> {
  router = new SfuRouter();
  server = new WishServer(router, token ? { token } : {});
  return (await server.listen()).url;
}

async function postSdp(url: string, body: string, headers: Record<string, string> = {}): Promise<{ status: number; text: string }> {
  const res = await fetch(url, { method: 'POST', headers: { 'Content-Type': 'application/sdp', ...headers }, body, signal: AbortSignal.timeout(5_000) });
  return { status: res.status, text: await res.text() };
}

async function publishing(url: string): Promise<{ pub: WeriftPublisher; timer: ReturnType<typeof setInterval> }> {
  const pub = await weriftWhipPublish(`${url}/whip`);
  clients.push(pub);
  let seq = 0;
  const timer = setInterval(() => pub.send(seq & 0xffff, seq++ * 3000, seq % 30 === 1), 10);
  clients.push({ close: async () => clearInterval(timer) });
  return { pub, timer };
}

describe('WHIP/WHEP bad input', () => {
  it('answers malformed SDP, a wrong content type and an unknown publisher with 400 and a reason, while a running session keeps flowing', async () => {
    const url = await start();
    const { pub } = await publishing(url);
    const sub = await weriftWhepSubscribe(`${url}/whep/${pub.publisherIds[0]!}`);
    clients.push(sub);
    await until(() => sub.count > 10, 10_000, 'media before the bad requests');

    const garbage = await postSdp(`${url}/whip`, 'hello, I am not SDP');
    expect(garbage.status).toBe(400);
    expect(garbage.text).toMatch(/^bad-sdp: .*v=0/);
    const truncated = await postSdp(`${url}/whip`, 'v=0\r\no=- 1 1 IN IP4 0.0.0.0\r\nm=video 9 UDP/TLS/RTP/SAVPF 96\r\n');
    expect(truncated.status).toBe(400);
    expect(truncated.text).toMatch(/fingerprint/);
    const wrongType = await fetch(`${url}/whip`, { method: 'POST', headers: { 'Content-Type': 'text/plain' }, body: 'v=0' });
    expect(wrongType.status).toBe(400);
    await expect(weriftWhepSubscribe(`${url}/whep/nobody`)).rejects.toThrow(/HTTP 400 unknown-publisher: .*"nobody"/);
    const patch = await fetch(`${url}/whip/x`, { method: 'PATCH', headers: { 'Content-Type': 'application/trickle-ice-sdpfrag' }, body: 'a=x' });
    expect(patch.status).toBe(405);
    expect((await fetch(`${url}/whip/unknown`, { method: 'DELETE' })).status).toBe(404);

    const before = sub.count;
    await until(() => sub.count > before + 20, 5_000, 'media after the bad requests');
    expect(server!.sessions).toEqual({ publish: 1, subscribe: 1 });
    expect(router!.stats.publishTransports).toBe(1);
    expect(router!.stats.subscribeTransports).toBe(1);
  }, 20_000);

  it('ignores RTP garbage sprayed at the publish port and keeps forwarding', async () => {
    const url = await start();
    const { pub } = await publishing(url);
    const sub = await weriftWhepSubscribe(`${url}/whep/${pub.publisherIds[0]!}`);
    clients.push(sub);
    await until(() => sub.count > 10, 10_000, 'media before the garbage');
    const answer = pub.pc.remoteDescription?.sdp ?? '';
    const port = Number(/a=candidate:\S+ 1 udp \d+ 127\.0\.0\.1 (\d+)/i.exec(answer)?.[1]);
    expect(port).toBeGreaterThan(0);
    const socket = createSocket('udp4');
    try {
      for (let i = 0; i < 200; i++) {
        const junk = Buffer.alloc(100 + (i % 50), i);
        junk[0] = 0x80 | (i & 0x3f); // looks like RTP/RTCP or DTLS depending on i
        junk[1] = i % 2 ? 96 : 200;
        socket.send(junk, port, '127.0.0.1');
      }
    } finally {
      socket.close();
    }
    const before = sub.count;
    await until(() => sub.count > before + 30, 5_000, 'media after the garbage');
  }, 20_000);

  it('refuses POST without the bearer token when one is set', async () => {
    const url = await start('s3cret');
    const res = await postSdp(`${url}/whip`, 'v=0');
    expect(res.status).toBe(401);
    expect(res.text).toMatch(/unauthorized/);
    const pub = await weriftWhipPublish(`${url}/whip`, 's3cret');
    clients.push(pub);
    expect(pub.publisherIds).toHaveLength(1);
  });

  it('refuses an answer for a stale offer and keeps the transport usable', async () => {
    await start();
    const url = server!.url;
    const { pub } = await publishing(url);
    const transport = router!.createSubscribeTransport();
    clients.push(transport);
    const first = await transport.subscribe(pub.publisherIds[0]!);
    await expect(transport.setAnswer('v=0', first.version - 1)).rejects.toMatchObject({ code: 'stale-answer', status: 400 });
    await expect(transport.setAnswer('nonsense', first.version)).rejects.toMatchObject({ code: 'bad-sdp' });
    expect(transport.closed).toBe(false);
  });
});

describe('WHEP late subscribers', () => {
  it('gives each of four subscribers joining a running stream a key frame within 1 s of its POST, continuous with the live packets after it', async () => {
    const url = await start();
    const pub = await weriftWhipPublish(`${url}/whip`);
    clients.push(pub);
    // Like libwebrtc's encoder: a key frame at the start and on PLI, at most one per 300 ms, otherwise none.
    let seq = 0;
    let handled = 0;
    let lastKey = -Infinity;
    const timer = setInterval(() => {
      const now = performance.now();
      const key = seq === 0 || (pub.plis.count > handled && now - lastKey >= 300);
      if (key) {
        handled = pub.plis.count;
        lastKey = now;
      }
      // Two packets per frame, so a replayed key frame spans more than one packet.
      pub.send(seq++ & 0xffff, seq * 1500, key);
      pub.send(seq++ & 0xffff, seq * 1500 - 1500, false);
    }, 20);
    clients.push({ close: async () => clearInterval(timer) });
    const id = pub.publisherIds[0]!;
    const joins: number[] = [];
    for (let i = 0; i < 4; i++) {
      await new Promise((r) => setTimeout(r, 400));
      const sub = await weriftWhepSubscribe(`${url}/whep/${id}`, 1_000);
      clients.push(sub);
      await until(() => sub.firstKeyframeAt !== undefined, 2_000, `subscriber ${i}: a key frame`);
      await until(() => sub.count > 50, 3_000, `subscriber ${i}: live packets after the key frame`);
      joins.push((sub.firstKeyframeAt ?? Infinity) - sub.postedAt);
      expect(sub.firstKeyframeAt).toBe(sub.firstPacketAt);
      expect(sub.discontinuities).toBe(0);
    }
    console.info(`[sfu late join] werift WHEP POST → first key frame ${joins.map((ms) => Math.round(ms)).join(', ')} ms; PLIs at the publisher ${pub.plis.count}`);
    for (const ms of joins) expect(ms).toBeLessThan(1_000);
  }, 30_000);
});

describe('WHEP subscriber churn', () => {
  it('leaves no open sockets, sessions or transports behind after 200 connect/disconnect cycles', async () => {
    setFlagsFromString('--expose-gc');
    const gc = runInNewContext('gc') as () => void;
    const url = await start();
    const { pub } = await publishing(url);
    const id = pub.publisherIds[0]!;
    const live = new Set<WeakRef<SubscribeTransport>>();
    const create = router!.createSubscribeTransport.bind(router);
    router!.createSubscribeTransport = () => {
      const t = create();
      live.add(new WeakRef(t));
      return t;
    };
    const fds = () => readdirSync('/proc/self/fd').length;
    // Warm-up: the first cycles open lasting things (DNS cache, undici pool) that are not leaks.
    for (let i = 0; i < 5; i++) {
      const sub = await weriftWhepSubscribe(`${url}/whep/${id}`);
      await until(() => sub.count > 0, 5_000, 'media');
      await sub.close();
    }
    await new Promise((r) => setTimeout(r, 300));
    const fdsBefore = fds();
    for (let i = 0; i < 200; i++) {
      const sub = await weriftWhepSubscribe(`${url}/whep/${id}`);
      await until(() => sub.pc.connectionState === 'connected', 5_000, `cycle ${i} connected`);
      await sub.close();
    }
    await new Promise((r) => setTimeout(r, 500));
    gc();
    await new Promise((r) => setTimeout(r, 100));
    gc();
    const fdsAfter = fds();
    const alive = [...live].filter((r) => r.deref() !== undefined).length;
    console.info(`[sfu churn] fds ${fdsBefore} → ${fdsAfter}; subscribe transports still reachable ${alive}/${live.size}`);
    expect(server!.sessions.subscribe).toBe(0);
    expect(router!.stats.subscribeTransports).toBe(0);
    expect(pub.publisherIds.map((p) => router!.publisher(p)?.sinkCount)).toEqual([0]);
    expect(fdsAfter - fdsBefore).toBeLessThanOrEqual(4);
    expect(alive).toBeLessThanOrEqual(5);
  }, 120_000);
});
