// Feeds: test video/audio, files, V4L2 cameras, RTSP and any URI, as raw video/audio outputs.
import { port } from '@rivulet/core';
import { z } from 'zod';
import { defineGstNode } from '../gst/define.js';
import type { Fragment, OutputBranch } from '../gst/fragment.js';
import type { ElementSpec } from '../gst/syntax.js';

const VIDEO_PATTERNS = [
  'smpte', 'snow', 'black', 'white', 'red', 'green', 'blue', 'checkers-1', 'checkers-2', 'checkers-4', 'checkers-8',
  'circular', 'blink', 'smpte75', 'zone-plate', 'gamut', 'chroma-zone-plate', 'solid-color', 'ball', 'smpte100', 'bar',
  'pinwheel', 'spokes', 'gradient', 'colors',
] as const;
const AUDIO_WAVES = ['sine', 'square', 'saw', 'triangle', 'silence', 'white-noise', 'pink-noise', 'sine-table', 'ticks', 'gaussian-noise', 'red-noise', 'blue-noise', 'violet-noise'] as const;

/** The decoded outputs of a demuxing/decoding source, linked by caps to its dynamic pads. */
const DECODED_OUTPUTS: Readonly<Record<string, OutputBranch>> = {
  video: { linkCaps: 'video/x-raw', branch: [{ factory: 'queue', role: 'video_queue' }, { factory: 'videoconvert' }] },
  audio: { linkCaps: 'audio/x-raw', branch: [{ factory: 'queue', role: 'audio_queue' }, { factory: 'audioconvert' }, { factory: 'audioresample' }] },
};
const decodedPorts = { video: port('video/raw'), audio: port('audio/raw') };
const decoded = (chain: ElementSpec[]): Fragment => ({ chain, outputs: DECODED_OUTPUTS });

export const testVideo = defineGstNode({
  type: 'gstreamer/test-video',
  title: 'Test video',
  category: 'feeds',
  description: 'GStreamer videotestsrc: a synthetic pattern at a fixed size and frame rate.',
  params: z.object({
    pattern: z.enum(VIDEO_PATTERNS).default('smpte'),
    width: z.number().int().min(16).max(7680).default(640),
    height: z.number().int().min(16).max(4320).default(480),
    framerate: z.number().int().min(1).max(240).default(30),
    /** Pixel format; left open, videotestsrc would pick a 64-bit format nobody wants downstream. */
    format: z.enum(['I420', 'NV12', 'YUY2', 'RGBA', 'BGRA', 'RGB']).default('I420'),
    isLive: z.boolean().default(true),
  }),
  outputs: { out: port('video/raw') },
  elements: ['videotestsrc', 'capsfilter'],
  fragment: (p) => ({
    chain: [
      { factory: 'videotestsrc', props: { pattern: p.pattern, 'is-live': p.isLive }, param: 'pattern' },
      { factory: 'capsfilter', props: { caps: `video/x-raw,format=${p.format},width=${p.width},height=${p.height},framerate=${p.framerate}/1` }, param: 'width' },
    ],
  }),
});

export const testAudio = defineGstNode({
  type: 'gstreamer/test-audio',
  title: 'Test audio',
  category: 'feeds',
  description: 'GStreamer audiotestsrc: a synthetic tone or noise.',
  params: z.object({
    wave: z.enum(AUDIO_WAVES).default('sine'),
    rate: z.number().int().min(8000).max(192_000).default(48_000),
    freq: z.number().min(1).max(20_000).default(440),
    channels: z.number().int().min(1).max(8).default(2),
    isLive: z.boolean().default(true),
  }),
  outputs: { out: port('audio/raw') },
  elements: ['audiotestsrc', 'capsfilter'],
  fragment: (p) => ({
    chain: [
      { factory: 'audiotestsrc', props: { wave: p.wave, freq: p.freq, 'is-live': p.isLive }, param: 'wave' },
      { factory: 'capsfilter', props: { caps: `audio/x-raw,rate=${p.rate},channels=${p.channels}` }, param: 'rate' },
    ],
  }),
});

export const fileSource = defineGstNode({
  type: 'gstreamer/file-source',
  title: 'File',
  category: 'feeds',
  description: 'Plays a media file (any container GStreamer can demux), decoded to raw video and audio.',
  params: z.object({ path: z.string().min(1) }),
  outputs: decodedPorts,
  elements: ['filesrc', 'decodebin', 'videoconvert', 'audioconvert', 'audioresample'],
  fragment: (p) => decoded([{ factory: 'filesrc', props: { location: p.path }, param: 'path' }, { factory: 'decodebin', param: 'path' }]),
});

export const uriSource = defineGstNode({
  type: 'gstreamer/uri-source',
  title: 'URI',
  category: 'feeds',
  description: 'Any URI GStreamer can open (file://, http://, rtsp://…), through uridecodebin.',
  params: z.object({ uri: z.string().regex(/^[a-z][a-z0-9+.-]*:\/\/./i, 'a URI such as file:///videos/a.mp4') }),
  outputs: decodedPorts,
  elements: ['uridecodebin', 'videoconvert', 'audioconvert', 'audioresample'],
  fragment: (p) => decoded([{ factory: 'uridecodebin', props: { uri: p.uri }, param: 'uri' }]),
});

export const rtspSource = defineGstNode({
  type: 'gstreamer/rtsp-source',
  title: 'RTSP camera',
  category: 'feeds',
  description: 'An RTSP stream (rtspsrc), decoded to raw video and audio.',
  params: z.object({
    url: z.string().regex(/^rtsps?:\/\/./i, 'an rtsp:// URL'),
    latency: z.number().int().min(0).max(10_000).default(200),
    protocol: z.enum(['tcp', 'udp']).default('tcp'),
  }),
  outputs: decodedPorts,
  elements: ['rtspsrc', 'decodebin', 'videoconvert', 'audioconvert', 'audioresample'],
  fragment: (p) =>
    decoded([
      { factory: 'rtspsrc', props: { location: p.url, latency: p.latency, protocols: p.protocol, 'tcp-timeout': 5_000_000 }, param: 'url' },
      { factory: 'decodebin', param: 'url' },
    ]),
});

export const v4l2Source = defineGstNode({
  type: 'gstreamer/v4l2-source',
  title: 'V4L2 camera',
  category: 'feeds',
  description: 'A Video4Linux2 camera.',
  params: z.object({
    device: z.string().regex(/^\/dev\/\S+$/, 'a device path such as /dev/video0').default('/dev/video0'),
    caps: z
      .string()
      .regex(/^(video|image)\/[a-z0-9-]+(,\s*[a-z0-9-]+=[^,]+)*$/i, 'GStreamer caps, e.g. video/x-raw,width=640,height=480')
      .optional(),
  }),
  outputs: { out: port('video/raw') },
  elements: ['v4l2src', 'videoconvert'],
  fragment: (p) => ({
    chain: [
      { factory: 'v4l2src', props: { device: p.device }, param: 'device' },
      ...(p.caps ? [{ factory: 'capsfilter', props: { caps: p.caps }, param: 'caps' }] : []),
      ...(p.caps?.startsWith('image/jpeg') ? [{ factory: 'jpegdec' }] : []),
      { factory: 'videoconvert' },
    ],
  }),
});
