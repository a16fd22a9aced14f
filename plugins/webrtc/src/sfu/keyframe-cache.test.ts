import { RtpHeader, RtpPacket } from 'werift';
import { describe, expect, it } from 'vitest';
import { vp8Payload } from '../test-support/werift-clients.js';
import { KEYFRAME_CACHE_MAX_PACKETS, KeyframeCache, isH264KeyframeStart, isVp8KeyframeStart } from './keyframe-cache.js';

const packet = (sequenceNumber: number, timestamp: number, payload: Buffer) => new RtpPacket(new RtpHeader({ sequenceNumber, timestamp, payloadType: 96 }), payload);

describe('key-frame detection', () => {
  it('finds a VP8 key frame at the start of partition 0, with or without the extended descriptor', () => {
    expect(isVp8KeyframeStart(vp8Payload(true))).toBe(true);
    expect(isVp8KeyframeStart(vp8Payload(false))).toBe(false);
    // X=1, I=1 with a 15-bit picture id (M=1), then the frame tag of a key frame.
    expect(isVp8KeyframeStart(Buffer.from([0x90, 0x80, 0x81, 0x23, 0x10, 0x02, 0x00]))).toBe(true);
    expect(isVp8KeyframeStart(Buffer.from([0x90, 0x80, 0x81, 0x23, 0x11, 0x02, 0x00]))).toBe(false);
    // A continuation packet (S=0) is never a start.
    expect(isVp8KeyframeStart(Buffer.from([0x00, 0x10, 0x00]))).toBe(false);
  });

  it('finds an H.264 key frame in a single SPS or IDR NAL, a STAP-A holding one, or the first FU-A fragment of an IDR', () => {
    expect(isH264KeyframeStart(Buffer.from([0x67, 0x42]))).toBe(true);
    expect(isH264KeyframeStart(Buffer.from([0x65, 0x88]))).toBe(true);
    expect(isH264KeyframeStart(Buffer.from([0x41, 0x9a]))).toBe(false);
    expect(isH264KeyframeStart(Buffer.from([0x78, 0x00, 0x02, 0x09, 0xf0, 0x00, 0x02, 0x67, 0x42]))).toBe(true);
    expect(isH264KeyframeStart(Buffer.from([0x7c, 0x85, 0x88]))).toBe(true);
    expect(isH264KeyframeStart(Buffer.from([0x7c, 0x05, 0x88]))).toBe(false);
  });
});

describe('KeyframeCache', () => {
  it('holds the packets from the last key frame on and starts over at the next one', () => {
    const cache = new KeyframeCache(isVp8KeyframeStart);
    cache.sendRtp(packet(1, 0, vp8Payload(false)));
    expect(cache.replay).toHaveLength(0);
    cache.sendRtp(packet(2, 3000, vp8Payload(true)));
    cache.sendRtp(packet(3, 3000, vp8Payload(false, 50)));
    cache.sendRtp(packet(4, 6000, vp8Payload(false)));
    expect(cache.replay.map((p) => p.header.sequenceNumber)).toEqual([2, 3, 4]);
    cache.sendRtp(packet(5, 9000, vp8Payload(true)));
    expect(cache.replay.map((p) => p.header.sequenceNumber)).toEqual([5]);
  });

  it('drops a group of pictures too long to replay and waits for the next key frame', () => {
    const cache = new KeyframeCache(isVp8KeyframeStart);
    cache.sendRtp(packet(0, 0, vp8Payload(true)));
    for (let i = 1; i <= KEYFRAME_CACHE_MAX_PACKETS; i++) cache.sendRtp(packet(i, i * 3000, vp8Payload(false)));
    expect(cache.replay).toHaveLength(0);
    cache.sendRtp(packet(1000, 1, vp8Payload(false)));
    expect(cache.replay).toHaveLength(0);
  });
});
