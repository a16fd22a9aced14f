// SRTP AEAD_AES_128_GCM (RFC 7714) for RTP packets, byte for byte what werift's cipher produces, with less work:
// the header is written once into the output buffer (werift serialises it, then concatenates three buffers) and
// a received packet is decrypted into one new buffer (werift: three). Node cannot re-IV an existing GCM cipher, so one createCipheriv
// per packet stays (≈ 3.9 µs a 1000-byte packet, against ≈ 4.7 µs for AES-CM + HMAC-SHA1).
import { createCipheriv, createDecipheriv } from 'node:crypto';
import type { SrtpCipher } from './cipher.js';

/** The authentication tag that ends every AEAD_AES_128_GCM SRTP packet. */
export const GCM_TAG_LENGTH = 16;
const MIN_RTP_HEADER = 12;

export class SrtpGcm implements SrtpCipher {
  readonly tagLength = GCM_TAG_LENGTH;
  private readonly iv = Buffer.alloc(12);

  /** `key` and `salt` are the SRTP session key and salt (werift's `srtpSessionKey`, `srtpSessionSalt`). */
  constructor(
    private readonly key: Buffer,
    private readonly salt: Buffer,
  ) {}

  protectInto(out: Buffer, headerLength: number, payload: Buffer, ssrc: number, sequenceNumber: number, rolloverCounter: number): void {
    const cipher = createCipheriv('aes-128-gcm', this.key, this.ivFor(ssrc, sequenceNumber, rolloverCounter));
    cipher.setAAD(out.subarray(0, headerLength));
    const encrypted = cipher.update(payload);
    cipher.final();
    encrypted.copy(out, headerLength);
    cipher.getAuthTag().copy(out, headerLength + encrypted.length);
  }

  unprotect(packet: Buffer, headerLength: number, ssrc: number, sequenceNumber: number, rolloverCounter: number): Buffer | undefined {
    const tagAt = packet.length - GCM_TAG_LENGTH;
    if (headerLength < MIN_RTP_HEADER || headerLength > tagAt) return undefined;
    const decipher = createDecipheriv('aes-128-gcm', this.key, this.ivFor(ssrc, sequenceNumber, rolloverCounter));
    decipher.setAAD(packet.subarray(0, headerLength));
    decipher.setAuthTag(packet.subarray(tagAt));
    const plain = decipher.update(packet.subarray(headerLength, tagAt));
    try {
      decipher.final();
    } catch {
      return undefined;
    }
    // A new buffer rather than the datagram's: RTP payloads outlive it in NACK histories, and a retained datagram kept
    // the forwarder's major GCs busy (18 in 3 s at 1→4 against none).
    const rtp = Buffer.allocUnsafe(headerLength + plain.length);
    packet.copy(rtp, 0, 0, headerLength);
    plain.copy(rtp, headerLength);
    return rtp;
  }

  // RFC 7714 §8.1: 00 00 | SSRC | ROC | SEQ, XOR the session salt. createCipheriv copies it, so one buffer serves all.
  private ivFor(ssrc: number, sequenceNumber: number, rolloverCounter: number): Buffer {
    const iv = this.iv;
    const salt = this.salt;
    iv[0] = salt[0]!;
    iv[1] = salt[1]!;
    iv.writeUInt32BE(ssrc >>> 0, 2);
    iv.writeUInt32BE(rolloverCounter >>> 0, 6);
    iv.writeUInt16BE(sequenceNumber & 0xffff, 10);
    for (let i = 2; i < 12; i++) iv[i] = iv[i]! ^ salt[i]!;
    return iv;
  }
}

/** Length of the RTP header at the start of `packet` (fixed part, CSRCs, extension), or -1 when it does not fit in `limit` bytes. */
export function rtpHeaderLength(packet: Buffer, limit: number): number {
  if (limit < MIN_RTP_HEADER) return -1;
  const first = packet[0]!;
  let length = MIN_RTP_HEADER + (first & 0x0f) * 4;
  if (first & 0x10) {
    if (length + 4 > limit) return -1;
    length += 4 + packet.readUInt16BE(length + 2) * 4;
  }
  return length <= limit ? length : -1;
}
