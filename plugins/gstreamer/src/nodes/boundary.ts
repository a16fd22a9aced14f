// The Node boundary: GStreamer → RxJS (to-node) and RxJS → GStreamer (from-node), over GDP-framed pipes.
import { port } from '@rivulet/core';
import { z } from 'zod';
import { defineGstNode } from '../gst/define.js';
import { TYPE_OF_CODEC, depayloader, toRtp } from './codecs.js';
import type { MediaMessage } from '@rivulet/core';

export const toNode = defineGstNode({
  type: 'gstreamer/to-node',
  title: 'To Node',
  category: 'transports',
  description: 'Carries a GStreamer stream into the graph: RTP packets (format rtp) or frames with their caps (format frames).',
  params: z.object({
    format: z.enum(['rtp', 'frames']).default('rtp'),
    payloadType: z.number().int().min(0).max(127).optional(),
    mtu: z.number().int().min(200).max(65_000).default(1200),
  }),
  inputs: { in: port('any') },
  outputs: { out: port<MediaMessage>('any', { live: true, description: 'RtpPacket or MediaFrame messages' }) },
  elements: ['queue', 'gdppay', 'fdsink', 'rtpvp8pay', 'rtph264pay', 'rtpopuspay', 'h264parse'],
  fragment: (p, nodeId) => ({
    chain: [{ factory: 'queue', props: { 'max-size-buffers': 64, 'max-size-bytes': 0, 'max-size-time': 0 } }],
    adapt(upstreamType) {
      if (p.format === 'rtp') return toRtp(nodeId, upstreamType, p.payloadType, p.mtu);
      // Whole access units with SPS/PPS in-band, so each H.264 frame stands alone.
      if (upstreamType === 'video/h264') {
        return [{ factory: 'h264parse', props: { 'config-interval': -1 } }, { factory: 'capsfilter', role: 'au', props: { caps: 'video/x-h264,stream-format=byte-stream,alignment=au' } }];
      }
      return [];
    },
  }),
});

const RAW_TYPES = { 'raw-video': 'video/raw', 'raw-audio': 'audio/raw' } as const;

export const fromNode = defineGstNode({
  type: 'gstreamer/from-node',
  title: 'From Node',
  category: 'transports',
  description: 'Takes RTP packets, encoded frames or raw frames (each with its caps) from the graph back into GStreamer.',
  params: z
    .object({
      format: z.enum(['rtp', 'frames']).default('rtp'),
      codec: z.enum(['h264', 'vp8', 'opus', 'raw-video', 'raw-audio']),
      latencyMs: z.number().int().min(0).max(5_000).default(50),
    })
    .refine((p) => p.format === 'frames' || !p.codec.startsWith('raw-'), { path: ['codec'], message: 'raw video or audio comes as frames: set format to frames' }),
  inputs: { in: port<MediaMessage>('any', { live: true }) },
  outputs: { out: port('any') },
  elements: ['fdsrc', 'gdpdepay', 'rtpjitterbuffer', 'rtpvp8depay', 'rtph264depay', 'rtpopusdepay', 'h264parse'],
  fragment: (p) => {
    const queue = [{ factory: 'queue', props: { 'max-size-buffers': 64, 'max-size-bytes': 0, 'max-size-time': 0 } }];
    if (p.codec === 'raw-video' || p.codec === 'raw-audio') return { chain: queue, outputs: { out: { type: RAW_TYPES[p.codec] } } };
    return {
      chain: p.format === 'rtp' ? [{ factory: 'rtpjitterbuffer', props: { latency: p.latencyMs } }, ...depayloader(p.codec)] : queue,
      outputs: { out: { type: TYPE_OF_CODEC[p.codec] } },
    };
  },
});
