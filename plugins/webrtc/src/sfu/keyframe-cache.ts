// A publisher's packets since its last key frame (bounded), so a subscriber that has just connected
// gets a picture at once instead of waiting for a key-frame request to reach the encoder and come back.
//
// Why not rely on PLI alone: the request sent when a subscriber is answered brings a key frame while
// that subscriber's DTLS is still being set up (werift drops it), and encoders ignore a second request
// that close to the first (libwebrtc: 300 ms), so the picture used to come one whole round later.
import type { RtpPacket } from 'werift';
import type { RtpSink } from './publisher.js';

/** More than this and the cache is dropped: a long group of pictures is cheaper to restart with a PLI than to replay. */
export const KEYFRAME_CACHE_MAX_PACKETS = 512;
/** Older than this and the cache is dropped: replaying it would put the subscriber this far behind live. */
export const KEYFRAME_CACHE_MAX_AGE_MS = 600;

export class KeyframeCache implements RtpSink {
  private packets: RtpPacket[] = [];
  private keyTimestamp: number | undefined;
  private startedAt = 0;

  constructor(private readonly isKeyframeStart: (payload: Buffer) => boolean) {}

  /** Packets from the start of the last key frame to the latest one, in arrival order; empty when none is usable. */
  get replay(): readonly RtpPacket[] {
    if (this.keyTimestamp !== undefined && performance.now() - this.startedAt > KEYFRAME_CACHE_MAX_AGE_MS) this.clear();
    return this.packets;
  }

  sendRtp(packet: RtpPacket): void {
    const { timestamp } = packet.header;
    if (timestamp !== this.keyTimestamp && this.isKeyframeStart(packet.payload)) {
      this.packets = [packet];
      this.keyTimestamp = timestamp;
      this.startedAt = performance.now();
      return;
    }
    if (this.keyTimestamp === undefined) return;
    if (this.packets.length >= KEYFRAME_CACHE_MAX_PACKETS || performance.now() - this.startedAt > KEYFRAME_CACHE_MAX_AGE_MS) return this.clear();
    this.packets.push(packet);
  }

  clear(): void {
    this.packets = [];
    this.keyTimestamp = undefined;
  }
}

/** The key-frame test for a codec (`video/VP8`, `video/H264`), or undefined when there is none (audio, unknown video). */
export function keyframeDetector(mimeType: string): ((payload: Buffer) => boolean) | undefined {
  const codec = mimeType.toLowerCase();
  if (codec === 'video/vp8') return isVp8KeyframeStart;
  if (codec === 'video/h264') return isH264KeyframeStart;
  return undefined;
}

/** RFC 7741: first packet of partition 0 (S=1, PID=0) whose VP8 frame tag has the inter-frame bit clear. */
export function isVp8KeyframeStart(payload: Buffer): boolean {
  const first = payload[0];
  if (first === undefined || (first & 0x10) === 0 || (first & 0x07) !== 0) return false;
  let offset = 1;
  if (first & 0x80) {
    const x = payload[1] ?? 0;
    offset = 2;
    if (x & 0x80) offset += (payload[offset] ?? 0) & 0x80 ? 2 : 1;
    if (x & 0x40) offset++;
    if (x & 0x30) offset++;
  }
  const tag = payload[offset];
  return tag !== undefined && (tag & 0x01) === 0;
}

/** RFC 6184: a packet carrying an SPS or the start of an IDR slice, alone, in a STAP-A or as the first FU-A fragment. */
export function isH264KeyframeStart(payload: Buffer): boolean {
  const type = (payload[0] ?? 0) & 0x1f;
  if (type === 5 || type === 7) return true;
  if (type === 28) return ((payload[1] ?? 0) & 0x80) !== 0 && ((payload[1] ?? 0) & 0x1f) === 5;
  if (type !== 24) return false;
  for (let offset = 1; offset + 2 < payload.length; ) {
    const size = payload.readUInt16BE(offset);
    const nal = (payload[offset + 2] ?? 0) & 0x1f;
    if (nal === 5 || nal === 7) return true;
    offset += 2 + size;
  }
  return false;
}
