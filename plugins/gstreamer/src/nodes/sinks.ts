// Sinks: a file (MP4 / WebM / MKV, finalised on stop) and RTP over UDP.
import { port } from '@rivulet/core';
import { z } from 'zod';
import { defineGstNode } from '../gst/define.js';
import { GstBuildError } from '../gst/fragment.js';
import type { ElementSpec } from '../gst/syntax.js';
import { codecOfType, toRtp } from './codecs.js';

const MUXERS = { mp4: 'mp4mux', webm: 'webmmux', mkv: 'matroskamux' } as const;
const ACCEPTS: Readonly<Record<keyof typeof MUXERS, readonly string[]>> = {
  mp4: ['h264', 'opus'],
  webm: ['vp8', 'opus'],
  mkv: ['h264', 'vp8', 'opus'],
};

export const fileSink = defineGstNode({
  type: 'gstreamer/file-sink',
  title: 'Record to file',
  category: 'sinks',
  description: 'Muxes encoded streams into an MP4, WebM or MKV file; stopping sends EOS so the file is finalised.',
  params: z.object({
    path: z.string().min(1),
    container: z.enum(['mp4', 'webm', 'mkv']).default('mp4'),
  }),
  inputs: { in: port('any', { multiple: true, description: 'encoded video and/or audio' }) },
  elements: ['mp4mux', 'webmmux', 'matroskamux', 'filesink', 'h264parse', 'opusparse'],
  fragment: (p, nodeId) => ({
    chain: [
      { factory: MUXERS[p.container], role: 'mux', param: 'container' },
      { factory: 'filesink', props: { location: p.path }, param: 'path' },
    ],
    adapt(upstreamType): ElementSpec[] {
      if (upstreamType === 'any' || upstreamType.includes('*')) return [];
      const codec = codecOfType(upstreamType);
      if (!codec || !ACCEPTS[p.container].includes(codec)) {
        throw new GstBuildError(
          'unsupported-input',
          nodeId,
          `node ${nodeId}, param container: ${p.container} cannot hold ${upstreamType} (accepts ${ACCEPTS[p.container].join(', ')}; raw media must be encoded first)`,
          'container',
        );
      }
      return codec === 'h264' ? [{ factory: 'h264parse' }] : codec === 'opus' ? [{ factory: 'opusparse' }] : [];
    },
  }),
});

export const rtpSink = defineGstNode({
  type: 'gstreamer/rtp-sink',
  title: 'RTP over UDP',
  category: 'sinks',
  description: 'Packetises an encoded stream as RTP and sends it over UDP.',
  params: z.object({
    host: z.string().min(1).default('127.0.0.1'),
    port: z.number().int().min(1).max(65_535),
    payloadType: z.number().int().min(0).max(127).optional(),
    mtu: z.number().int().min(200).max(65_000).default(1200),
  }),
  inputs: { in: port('any') },
  elements: ['udpsink', 'rtpvp8pay', 'rtph264pay', 'rtpopuspay'],
  fragment: (p, nodeId) => ({
    chain: [{ factory: 'udpsink', props: { host: p.host, port: p.port, sync: false }, param: 'host' }],
    adapt: (upstreamType) => toRtp(nodeId, upstreamType, p.payloadType, p.mtu),
  }),
});
