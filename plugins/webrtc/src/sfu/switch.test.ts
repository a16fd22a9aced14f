import { RTCPeerConnection } from 'werift';
import { afterEach, describe, expect, it } from 'vitest';
import { peerConfig } from '../ice.js';
import { WishServer } from '../http/wish-server.js';
import { until, weriftWhipPublish, type WeriftPublisher } from '../test-support/werift-clients.js';
import { SfuRouter } from './router.js';
import type { SubscribeTransport } from './subscribe-transport.js';

let router: SfuRouter | undefined;
let server: WishServer | undefined;
const closers: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  await Promise.allSettled(closers.splice(0).map((c) => c()));
  await server?.close();
  await router?.close();
});

/** A werift client for a seed-style subscribe transport: answers the server's offers, counts RTP. */
async function seedSubscriber(transport: SubscribeTransport, id: string) {
  const pc = new RTCPeerConnection(peerConfig());
  closers.push(() => pc.close());
  const seqs: number[] = [];
  pc.onTrack.subscribe((t) => t.onReceiveRtp.subscribe((p) => seqs.push(p.header.sequenceNumber)));
  const answer = async (offer: { sdp: string; version: number }) => {
    await pc.setRemoteDescription({ type: 'offer', sdp: offer.sdp });
    await pc.setLocalDescription(await pc.createAnswer());
    await transport.setAnswer(pc.localDescription?.sdp ?? '', offer.version);
  };
  await answer(await transport.subscribe(id));
  return { pc, seqs, answer };
}

function streaming(pub: WeriftPublisher, firstSeq: number) {
  let seq = firstSeq;
  const timer = setInterval(() => pub.send(seq & 0xffff, (seq++ * 3000) >>> 0, seq % 30 === 0), 5);
  closers.push(async () => clearInterval(timer));
}

describe('subscribe transport', () => {
  it('switches a subscriber to another publisher with one continuous sequence and asks the new one for a key frame', async () => {
    router = new SfuRouter();
    server = new WishServer(router);
    const { url } = await server.listen();
    const a = await weriftWhipPublish(`${url}/whip`);
    const b = await weriftWhipPublish(`${url}/whip`);
    closers.push(() => a.close(), () => b.close());
    streaming(a, 100);
    streaming(b, 50_000);
    const transport = router.createSubscribeTransport();
    const sub = await seedSubscriber(transport, a.publisherIds[0]!);
    await until(() => sub.seqs.length > 40, 10_000, 'packets from A');
    const plisBefore = b.plis.count;
    const mark = sub.seqs.length;
    transport.switchPublisher(a.publisherIds[0]!, b.publisherIds[0]!);
    await until(() => sub.seqs.length > mark + 40 && transport.consumerList[0]?.publisher?.id === b.publisherIds[0], 5_000, 'packets from B');
    const around = sub.seqs.slice(mark - 10, mark + 30);
    expect(around.slice(1).every((s, i) => s === ((around[i]! + 1) & 0xffff))).toBe(true);
    await until(() => b.plis.count > plisBefore, 2_000, 'PLI at publisher B');
  }, 20_000);

  it('renegotiates when a subscribed publisher leaves, and refuses an answer to the superseded offer', async () => {
    router = new SfuRouter();
    server = new WishServer(router);
    const { url } = await server.listen();
    const a = await weriftWhipPublish(`${url}/whip`);
    closers.push(() => a.close());
    streaming(a, 1);
    const transport = router.createSubscribeTransport();
    const sub = await seedSubscriber(transport, a.publisherIds[0]!);
    await until(() => sub.seqs.length > 10, 10_000, 'packets');
    const renegotiated = new Promise<{ sdp: string; version: number }>((resolve) => transport.onNegotiationNeeded(resolve));
    await a.close();
    const offer = await renegotiated;
    expect(offer.version).toBe(2);
    expect(offer.sdp).toMatch(/a=inactive/);
    await expect(transport.setAnswer('v=0', 1)).rejects.toMatchObject({ code: 'stale-answer' });
    await sub.answer(offer);
    expect(router.stats.publishers).toBe(0);
  }, 20_000);
});
