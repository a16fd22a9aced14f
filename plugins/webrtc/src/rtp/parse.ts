// RTP packet parsing into werift's own RtpPacket/RtpHeader, field for field what RtpPacket.deSerialize gives, with
// plain bit operations: werift's reads each header bit field through a number → binary string → array round trip.
import { RtpHeader, RtpPacket } from 'werift';

const ONE_BYTE_PROFILE = 0xbede;
const TWO_BYTE_PROFILE = 0x1000;

type Extension = { id: number; payload: Buffer };

/** Parses one RTP packet; throws a RangeError on a packet too short for its own header, as werift does. */
export function parseRtp(buf: Buffer): RtpPacket {
  const h = new RtpHeader();
  const b0 = buf[0]!;
  const b1 = buf[1]!;
  h.version = b0 >> 6;
  h.padding = (b0 & 0x20) !== 0;
  h.extension = (b0 & 0x10) !== 0;
  const csrcCount = b0 & 0x0f;
  h.csrcLength = csrcCount;
  h.marker = (b1 & 0x80) !== 0;
  h.payloadType = b1 & 0x7f;
  h.sequenceNumber = buf.readUInt16BE(2);
  h.timestamp = buf.readUInt32BE(4);
  h.ssrc = buf.readUInt32BE(8);
  let offset = 12;
  const csrc: number[] = [];
  for (let i = 0; i < csrcCount; i++, offset += 4) csrc.push(buf.readUInt32BE(offset));
  h.csrc = csrc;
  if (h.extension) {
    const profile = buf.readUInt16BE(offset);
    const length = buf.readUInt16BE(offset + 2) * 4;
    h.extensionProfile = profile as RtpHeader['extensionProfile'];
    h.extensionLength = length;
    offset += 4;
    const extensions: Extension[] = [];
    const end = offset + length;
    if (profile === ONE_BYTE_PROFILE) {
      while (offset < end) {
        const byte = buf[offset]!;
        if (byte === 0) {
          offset++;
          continue;
        }
        const id = byte >> 4;
        const size = (byte & 0x0f) + 1;
        offset++;
        if (id === 15) break;
        extensions.push({ id, payload: buf.subarray(offset, offset + size) });
        offset += size;
      }
    } else if (profile === TWO_BYTE_PROFILE) {
      while (offset < end) {
        if (buf[offset] === 0) {
          offset++;
          continue;
        }
        const id = buf[offset]!;
        const size = buf[offset + 1]!;
        offset += 2;
        extensions.push({ id, payload: buf.subarray(offset, offset + size) });
        offset += size;
      }
    } else {
      const payload = buf.subarray(offset, offset + length);
      extensions.push({ id: 0, payload });
      offset += payload.length;
    }
    h.extensions = extensions;
  }
  h.payloadOffset = offset;
  if (h.padding) h.paddingSize = buf[buf.length - 1]!;
  return new RtpPacket(h, buf.subarray(offset, buf.length - h.paddingSize));
}
