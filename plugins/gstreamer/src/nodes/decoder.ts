// Decoder: H.264, VP8 or Opus back to raw video/audio (or decodebin when the codec is auto).
import { port } from '@rivulet/core';
import { z } from 'zod';
import { defineGstNode } from '../gst/define.js';
import type { Fragment } from '../gst/fragment.js';

export const decoder = defineGstNode({
  type: 'gstreamer/decoder',
  title: 'Decoder',
  category: 'decoders',
  description: 'Decodes H.264 (libav), VP8 (libvpx) or Opus; auto lets decodebin pick.',
  params: z.object({ codec: z.enum(['auto', 'h264', 'vp8', 'opus']).default('auto') }),
  inputs: { in: port('any') },
  outputs: { out: port('*/raw') },
  elements: ['decodebin', 'h264parse', 'avdec_h264', 'vp8dec', 'opusdec', 'videoconvert', 'audioconvert'],
  fragment: (p): Fragment => {
    switch (p.codec) {
      case 'h264':
        return { chain: [{ factory: 'h264parse' }, { factory: 'avdec_h264' }, { factory: 'videoconvert' }], outputs: { out: { type: 'video/raw' } } };
      case 'vp8':
        return { chain: [{ factory: 'vp8dec' }, { factory: 'videoconvert' }], outputs: { out: { type: 'video/raw' } } };
      case 'opus':
        return { chain: [{ factory: 'opusdec' }, { factory: 'audioconvert' }], outputs: { out: { type: 'audio/raw' } } };
      case 'auto':
        return { chain: [{ factory: 'decodebin', param: 'codec' }], outputs: { out: { branch: [{ factory: 'queue', role: 'out_queue' }] } } };
    }
  },
});
