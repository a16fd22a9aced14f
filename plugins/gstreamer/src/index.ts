// @rivulet/plugin-gstreamer: GStreamer feeds, encoders, decoders, sinks and the Node boundary, fused into one child per pipeline.
import { definePlugin } from '@rivulet/core';
import { gstreamerFuser } from './fuser.js';
import { fromNode, toNode } from './nodes/boundary.js';
import { decoder } from './nodes/decoder.js';
import { opusEncoder, vp8Encoder, x264Encoder } from './nodes/encoders.js';
import { fileSource, rtspSource, testAudio, testVideo, uriSource, v4l2Source } from './nodes/feeds.js';
import { pipeline } from './nodes/pipeline.js';
import { fileSink, rtpSink } from './nodes/sinks.js';

export { isMediaMessage, rtpPayloadType, rtpSequenceNumber, type MediaFrame, type MediaMessage, type RtpPacket } from '@rivulet/core';
export { gstreamerFuser, explainGroup, GstRuntimeError } from './fuser.js';
export { compileGroup, type CompiledPipeline } from './gst/compile.js';
export { GstBuildError, type NodeStatusUpdate, type StatsSource } from './gst/fragment.js';
export type { GstMessage, GstSignal } from './gst/process.js';
export { defineGstNode, type GstNodeSpec } from './gst/define.js';
export { testVideo, testAudio, fileSource, uriSource, rtspSource, v4l2Source, x264Encoder, vp8Encoder, opusEncoder, decoder, fileSink, rtpSink, toNode, fromNode, pipeline };

export const nodes = [testVideo, testAudio, fileSource, v4l2Source, rtspSource, uriSource, x264Encoder, vp8Encoder, opusEncoder, decoder, fileSink, rtpSink, toNode, fromNode, pipeline];

export default definePlugin({
  name: '@rivulet/plugin-gstreamer',
  version: '0.1.0',
  nodes,
  fusers: [gstreamerFuser],
});
