// Browser publish/subscribe for Rivulet's SFU router: seed-style transports and WHIP/WHEP helpers.
export { PublishTransport, SubscribeTransport, type Publication, type SubscribedTrack, type TransportOptions } from './transports.js';
export { parseIceServerLinks, whipPublish, whepSubscribe, WishError, type AnnouncedIceServer, type WhepSession, type WhipSession, type WishOptions, type WishSession } from './wish.js';
export { sdpFragment, type TrickleState } from './trickle.js';
export type { IceCandidateInit as RtcIceCandidateInit, MediaStreamLike, MediaStreamTrackLike, PeerConnectionConstructor, PeerConnectionLike, RtcConfiguration } from './dom.js';
