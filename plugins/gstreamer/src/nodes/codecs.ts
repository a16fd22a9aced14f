// Per-codec element choices shared by sinks, the Node boundary and the decoder.
import { GstBuildError } from '../gst/fragment.js';
import type { ElementSpec } from '../gst/syntax.js';

export type Codec = 'h264' | 'vp8' | 'opus';

/** The codec a port type carries, if it is one we handle. */
export function codecOfType(type: string): Codec | undefined {
  const sub = type.split('/')[1];
  return sub === 'h264' || sub === 'vp8' || sub === 'opus' ? sub : undefined;
}

export const TYPE_OF_CODEC: Readonly<Record<Codec, string>> = { h264: 'video/h264', vp8: 'video/vp8', opus: 'audio/opus' };

/** An RTP payloader for an encoded stream. */
export function payloader(codec: Codec, payloadType: number | undefined, mtu: number): ElementSpec {
  switch (codec) {
    case 'h264':
      return { factory: 'rtph264pay', props: { pt: payloadType ?? 96, mtu, 'config-interval': -1, 'aggregate-mode': 'zero-latency' } };
    case 'vp8':
      return { factory: 'rtpvp8pay', props: { pt: payloadType ?? 96, mtu, 'picture-id-mode': '15-bit' } };
    case 'opus':
      return { factory: 'rtpopuspay', props: { pt: payloadType ?? 111, mtu } };
  }
}

export function depayloader(codec: Codec): ElementSpec[] {
  switch (codec) {
    case 'h264':
      return [{ factory: 'rtph264depay' }, { factory: 'h264parse' }];
    case 'vp8':
      return [{ factory: 'rtpvp8depay' }];
    case 'opus':
      return [{ factory: 'rtpopusdepay' }];
  }
}

/** Elements that turn an encoded stream of `upstreamType` into RTP, or a build error naming the node. */
export function toRtp(nodeId: string, upstreamType: string, payloadType: number | undefined, mtu: number): ElementSpec[] {
  if (upstreamType.startsWith('rtp/') || upstreamType === 'any') return [];
  const codec = codecOfType(upstreamType);
  if (!codec) {
    throw new GstBuildError('unsupported-input', nodeId, `node ${nodeId}: cannot packetise ${upstreamType} as RTP; encode it first (H.264, VP8 or Opus)`);
  }
  return [payloader(codec, payloadType, mtu)];
}
