// WHIP/WHEP clients made of werift peers, for tests and the benchmark.
import { MediaStreamTrack, RTCPeerConnection, RtpHeader, RtpPacket, type RTCRtpTransceiver } from 'werift';
import { peerConfig, stripMdnsCandidates } from '../ice.js';
import { isVp8KeyframeStart } from '../sfu/keyframe-cache.js';

async function post(url: string, sdp: string, token?: string): Promise<{ location: string; answer: string; headers: Headers }> {
  const res = await fetch(url, { method: 'POST', headers: { 'Content-Type': 'application/sdp', ...(token ? { Authorization: `Bearer ${token}` } : {}) }, body: sdp, signal: AbortSignal.timeout(10_000) });
  const text = await res.text();
  if (res.status !== 201) throw new Error(`${url}: HTTP ${res.status} ${text}`);
  return { location: new URL(res.headers.get('location') ?? '', url).toString(), answer: text, headers: res.headers };
}

export interface WeriftPublisher {
  readonly pc: RTCPeerConnection;
  readonly track: MediaStreamTrack;
  readonly location: string;
  readonly publisherIds: readonly string[];
  /** Writes one synthetic VP8 packet (key frame when asked) with the given sequence number. */
  send(sequenceNumber: number, timestamp: number, keyframe?: boolean): void;
  readonly plis: { count: number };
  close(): Promise<void>;
}

/** A VP8 payload: descriptor byte + a 3-byte frame tag (bit 0 clear = key frame) + filler. */
export function vp8Payload(keyframe: boolean, size = 200): Buffer {
  const payload = Buffer.alloc(size, 0x55);
  payload[0] = 0x10;
  payload[1] = keyframe ? 0x10 : 0x11;
  return payload;
}

export async function weriftWhipPublish(url: string, token?: string): Promise<WeriftPublisher> {
  const pc = new RTCPeerConnection(peerConfig());
  const track = new MediaStreamTrack({ kind: 'video' });
  const transceiver: RTCRtpTransceiver = pc.addTransceiver(track, { direction: 'sendonly' });
  const plis = { count: 0 };
  transceiver.sender.onPictureLossIndication.subscribe(() => plis.count++);
  await pc.setLocalDescription(await pc.createOffer());
  const { location, answer, headers } = await post(url, pc.localDescription?.sdp ?? '', token);
  await pc.setRemoteDescription({ type: 'answer', sdp: stripMdnsCandidates(answer) });
  return {
    pc,
    track,
    location,
    plis,
    publisherIds: (headers.get('x-rivulet-publishers') ?? '').split(',').filter(Boolean),
    send(sequenceNumber, timestamp, keyframe = false) {
      const header = new RtpHeader({ payloadType: 96, sequenceNumber, timestamp, marker: true, ssrc: 0x1234 });
      track.writeRtp(new RtpPacket(header, vp8Payload(keyframe)));
    },
    async close() {
      await fetch(location, { method: 'DELETE', headers: token ? { Authorization: `Bearer ${token}` } : {}, signal: AbortSignal.timeout(5_000) }).catch(() => undefined);
      await pc.close();
    },
  };
}

export interface WeriftSubscriber {
  readonly pc: RTCPeerConnection;
  readonly location: string;
  readonly received: RtpPacket[];
  count: number;
  /** performance.now() when the WHEP POST went out, and when the first packet / first VP8 key-frame start arrived. */
  readonly postedAt: number;
  readonly firstPacketAt: number | undefined;
  readonly firstKeyframeAt: number | undefined;
  /** Arrivals whose sequence number is not the previous one plus one (loss or reordering seen by the client). */
  readonly discontinuities: number;
  close(): Promise<void>;
}

/** Subscribes by WHEP; keeps the last `keep` packets it received. */
export async function weriftWhepSubscribe(url: string, keep = 64): Promise<WeriftSubscriber> {
  const pc = new RTCPeerConnection(peerConfig());
  pc.addTransceiver('video', { direction: 'recvonly' });
  const sub: Omit<WeriftSubscriber, 'location' | 'postedAt' | 'firstPacketAt' | 'firstKeyframeAt' | 'discontinuities'> & {
    location: string;
    postedAt: number;
    firstPacketAt: number | undefined;
    firstKeyframeAt: number | undefined;
    discontinuities: number;
  } = {
    pc,
    location: '',
    received: [],
    count: 0,
    postedAt: 0,
    firstPacketAt: undefined,
    firstKeyframeAt: undefined,
    discontinuities: 0,
    async close() {
      if (sub.location) await fetch(sub.location, { method: 'DELETE', signal: AbortSignal.timeout(5_000) }).catch(() => undefined);
      await pc.close();
    },
  };
  pc.onTrack.subscribe((track) =>
    track.onReceiveRtp.subscribe((packet) => {
      const previous = sub.received.at(-1);
      if (previous && packet.header.sequenceNumber !== ((previous.header.sequenceNumber + 1) & 0xffff)) sub.discontinuities++;
      const now = performance.now();
      sub.firstPacketAt ??= now;
      if (sub.firstKeyframeAt === undefined && isVp8KeyframeStart(packet.payload)) sub.firstKeyframeAt = now;
      sub.count++;
      sub.received.push(packet);
      if (sub.received.length > keep) sub.received.shift();
    }),
  );
  try {
    await pc.setLocalDescription(await pc.createOffer());
    sub.postedAt = performance.now();
    const { location, answer } = await post(url, pc.localDescription?.sdp ?? '');
    sub.location = location;
    await pc.setRemoteDescription({ type: 'answer', sdp: stripMdnsCandidates(answer) });
  } catch (error) {
    await pc.close();
    throw error;
  }
  return sub;
}

export async function until(check: () => boolean, timeoutMs: number, what: string): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > end) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}
