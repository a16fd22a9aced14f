// WHIP/WHEP clients made of werift peers, for tests and the benchmark.
import { MediaStreamTrack, RTCPeerConnection, RtpHeader, RtpPacket, type RTCRtpTransceiver } from 'werift';
import { peerConfig, stripMdnsCandidates } from '../ice.js';

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
  close(): Promise<void>;
}

/** Subscribes by WHEP; keeps the last `keep` packets it received. */
export async function weriftWhepSubscribe(url: string, keep = 64): Promise<WeriftSubscriber> {
  const pc = new RTCPeerConnection(peerConfig());
  pc.addTransceiver('video', { direction: 'recvonly' });
  const sub: { pc: RTCPeerConnection; location: string; received: RtpPacket[]; count: number; close(): Promise<void> } = {
    pc,
    location: '',
    received: [],
    count: 0,
    async close() {
      if (sub.location) await fetch(sub.location, { method: 'DELETE', signal: AbortSignal.timeout(5_000) }).catch(() => undefined);
      await pc.close();
    },
  };
  pc.onTrack.subscribe((track) =>
    track.onReceiveRtp.subscribe((packet) => {
      sub.count++;
      sub.received.push(packet);
      if (sub.received.length > keep) sub.received.shift();
    }),
  );
  try {
    await pc.setLocalDescription(await pc.createOffer());
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
