import { createSocket } from 'node:dgram';
import { readdirSync } from 'node:fs';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { afterEach, describe, expect, it } from 'vitest';
import { SfuRouter } from '../sfu/router.js';
import type { SubscribeTransport } from '../sfu/subscribe-transport.js';
import { until, weriftWhepSubscribe, weriftWhipPublish, type WeriftPublisher } from '../test-support/werift-clients.js';
import { RTCPeerConnection } from 'werift';
import { peerConfig, stripMdnsCandidates } from '../ice.js';
import { WishServer, type WishServerOptions } from './wish-server.js';

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

async function start(token?: string, options: WishServerOptions = {}): Promise<string> {
  router = new SfuRouter();
  server = new WishServer(router, { ...options, ...(token ? { token } : {}) });
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
    const patch = await fetch(`${url}/whip/x`, { method: 'PATCH', headers: { 'Content-Type': 'application/trickle-ice-sdpfrag' }, body: 'a=end-of-candidates' });
    expect(patch.status).toBe(404);
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

const SDPFRAG = 'application/trickle-ice-sdpfrag';

function patch(url: string, body: string, headers: Record<string, string> = {}): Promise<Response> {
  return fetch(url, { method: 'PATCH', headers: { 'Content-Type': SDPFRAG, ...headers }, body, signal: AbortSignal.timeout(5_000) });
}

/** A werift WHEP player that posts its offer without candidates and trickles them by PATCH, as browsers do. */
async function trickleSubscriber(url: string): Promise<{ pc: RTCPeerConnection; location: string; headers: Headers; patches: number[]; count: () => number; close(): Promise<void> }> {
  const pc = new RTCPeerConnection(peerConfig());
  pc.addTransceiver('video', { direction: 'recvonly' });
  let count = 0;
  pc.onTrack.subscribe((track) => track.onReceiveRtp.subscribe(() => count++));
  await pc.setLocalDescription(await pc.createOffer());
  const full = pc.localDescription?.sdp ?? '';
  const lines = full.split('\r\n');
  const offer = lines.filter((l) => !l.startsWith('a=candidate:') && l !== 'a=end-of-candidates').join('\r\n');
  const res = await fetch(url, { method: 'POST', headers: { 'Content-Type': 'application/sdp' }, body: offer, signal: AbortSignal.timeout(5_000) });
  const answer = await res.text();
  if (res.status !== 201) throw new Error(`HTTP ${res.status} ${answer}`);
  const location = new URL(res.headers.get('location') ?? '', url).toString();
  const session = { pc, location, headers: res.headers, patches: [] as number[], count: () => count, close: async () => {
    await fetch(location, { method: 'DELETE', signal: AbortSignal.timeout(5_000) }).catch(() => undefined);
    await pc.close();
  } };
  await pc.setRemoteDescription({ type: 'answer', sdp: stripMdnsCandidates(answer) });
  const credentials = lines.filter((l) => l.startsWith('a=ice-ufrag:') || l.startsWith('a=ice-pwd:')).slice(0, 2);
  const mid = lines.find((l) => l.startsWith('a=mid:')) ?? 'a=mid:0';
  // One PATCH per candidate, then one for the end of candidates, with the ETag naming the ICE session.
  for (const candidate of lines.filter((l) => l.startsWith('a=candidate:'))) {
    const r = await patch(location, [...credentials, 'm=video 9 UDP/TLS/RTP/SAVPF 0', mid, candidate, ''].join('\r\n'), { 'If-Match': res.headers.get('etag') ?? '' });
    session.patches.push(r.status);
  }
  session.patches.push((await patch(location, [...credentials, 'm=video 9 UDP/TLS/RTP/SAVPF 0', mid, 'a=end-of-candidates', ''].join('\r\n'))).status);
  return session;
}

describe('WHIP/WHEP trickle ICE (PATCH)', () => {
  it('takes the candidates a client trickles by PATCH (204 each) and the media flows; the POST answer offers the PATCH and names no ICE server when none is set', async () => {
    const url = await start();
    const { pub } = await publishing(url);
    const sub = await trickleSubscriber(`${url}/whep/${pub.publisherIds[0]!}`);
    clients.push(sub);
    expect(sub.headers.get('accept-patch')).toBe(SDPFRAG);
    expect(sub.headers.get('etag')).toMatch(/^".+"$/);
    expect(sub.headers.get('link')).toBeNull();
    expect(sub.patches.length).toBeGreaterThan(1);
    expect(new Set(sub.patches)).toEqual(new Set([204]));
    expect(server!.trickledCandidates).toBe(sub.patches.length - 1);
    await until(() => sub.count() > 20, 10_000, 'media to the trickling subscriber');
  }, 20_000);

  it('refuses a wrong content type (415), an unknown session (404), a malformed fragment (400 with the line), an ICE restart (422) and a stale If-Match (412), and the session keeps flowing', async () => {
    const url = await start();
    const { pub } = await publishing(url);
    const sub = await trickleSubscriber(`${url}/whep/${pub.publisherIds[0]!}`);
    clients.push(sub);
    await until(() => sub.count() > 10, 10_000, 'media before the bad PATCHes');
    const wrongType = await fetch(sub.location, { method: 'PATCH', headers: { 'Content-Type': 'application/sdp' }, body: 'a=end-of-candidates' });
    expect(wrongType.status).toBe(415);
    expect(await wrongType.text()).toMatch(/^unsupported-media-type: .*trickle-ice-sdpfrag/);
    const unknown = await patch(`${url}/whep/${pub.publisherIds[0]!}/nobody`, 'a=end-of-candidates');
    expect(unknown.status).toBe(404);
    const malformed = await patch(sub.location, 'a=mid:0\r\na=candidate:garbage here\r\n');
    expect(malformed.status).toBe(400);
    expect(await malformed.text()).toMatch(/^bad-sdpfrag: .*line 2 is not an ICE candidate/);
    expect((await patch(sub.location, 'hello')).status).toBe(400);
    const restart = await patch(sub.location, 'a=ice-ufrag:newU\r\na=ice-pwd:newpasswordnewpassword12\r\nm=video 9 UDP/TLS/RTP/SAVPF 0\r\na=mid:0\r\n', { 'If-Match': '*' });
    expect(restart.status).toBe(422);
    expect(await restart.text()).toMatch(/^ice-restart-unsupported: /);
    const stale = await patch(sub.location, 'a=end-of-candidates', { 'If-Match': '"not-this-one"' });
    expect(stale.status).toBe(412);
    const before = sub.count();
    await until(() => sub.count() > before + 20, 5_000, 'media after the bad PATCHes');
    expect(server!.sessions).toEqual({ publish: 1, subscribe: 1 });
  }, 20_000);

  it('announces configured ICE servers as Link headers on a new session, with TURN credentials', async () => {
    const url = await start(undefined, { iceServers: [{ urls: 'stun:127.0.0.1:3478' }, { urls: 'turn:127.0.0.1:3478?transport=udp', username: 'ann', credential: 's"cret' }] });
    const pub = await weriftWhipPublish(`${url}/whip`);
    clients.push(pub);
    const res = await fetch(`${url}/whep/${pub.publisherIds[0]!}`, { method: 'POST', headers: { 'Content-Type': 'application/sdp' }, body: await recvonlyOffer(), signal: AbortSignal.timeout(5_000) });
    expect(res.status).toBe(201);
    await res.text();
    clients.push({ close: async () => void (await fetch(new URL(res.headers.get('location') ?? '', url), { method: 'DELETE' })) });
    expect(res.headers.get('link')).toBe('<stun:127.0.0.1:3478>; rel="ice-server", <turn:127.0.0.1:3478?transport=udp>; rel="ice-server"; username="ann"; credential="s\\"cret"; credential-type="password"');
  }, 20_000);

  it('answers PATCH with 405 when trickle is turned off', async () => {
    const url = await start(undefined, { trickle: false });
    const pub = await weriftWhipPublish(`${url}/whip`);
    clients.push(pub);
    expect((await patch(pub.location, 'a=end-of-candidates')).status).toBe(405);
  }, 20_000);
});

async function recvonlyOffer(): Promise<string> {
  const pc = new RTCPeerConnection(peerConfig());
  pc.addTransceiver('video', { direction: 'recvonly' });
  await pc.setLocalDescription(await pc.createOffer());
  const sdp = pc.localDescription?.sdp ?? '';
  await pc.close();
  return sdp;
}

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
