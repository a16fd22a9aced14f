// Messages on media edges between GStreamer and Node: plain objects carrying Buffers.

/** One RTP packet as it left (or will enter) a GStreamer payloader. */
export interface RtpPacket {
  readonly kind: 'rtp';
  /** Encoding name from the caps, upper case: VP8, H264, OPUS… */
  readonly codec: string;
  readonly payloadType: number;
  readonly clockRate: number;
  /** 'video' | 'audio' from the caps. */
  readonly media?: string;
  /** The whole RTP packet, header included. */
  readonly data: Buffer;
}

/** One encoded (or raw) frame with the caps GStreamer negotiated for it. */
export interface MediaFrame {
  readonly kind: 'frame';
  /** H264, VP8, OPUS, RAW… */
  readonly codec: string;
  readonly media: 'video' | 'audio' | 'other';
  /** GStreamer caps string, e.g. `video/x-h264, stream-format=(string)byte-stream, …`. */
  readonly caps: string;
  /** Presentation / decoding timestamps and duration in nanoseconds, when known. */
  readonly pts?: number;
  readonly dts?: number;
  readonly duration?: number;
  readonly keyframe: boolean;
  readonly data: Buffer;
}

export type MediaMessage = RtpPacket | MediaFrame;

export function isMediaMessage(value: unknown): value is MediaMessage {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as { kind?: unknown; data?: unknown };
  return (v.kind === 'rtp' || v.kind === 'frame') && Buffer.isBuffer(v.data);
}

/** The RTP sequence number of a packet (bytes 2–3 of the header). */
export function rtpSequenceNumber(packet: Buffer): number {
  return packet.readUInt16BE(2);
}

/** The RTP payload type of a packet (low 7 bits of byte 1). */
export function rtpPayloadType(packet: Buffer): number {
  return (packet[1] ?? 0) & 0x7f;
}
