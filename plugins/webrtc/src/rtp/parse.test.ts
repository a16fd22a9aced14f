import { randomBytes } from 'node:crypto';
import { RtpHeader, RtpPacket } from 'werift';
import { describe, expect, it } from 'vitest';
import { parseRtp } from './parse.js';

function plain(packet: RtpPacket): unknown {
  return { header: { ...packet.header }, payload: packet.payload.toString('hex') };
}

describe('parseRtp', () => {
  it('gives the same header fields and payload as werift for CSRCs, one- and two-byte extensions, padding and marker bits', () => {
    const cases: Buffer[] = [];
    cases.push(new RtpPacket(new RtpHeader({ payloadType: 96, sequenceNumber: 65_535, timestamp: 0xffff_ffff, ssrc: 1, marker: true }), randomBytes(50)).serialize());
    cases.push(new RtpPacket(new RtpHeader({ payloadType: 111, sequenceNumber: 7, timestamp: 8, ssrc: 0xdead_beef, csrc: [1, 2, 3] }), randomBytes(20)).serialize());
    const oneByte = new RtpHeader({ payloadType: 96, sequenceNumber: 1, timestamp: 2, ssrc: 3, extensions: [{ id: 1, payload: Buffer.from([1]) }, { id: 3, payload: Buffer.from([1, 2, 3]) }] });
    cases.push(new RtpPacket(oneByte, randomBytes(30)).serialize());
    const twoByte = new RtpHeader({ payloadType: 96, sequenceNumber: 1, timestamp: 2, ssrc: 3, extensionProfile: 0x1000 as RtpHeader['extensionProfile'], extensions: [{ id: 20, payload: Buffer.from([9, 9]) }] });
    cases.push(new RtpPacket(twoByte, randomBytes(30)).serialize());
    const other = new RtpHeader({ payloadType: 96, sequenceNumber: 1, timestamp: 2, ssrc: 3, extensionProfile: 0x1234 as RtpHeader['extensionProfile'], extensions: [{ id: 0, payload: Buffer.from([1, 2, 3, 4]) }] });
    cases.push(new RtpPacket(other, randomBytes(30)).serialize());
    const padded = new RtpPacket(new RtpHeader({ payloadType: 96, sequenceNumber: 1, timestamp: 2, ssrc: 3, padding: true, paddingSize: 4 }), randomBytes(10)).serialize();
    cases.push(padded);
    for (const bytes of cases) expect(plain(parseRtp(bytes))).toEqual(plain(RtpPacket.deSerialize(bytes)));
  });

  it('throws on a packet shorter than its header says', () => {
    const bytes = new RtpPacket(new RtpHeader({ payloadType: 96, sequenceNumber: 1, timestamp: 2, ssrc: 3, csrc: [1, 2] }), Buffer.alloc(0)).serialize();
    expect(() => parseRtp(bytes.subarray(0, 16))).toThrow(RangeError);
  });
});
