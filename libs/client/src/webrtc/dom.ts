// The slice of the browser's WebRTC API this folder uses, typed structurally: the package builds without the DOM lib.

export interface IceCandidateInit {
  readonly candidate: string;
  readonly sdpMid?: string | null;
  readonly sdpMLineIndex?: number | null;
}

export interface SessionDescriptionInit {
  readonly type: 'offer' | 'answer';
  readonly sdp: string;
}

export interface MediaStreamTrackLike {
  readonly id: string;
  readonly kind: string;
}

export interface MediaStreamLike {
  getTracks(): MediaStreamTrackLike[];
}

export interface TrackEventLike {
  readonly track: MediaStreamTrackLike;
  readonly streams: readonly MediaStreamLike[];
}

export interface TransceiverLike {
  readonly mid: string | null;
}

export interface PeerConnectionLike {
  readonly localDescription: { readonly sdp: string } | null;
  readonly iceGatheringState: string;
  readonly connectionState: string;
  addTransceiver(trackOrKind: MediaStreamTrackLike | 'audio' | 'video', init?: { direction?: string; streams?: MediaStreamLike[] }): TransceiverLike;
  createOffer(): Promise<SessionDescriptionInit>;
  createAnswer(): Promise<SessionDescriptionInit>;
  setLocalDescription(description?: SessionDescriptionInit): Promise<void>;
  setRemoteDescription(description: SessionDescriptionInit): Promise<void>;
  addIceCandidate(candidate: IceCandidateInit): Promise<void>;
  addEventListener(type: 'icecandidate', listener: (event: { candidate: (IceCandidateInit & { toJSON?(): IceCandidateInit }) | null }) => void): void;
  addEventListener(type: 'track', listener: (event: TrackEventLike) => void): void;
  addEventListener(type: 'icegatheringstatechange' | 'connectionstatechange', listener: () => void): void;
  removeEventListener(type: string, listener: (...args: never[]) => void): void;
  close(): void;
}

export interface RtcConfiguration {
  readonly iceServers?: readonly { readonly urls: string | readonly string[]; readonly username?: string; readonly credential?: string }[];
}

export type PeerConnectionConstructor = new (config?: RtcConfiguration) => PeerConnectionLike;

/** The page's RTCPeerConnection (or a given one, for tests and non-browser hosts). */
export function peerConnectionClass(given?: PeerConnectionConstructor): PeerConnectionConstructor {
  const found = given ?? (globalThis as { RTCPeerConnection?: PeerConnectionConstructor }).RTCPeerConnection;
  if (!found) throw new Error('RTCPeerConnection is not available here: pass one in the options');
  return found;
}

/** Resolves once ICE gathering completes (or after `timeoutMs`): WHIP/WHEP offers carry every candidate. */
export function gathered(pc: PeerConnectionLike, timeoutMs = 3_000): Promise<void> {
  if (pc.iceGatheringState === 'complete') return Promise.resolve();
  return new Promise((resolve) => {
    const done = (): void => {
      clearTimeout(timer);
      pc.removeEventListener('icegatheringstatechange', check);
      resolve();
    };
    const check = (): void => {
      if (pc.iceGatheringState === 'complete') done();
    };
    const timer = setTimeout(done, timeoutMs);
    pc.addEventListener('icegatheringstatechange', check);
  });
}
