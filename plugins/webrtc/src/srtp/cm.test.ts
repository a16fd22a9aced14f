import { randomBytes } from 'node:crypto';
import { ProtectionProfileAes128CmHmacSha1_80, RtpHeader, SrtpSession } from 'werift';
import { describe, expect, it } from 'vitest';
import { CM_TAG_LENGTH, SrtpCm } from './cm.js';

/** Two werift SRTP sessions facing each other (a's local keys are b's remote ones), AES-CM + HMAC-SHA1-80. */
function sessions(): { a: SrtpSession; b: SrtpSession } {
  const k1 = randomBytes(16);
  const s1 = randomBytes(14);
  const k2 = randomBytes(16);
  const s2 = randomBytes(14);
  const a = new SrtpSession({ keys: { localMasterKey: k1, localMasterSalt: s1, remoteMasterKey: k2, remoteMasterSalt: s2 }, profile: ProtectionProfileAes128CmHmacSha1_80 });
  const b = new SrtpSession({ keys: { localMasterKey: k2, localMasterSalt: s2, remoteMasterKey: k1, remoteMasterSalt: s1 }, profile: ProtectionProfileAes128CmHmacSha1_80 });
  return { a, b };
}

function ours(session: SrtpSession, side: 'localContext' | 'remoteContext'): SrtpCm {
  const ctx = session[side];
  return new SrtpCm(ctx.srtpSessionKey, ctx.srtpSessionSalt, ctx.srtpSessionAuthTag);
}

function protect(cm: SrtpCm, header: RtpHeader, payload: Buffer, roc: number): Buffer {
  const head = header.serialize(header.serializeSize);
  const out = Buffer.alloc(head.length + payload.length + CM_TAG_LENGTH);
  head.copy(out);
  cm.protectInto(out, head.length, payload, header.ssrc, header.sequenceNumber, roc);
  return out;
}

describe('SRTP AES_CM_128_HMAC_SHA1_80', () => {
  it('produces the same bytes as werift for the same keys, header and payload', () => {
    const { a } = sessions();
    const cm = ours(a, 'localContext');
    for (const [seq, csrc] of [
      [1, []],
      [65_535, [7, 8]],
    ] as const) {
      const header = new RtpHeader({ payloadType: 96, sequenceNumber: seq, timestamp: 123_456, ssrc: 0xdeadbeef, marker: true, csrc: [...csrc] });
      const payload = randomBytes(900);
      const expected = a.encrypt(payload, new RtpHeader({ ...header }));
      expect(protect(cm, header, payload, 0).equals(expected)).toBe(true);
    }
  });

  it('encrypts what werift decrypts and decrypts what werift encrypts, across the rollover of the sequence number', () => {
    const { a, b } = sessions();
    const send = ours(a, 'localContext');
    const receive = ours(b, 'remoteContext');
    let roc = 0;
    for (let seq = 65_530; seq < 65_536 + 10; seq++) {
      if (seq === 65_536) roc = 1;
      const header = new RtpHeader({ payloadType: 96, sequenceNumber: seq & 0xffff, timestamp: seq * 3000, ssrc: 42 });
      const payload = randomBytes(300 + (seq % 7));
      const theirs = b.decrypt(protect(send, header, payload, roc));
      expect(theirs.subarray(12).equals(payload)).toBe(true);
      const plain = receive.unprotect(Buffer.from(a.encrypt(payload, new RtpHeader({ ...header }))), 12, 42, seq & 0xffff, roc);
      expect(plain?.subarray(12).equals(payload)).toBe(true);
    }
  });

  it('refuses a packet whose tag, header or rollover counter differs, and leaves it untouched', () => {
    const { a, b } = sessions();
    const packet = a.encrypt(randomBytes(100), new RtpHeader({ payloadType: 96, sequenceNumber: 9, timestamp: 1, ssrc: 5 }));
    const cm = ours(b, 'remoteContext');
    const badTag = Buffer.from(packet);
    badTag[badTag.length - 1]! ^= 1;
    const copy = Buffer.from(badTag);
    expect(cm.unprotect(badTag, 12, 5, 9, 0)).toBeUndefined();
    expect(badTag.equals(copy)).toBe(true);
    const badHeader = Buffer.from(packet);
    badHeader[1] = 97;
    expect(cm.unprotect(badHeader, 12, 5, 9, 0)).toBeUndefined();
    expect(cm.unprotect(Buffer.from(packet), 12, 5, 9, 1)).toBeUndefined();
  });
});
