import { GenericNack, RtcpSrPacket, RtcpTransportLayerFeedback, type RtpPacket } from 'werift';
import { afterEach, describe, expect, it } from 'vitest';
import { WishServer } from '../http/wish-server.js';
import { SfuRouter } from '../sfu/router.js';
import { until, vp8Payload, weriftWhepSubscribe, weriftWhipPublish, type WeriftPublisher, type WeriftSubscriber } from '../test-support/werift-clients.js';
import { fastPathAvailable, ntpTimestamp, weriftVersion } from './fast-path.js';

let router: SfuRouter | undefined;
let server: WishServer | undefined;
const clients: (WeriftPublisher | WeriftSubscriber)[] = [];
afterEach(async () => {
  await Promise.allSettled(clients.splice(0).map((c) => c.close()));
  await server?.close();
  await router?.close();
  router = undefined;
  server = undefined;
});

/**
 * A werift publisher and subscriber connected through a router; once packets reach the subscriber (the router's side
 * of DTLS can finish after the client's), `count` more are forwarded. `paths` counts how those `count` left the router.
 */
async function forwarded(count: number): Promise<{ pub: WeriftPublisher; sub: WeriftSubscriber; router: SfuRouter; paths: { fast: number; werift: number } }> {
  const r = (router = new SfuRouter());
  server = new WishServer(r);
  const { url } = await server.listen();
  const pub = await weriftWhipPublish(`${url}/whip`);
  clients.push(pub);
  const sub = await weriftWhepSubscribe(`${url}/whep/${pub.publisherIds[0]!}`, 256);
  clients.push(sub);
  await until(() => sub.pc.connectionState === 'connected' && pub.pc.connectionState === 'connected', 10_000, 'both peers connected');
  let seq = 2000;
  const deadline = Date.now() + 5_000;
  while (sub.count === 0 && Date.now() < deadline) {
    pub.send(seq, seq * 3000, true);
    seq++;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  await new Promise((resolve) => setTimeout(resolve, 50));
  const before = { ...r.sendPaths };
  const received = sub.count;
  for (let i = 0; i < count; i++) {
    pub.send(seq, seq * 3000);
    seq++;
    if (i % 10 === 9) await new Promise((resolve) => setTimeout(resolve, 5));
  }
  await until(() => sub.count >= received + count, 5_000, `${count} packets at the subscriber`);
  const after = r.sendPaths;
  return { pub, sub, router: r, paths: { fast: after.fast - before.fast, werift: after.werift - before.werift } };
}

describe('SFU fast path on werift', () => {
  it('knows the installed werift: an upgrade must be checked against the internals fast-path.ts uses', () => {
    expect(weriftVersion).toMatch(/^0\.25\./);
    expect(fastPathAvailable).toBe(true);
  });

  it('forwards every packet on the fast path, re-encrypted so a werift subscriber reads the same payload under the sender’s SSRC', async () => {
    const { sub, paths } = await forwarded(120);
    expect(paths).toEqual({ fast: 120, werift: 0 });
    const last = sub.received.slice(-100);
    expect(last.every((p) => p.header.ssrc === last[0]!.header.ssrc && p.header.ssrc !== 0x1234 && p.header.payloadType === 96)).toBe(true);
    expect(last.slice(1).every((p, i) => p.header.sequenceNumber === ((last[i]!.header.sequenceNumber + 1) & 0xffff))).toBe(true);
    expect(last.slice(1).every((p, i) => p.header.timestamp - last[i]!.header.timestamp === 3000)).toBe(true);
    expect(last.every((p) => p.payload.equals(vp8Payload(false)) && !p.header.extension)).toBe(true);
  });

  it('answers a subscriber’s NACK from the fast path’s history with the same packet', async () => {
    const { sub } = await forwarded(40);
    const wanted = sub.received.at(-5)!;
    const before = sub.count;
    const transceiver = sub.pc.getTransceivers()[0]!;
    const nack = new GenericNack({ senderSsrc: transceiver.receiver.rtcpSsrc, mediaSourceSsrc: wanted.header.ssrc, lost: [wanted.header.sequenceNumber] });
    await transceiver.receiver.dtlsTransport.sendRtcp([new RtcpTransportLayerFeedback({ feedback: nack })]);
    await until(() => sub.count > before, 3_000, 'the retransmission');
    const again: RtpPacket = sub.received.at(-1)!;
    expect(again.header.sequenceNumber).toBe(wanted.header.sequenceNumber);
    expect(again.header.timestamp).toBe(wanted.header.timestamp);
    expect(again.payload.equals(wanted.payload)).toBe(true);
  });

  it('sends RTCP sender reports with the packets sent and an NTP time of now', async () => {
    const { sub } = await forwarded(50);
    const reports: RtcpSrPacket[] = [];
    sub.pc.getTransceivers()[0]!.receiver.onRtcp.subscribe((packet) => {
      if (packet instanceof RtcpSrPacket) reports.push(packet);
    });
    await until(() => reports.length > 0, 4_000, 'a sender report');
    const info = reports[0]!.senderInfo;
    expect(info.packetCount).toBeGreaterThanOrEqual(50);
    // The NTP/RTP pair of one of the packets sent (refreshed every 10 ms), not a made-up timestamp.
    expect(sub.received.map((p) => p.header.timestamp)).toContain(info.rtpTimestamp);
    const unixSeconds = Number(info.ntpTimestamp >> 32n) - 2_208_988_800;
    expect(Math.abs(unixSeconds - Date.now() / 1000)).toBeLessThan(5);
  });

  it('writes NTP timestamps as seconds since 1900 and a binary fraction', () => {
    expect(ntpTimestamp(Date.UTC(2000, 0, 1))).toBe(3_155_673_600n << 32n);
    expect(ntpTimestamp(Date.UTC(2000, 0, 1) + 500)).toBe((3_155_673_600n << 32n) | 0x8000_0000n);
  });
});
