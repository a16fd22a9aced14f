// The GStreamer Data Protocol (gdppay/gdpdepay 1.0): how buffers, caps and events cross the Node boundary pipes.

export const GDP_HEADER_LENGTH = 62;
const PAYLOAD_BUFFER = 1;
const PAYLOAD_CAPS = 2;
const PAYLOAD_EVENT_BASE = 64;
/** GST_EVENT_EOS, GST_EVENT_STREAM_START and GST_EVENT_SEGMENT as GDP payload types. */
const EVENT_EOS = PAYLOAD_EVENT_BASE + ((28 << 8) | 14);
const EVENT_STREAM_START = PAYLOAD_EVENT_BASE + ((40 << 8) | 14);
const EVENT_SEGMENT = PAYLOAD_EVENT_BASE + ((70 << 8) | 14);
const CLOCK_TIME_NONE = 0xffffffffffffffffn;
/** GST_BUFFER_FLAG_DELTA_UNIT: the buffer is not a keyframe. */
export const BUFFER_FLAG_DELTA_UNIT = 1 << 13;

export type GdpPacket =
  | { readonly type: 'buffer'; readonly data: Buffer; readonly pts?: number; readonly dts?: number; readonly duration?: number; readonly flags: number }
  | { readonly type: 'caps'; readonly caps: string }
  | { readonly type: 'eos' }
  | { readonly type: 'event'; readonly eventType: number; readonly text: string };

function readTime(header: Buffer, offset: number): number | undefined {
  const value = header.readBigUInt64BE(offset);
  return value === CLOCK_TIME_NONE ? undefined : Number(value);
}

function cString(payload: Buffer): string {
  const end = payload.indexOf(0);
  return payload.toString('utf8', 0, end < 0 ? payload.length : end);
}

/**
 * Splits a GDP byte stream into packets. Chunks are sliced, not copied, when a packet lies
 * inside one chunk; a packet spanning chunks is joined once.
 */
export class GdpParser {
  private pending: Buffer[] = [];
  private pendingBytes = 0;
  /** Bytes the packet at the head of `pending` needs, once its header is known. */
  private need?: number;

  push(chunk: Buffer, onPacket: (packet: GdpPacket) => void): void {
    let buffer: Buffer;
    if (this.pendingBytes) {
      this.pending.push(chunk);
      this.pendingBytes += chunk.length;
      if (this.need === undefined && this.pendingBytes >= GDP_HEADER_LENGTH) {
        const joined = Buffer.concat(this.pending, this.pendingBytes);
        this.pending = [joined];
        this.need = GDP_HEADER_LENGTH + joined.readUInt32BE(6);
      }
      // Large frames span many chunks: join them once, when the whole packet is here.
      if (this.need === undefined || this.pendingBytes < this.need) return;
      buffer = this.pending.length === 1 ? this.pending[0]! : Buffer.concat(this.pending, this.pendingBytes);
      this.pending = [];
      this.pendingBytes = 0;
      this.need = undefined;
    } else buffer = chunk;
    let offset = 0;
    while (buffer.length - offset >= GDP_HEADER_LENGTH) {
      const length = buffer.readUInt32BE(offset + 6);
      const end = offset + GDP_HEADER_LENGTH + length;
      if (end > buffer.length) break;
      const header = buffer.subarray(offset, offset + GDP_HEADER_LENGTH);
      const payload = buffer.subarray(offset + GDP_HEADER_LENGTH, end);
      offset = end;
      onPacket(decode(header, payload));
    }
    if (offset < buffer.length) {
      const rest = buffer.subarray(offset);
      this.pending = [rest];
      this.pendingBytes = rest.length;
      this.need = rest.length >= GDP_HEADER_LENGTH ? GDP_HEADER_LENGTH + rest.readUInt32BE(6) : undefined;
    }
  }
}

function decode(header: Buffer, payload: Buffer): GdpPacket {
  const type = header.readUInt16BE(4);
  if (type === PAYLOAD_BUFFER) {
    const pts = readTime(header, 10);
    const duration = readTime(header, 18);
    const dts = readTime(header, 44);
    return {
      type: 'buffer',
      data: payload,
      flags: header.readUInt16BE(42),
      ...(pts !== undefined ? { pts } : {}),
      ...(dts !== undefined ? { dts } : {}),
      ...(duration !== undefined ? { duration } : {}),
    };
  }
  if (type === PAYLOAD_CAPS) return { type: 'caps', caps: cString(payload) };
  if (type === EVENT_EOS) return { type: 'eos' };
  return { type: 'event', eventType: type, text: cString(payload) };
}

function header(type: number, length: number, times?: { pts?: number; dts?: number; duration?: number; flags?: number }): Buffer {
  const h = Buffer.alloc(GDP_HEADER_LENGTH);
  h.writeUInt8(1, 0); // major version
  h.writeUInt8(0, 1); // minor version; flags 0: no CRCs to check
  h.writeUInt16BE(type, 4);
  h.writeUInt32BE(length, 6);
  const time = (v: number | undefined): bigint => (v === undefined ? CLOCK_TIME_NONE : BigInt(Math.max(0, Math.round(v))));
  h.writeBigUInt64BE(time(times?.pts), 10);
  h.writeBigUInt64BE(time(times?.duration), 18);
  h.writeBigUInt64BE(CLOCK_TIME_NONE, 26);
  h.writeBigUInt64BE(CLOCK_TIME_NONE, 34);
  h.writeUInt16BE(times?.flags ?? 0, 42);
  h.writeBigUInt64BE(time(times?.dts), 44);
  return h;
}

function textPacket(type: number, text: string): Buffer {
  const payload = Buffer.from(`${text}\0`, 'utf8');
  return Buffer.concat([header(type, payload.length), payload]);
}

/** The packets gdpdepay needs before the first buffer: stream-start, caps and a time segment. */
export function gdpStreamStart(caps: string, streamId: string): Buffer {
  return Buffer.concat([
    textPacket(EVENT_STREAM_START, `GstEventStreamStart, stream-id=(string)${streamId}, flags=(GstStreamFlags)GST_STREAM_FLAG_NONE, group-id=(uint)1;`),
    textPacket(PAYLOAD_CAPS, caps),
    textPacket(
      EVENT_SEGMENT,
      'GstEventSegment, segment=(GstSegment)"segment, flags=(GstSegmentFlags)GST_SEGMENT_FLAG_NONE, rate=(double)1, applied-rate=(double)1, format=(GstFormat)time, base=(guint64)0, offset=(guint64)0, start=(guint64)0, stop=(guint64)18446744073709551615, time=(guint64)0, position=(guint64)0, duration=(guint64)18446744073709551615;";',
    ),
  ]);
}

/** A buffer packet: header and payload as two buffers, so the payload is never copied. */
export function gdpBuffer(data: Buffer, times: { pts?: number; dts?: number; duration?: number; flags?: number }): [Buffer, Buffer] {
  return [header(PAYLOAD_BUFFER, data.length, times), data];
}

export function gdpEos(): Buffer {
  return textPacket(EVENT_EOS, 'GstEventEOS;');
}
