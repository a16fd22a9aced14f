// @rivulet/plugin-webrtc: werift peers and an SFU router (publish, subscribe and recording transports) with WHIP/WHEP.
import { definePlugin } from '@rivulet/core';
import { peerNode } from './nodes/peer.js';
import { sfuRouterNode } from './nodes/sfu-router.js';

export { peerNode, sfuRouterNode };
export { SfuRouter, SfuWorker, type RouterEvent, type RouterOptions } from './sfu/router.js';
export { PublishTransport } from './sfu/publish-transport.js';
export { SubscribeTransport, Consumer } from './sfu/subscribe-transport.js';
export { RecordingTransport } from './sfu/recording-transport.js';
export { Publisher, type PublisherCodec } from './sfu/publisher.js';
export { SfuError, type SfuErrorCode } from './sfu/errors.js';
export { WishServer, type WishServerOptions } from './http/wish-server.js';
export { RtpRewriter } from './rtp/rewrite.js';
export { peerConfig, type IceOptions } from './ice.js';
export type { KeyframeRequest, RtpPacket as RtpMessage } from '@rivulet/core';
export type { SignalMessage } from './signal.js';
export type { SfuRouterEvent } from './nodes/sfu-router.js';

export const nodes = [peerNode, sfuRouterNode];

export default definePlugin({ name: '@rivulet/plugin-webrtc', version: '0.1.0', nodes });
