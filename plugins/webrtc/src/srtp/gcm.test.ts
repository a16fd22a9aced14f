import { randomBytes } from 'node:crypto';
import { ProtectionProfileAeadAes128Gcm, RtpHeader, SrtpSession } from 'werift';
import { describe, expect, it } from 'vitest';
import { GCM_TAG_LENGTH, SrtpGcm, rtpHeaderLength } from './gcm.js';

/** Two werift SRTP sessions facing each other (a's local keys are b's remote ones), AES-GCM. */
function sessions(): { a: SrtpSession; b: SrtpSession } {
  const k1 = randomBytes(16);
  const s1 = randomBytes(12);
  const k2 = randomBytes(16);
  const s2 = randomBytes(12);
  const a = new SrtpSession({ keys: { localMasterKey: k1, localMasterSalt: s1, remoteMasterKey: k2, remoteMasterSalt: s2 }, profile: ProtectionProfileAeadAes128Gcm });
  const b = new SrtpSession({ keys: { localMasterKey: k2, localMasterSalt: s2, remoteMasterKey: k1, remoteMasterSalt: s1 }, profile: ProtectionProfileAeadAes128Gcm });
  return { a, b };
}

function ours(session: SrtpSession, side: 'localContext' | 'remoteContext'): SrtpGcm {
  const ctx = session[side];
  return new SrtpGcm(ctx.srtpSessionKey, ctx.srtpSessionSalt);
}

function protect(gcm: SrtpGcm, header: RtpHeader, payload: Buffer, roc: number): Buffer {
  const head = header.serialize(header.serializeSize);
  const out = Buffer.alloc(head.length + payload.length + GCM_TAG_LENGTH);
  head.copy(out);
  gcm.protectInto(out, head.length, payload, header.ssrc, header.sequenceNumber, roc);
  return out;
}

describe('SRTP AEAD_AES_128_GCM', () => {
  it('produces the same bytes as werift for the same keys, header and payload', () => {
    const { a } = sessions();
    const gcm = ours(a, 'localContext');
    for (const [seq, csrc] of [
      [1, []],
      [65_535, [7, 8]],
    ] as const) {
      const header = new RtpHeader({ payloadType: 96, sequenceNumber: seq, timestamp: 123_456, ssrc: 0xdeadbeef, marker: true, csrc: [...csrc] });
      const payload = randomBytes(900);
      const expected = a.encrypt(payload, new RtpHeader({ ...header }));
      expect(protect(gcm, header, payload, 0).equals(expected)).toBe(true);
    }
  });

  it('encrypts what werift decrypts and decrypts what werift encrypts, across the rollover of the sequence number', () => {
    const { a, b } = sessions();
    const sendGcm = ours(a, 'localContext');
    const receiveGcm = ours(b, 'remoteContext');
    // werift tracks the rollover counter itself; ours is told it (the fast path takes it from werift's context).
    let roc = 0;
    for (let seq = 65_530; seq < 65_536 + 10; seq++) {
      if (seq === 65_536) roc = 1;
      const header = new RtpHeader({ payloadType: 96, sequenceNumber: seq & 0xffff, timestamp: seq * 3000, ssrc: 42 });
      const payload = randomBytes(300 + (seq % 7));
      const mine = protect(sendGcm, header, payload, roc);
      const theirs = b.decrypt(Buffer.from(mine));
      expect(theirs.subarray(12).equals(payload)).toBe(true);
      expect(theirs.readUInt16BE(2)).toBe(seq & 0xffff);

      const fromWerift = a.encrypt(payload, new RtpHeader({ ...header }));
      const plain = receiveGcm.unprotect(Buffer.from(fromWerift), 12, 42, seq & 0xffff, roc);
      expect(plain?.subarray(12).equals(payload)).toBe(true);
    }
  });

  it('refuses a packet whose tag or header was changed, and leaves it untouched', () => {
    const { a, b } = sessions();
    const header = new RtpHeader({ payloadType: 96, sequenceNumber: 9, timestamp: 1, ssrc: 5 });
    const packet = a.encrypt(randomBytes(100), header);
    const gcm = ours(b, 'remoteContext');
    const badTag = Buffer.from(packet);
    badTag[badTag.length - 1]! ^= 1;
    const copy = Buffer.from(badTag);
    expect(gcm.unprotect(badTag, 12, 5, 9, 0)).toBeUndefined();
    expect(badTag.equals(copy)).toBe(true);
    const badHeader = Buffer.from(packet);
    badHeader[1] = 97;
    expect(gcm.unprotect(badHeader, 12, 5, 9, 0)).toBeUndefined();
    expect(gcm.unprotect(Buffer.from(packet), 12, 5, 9, 1)).toBeUndefined();
  });

  it('measures RTP headers with CSRCs and a one-byte extension, and refuses one longer than the packet', () => {
    const header = new RtpHeader({ payloadType: 96, sequenceNumber: 1, timestamp: 1, ssrc: 1, csrc: [1, 2], extensions: [{ id: 1, payload: Buffer.from([1, 2, 3]) }] });
    const bytes = header.serialize(header.serializeSize);
    expect(rtpHeaderLength(bytes, bytes.length)).toBe(header.serializeSize);
    expect(rtpHeaderLength(bytes, bytes.length - 1)).toBe(-1);
    expect(rtpHeaderLength(Buffer.alloc(8), 8)).toBe(-1);
  });
});
