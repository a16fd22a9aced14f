// Messages on media edges, shared by every plugin that carries media: plain objects with Buffers
// that are passed along a fan-out, never copied.

/** One RTP packet, header included. */
export interface RtpPacket {
  readonly kind: 'rtp';
  /** Encoding name, upper case: VP8, H264, OPUS… */
  readonly codec: string;
  readonly payloadType: number;
  readonly clockRate: number;
  /** 'video' | 'audio', when known. */
  readonly media?: string;
  /** The whole RTP packet, header included. */
  readonly data: Buffer;
}

/** One encoded (or raw) frame with the caps it was negotiated with. */
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

/** Port type of key-frame requests: outputs of viewers (webrtc peers, routers), inputs of encoders. */
export const KEYFRAME_PORT_TYPE = 'control/keyframe';

/**
 * A key-frame request travelling upstream to an encoder (port type `control/keyframe`): a
 * remote peer sent RTCP PLI (or FIR), or a new subscriber cannot decode until the next key frame.
 */
export interface KeyframeRequest {
  readonly kind: 'keyframe';
  readonly reason: 'pli' | 'fir' | 'new-subscriber';
  readonly peer?: string;
}

export function isMediaMessage(value: unknown): value is MediaMessage {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as { kind?: unknown; data?: unknown };
  return (v.kind === 'rtp' || v.kind === 'frame') && Buffer.isBuffer(v.data);
}

/** An RTP packet message whose data is at least a fixed RTP header long. */
export function isRtpPacket(value: unknown): value is RtpPacket {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as { kind?: unknown; data?: unknown };
  return v.kind === 'rtp' && Buffer.isBuffer(v.data) && v.data.length >= 12;
}

/** The RTP sequence number of a packet (bytes 2–3 of the header). */
export function rtpSequenceNumber(packet: Buffer): number {
  return packet.readUInt16BE(2);
}

/** The RTP payload type of a packet (low 7 bits of byte 1). */
export function rtpPayloadType(packet: Buffer): number {
  return (packet[1] ?? 0) & 0x7f;
}
