// Encoders: H.264 (x264 or a hardware encoder), VP8 and Opus.
import { KEYFRAME_PORT_TYPE, port, type KeyframeRequest } from '@rivulet/core';
import { z } from 'zod';
import { defineGstNode } from '../gst/define.js';
import type { ElementSpec } from '../gst/syntax.js';
import { GstBuildError } from '../gst/fragment.js';
import { ELEMENT_PACKAGES, knownToExist } from '../gst/inspect.js';
import { ENCODER_CHOICES, pickH264Encoder, pickVp8Encoder } from './encoder-choice.js';

/** An encoder the user named explicitly but gst-inspect did not find: refuse it with its package. */
function requireEncoder(nodeId: string, element: string): string {
  if (knownToExist(element) === false) {
    throw new GstBuildError('missing-element', nodeId, `node ${nodeId}, param encoder: GStreamer element ${element} is not installed (Debian package ${ELEMENT_PACKAGES[element] ?? 'unknown'})`, 'encoder');
  }
  return element;
}

/** The optional input by which a viewer (webrtc/peer, sfu-router) asks the encoder for a key frame. */
const keyframeInput = port<KeyframeRequest>(KEYFRAME_PORT_TYPE, { description: 'key-frame requests (a viewer joined or lost packets): the next frame is a key frame' });

const X264_TUNES = ['zerolatency', 'film', 'animation', 'grain', 'stillimage', 'psnr', 'ssim', 'fastdecode', 'none'] as const;
const X264_PRESETS = ['ultrafast', 'superfast', 'veryfast', 'faster', 'fast', 'medium', 'slow'] as const;

/** Properties for the H.264 element picked; hardware encoders name their rate controls differently. */
function h264Encoder(element: string, p: { bitrateKbps: number; tune: string; keyIntMax: number; speedPreset: string }): ElementSpec {
  if (element === 'x264enc') {
    return {
      factory: 'x264enc',
      param: 'bitrateKbps',
      props: {
        bitrate: p.bitrateKbps,
        'key-int-max': p.keyIntMax,
        'speed-preset': p.speedPreset,
        ...(p.tune !== 'none' ? { tune: p.tune } : {}),
      },
    };
  }
  if (element === 'v4l2h264enc') return { factory: element };
  return { factory: element, param: 'bitrateKbps', props: { bitrate: p.bitrateKbps } };
}

export const x264Encoder = defineGstNode({
  type: 'gstreamer/x264-encoder',
  title: 'H.264 encoder',
  category: 'encoders',
  description: 'H.264 with x264 (or a hardware encoder found by gst-inspect when encoder is auto).',
  params: z.object({
    bitrateKbps: z.number().int().min(64).max(50_000).default(2000),
    tune: z.enum(X264_TUNES).default('zerolatency'),
    keyIntMax: z.number().int().min(1).max(1000).default(60),
    profile: z.enum(['auto', 'constrained-baseline', 'baseline', 'main', 'high']).default('auto'),
    speedPreset: z.enum(X264_PRESETS).default('veryfast'),
    encoder: z.enum(ENCODER_CHOICES).default('software'),
  }),
  inputs: { in: port('video/raw'), keyframe: keyframeInput },
  outputs: { out: port('video/h264') },
  elements: ['x264enc', 'videoconvert', 'capsfilter'],
  fragment: (p, nodeId) => {
    const element = requireEncoder(nodeId, pickH264Encoder(p.encoder));
    return {
      keyframeRole: element,
      chain: [
        { factory: 'videoconvert' },
        // x264 would pick High 4:4:4 for RGB-ish input, which browsers and mp4 players refuse.
        ...(element === 'x264enc' ? [{ factory: 'capsfilter', role: 'i420', props: { caps: 'video/x-raw,format=I420' } }] : []),
        h264Encoder(element, p),
        ...(p.profile !== 'auto' ? [{ factory: 'capsfilter', role: 'profile', props: { caps: `video/x-h264,profile=${p.profile}` }, param: 'profile' }] : []),
      ],
    };
  },
});

export const vp8Encoder = defineGstNode({
  type: 'gstreamer/vp8-encoder',
  title: 'VP8 encoder',
  category: 'encoders',
  description: 'VP8 with libvpx (vp8enc), tuned for live use by default.',
  params: z.object({
    deadline: z.enum(['realtime', 'good', 'best']).default('realtime'),
    targetBitrateKbps: z.number().int().min(32).max(50_000).default(1000),
    keyframeMaxDist: z.number().int().min(1).max(1000).default(60),
    cpuUsed: z.number().int().min(-16).max(16).default(4),
    encoder: z.enum(ENCODER_CHOICES).default('software'),
  }),
  inputs: { in: port('video/raw'), keyframe: keyframeInput },
  outputs: { out: port('video/vp8') },
  elements: ['vp8enc', 'videoconvert'],
  fragment: (p, nodeId) => {
    const element = requireEncoder(nodeId, pickVp8Encoder(p.encoder));
    const deadline = { realtime: 1, good: 1_000_000, best: 0 }[p.deadline];
    return {
      keyframeRole: element,
      chain: [
        { factory: 'videoconvert' },
        element === 'vp8enc'
          ? {
              factory: 'vp8enc',
              param: 'targetBitrateKbps',
              props: { deadline, 'target-bitrate': p.targetBitrateKbps * 1000, 'keyframe-max-dist': p.keyframeMaxDist, 'cpu-used': p.cpuUsed },
            }
          : { factory: element, param: 'targetBitrateKbps', props: { bitrate: p.targetBitrateKbps } },
      ],
    };
  },
});

export const opusEncoder = defineGstNode({
  type: 'gstreamer/opus-encoder',
  title: 'Opus encoder',
  category: 'encoders',
  description: 'Opus with libopus (opusenc).',
  params: z.object({
    bitrateKbps: z.number().int().min(6).max(510).default(64),
    frameSizeMs: z.union([z.literal(2.5), z.literal(5), z.literal(10), z.literal(20), z.literal(40), z.literal(60)]).default(20),
  }),
  inputs: { in: port('audio/raw') },
  outputs: { out: port('audio/opus') },
  elements: ['opusenc', 'audioconvert', 'audioresample'],
  fragment: (p) => ({
    chain: [
      { factory: 'audioconvert' },
      { factory: 'audioresample' },
      { factory: 'opusenc', param: 'bitrateKbps', props: { bitrate: p.bitrateKbps * 1000, 'frame-size': p.frameSizeMs } },
    ],
  }),
});
