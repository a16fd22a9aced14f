// Media messages on edges, in the shape @rivulet/plugin-gstreamer's boundary nodes use (restated: plugins share no internals).

/** One RTP packet, header included. */
export interface RtpMessage {
  readonly kind: 'rtp';
  /** Encoding name, upper case: VP8, H264, OPUS. */
  readonly codec: string;
  readonly payloadType: number;
  readonly clockRate: number;
  readonly media?: string;
  readonly data: Buffer;
}

/**
 * A key-frame request travelling upstream to an encoder (port type `control/keyframe`):
 * the remote peer sent RTCP PLI (or FIR) and cannot decode until the next key frame.
 */
export interface KeyframeRequest {
  readonly kind: 'keyframe';
  readonly reason: 'pli' | 'fir' | 'new-subscriber';
  readonly peer?: string;
}

export function isRtpMessage(value: unknown): value is RtpMessage {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as { kind?: unknown; data?: unknown };
  return v.kind === 'rtp' && Buffer.isBuffer(v.data) && v.data.length >= 12;
}
