// Browser publish/subscribe for Rivulet's SFU router: seed-style transports and WHIP/WHEP helpers.
export { PublishTransport, SubscribeTransport, type Publication, type SubscribedTrack, type TransportOptions } from './transports.js';
export { whipPublish, whepSubscribe, WishError, type WhepSession, type WhipSession, type WishOptions, type WishSession } from './wish.js';
export type { IceCandidateInit as RtcIceCandidateInit, MediaStreamLike, MediaStreamTrackLike, PeerConnectionConstructor, PeerConnectionLike, RtcConfiguration } from './dom.js';
