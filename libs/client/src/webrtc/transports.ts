// PublishTransport / SubscribeTransport: the seed's client API for an SFU router, over the browser's RTCPeerConnection.
// The app carries offers, answers and candidates to the server by whatever channel it likes.
import { gathered, peerConnectionClass, type IceCandidateInit, type MediaStreamTrackLike, type PeerConnectionConstructor, type PeerConnectionLike, type RtcConfiguration, type TrackEventLike } from './dom.js';

export interface TransportOptions {
  /** ICE servers; none by default (loopback and LAN work without). */
  readonly config?: RtcConfiguration;
  /** Defaults to the global RTCPeerConnection. */
  readonly RTCPeerConnection?: PeerConnectionConstructor;
  /**
   * true: offers and answers go out at once and candidates follow on the `icecandidate` event (the app passes them
   * to the server's addIceCandidate). false (default): they wait for gathering and carry every candidate.
   */
  readonly trickle?: boolean;
}

type CandidateListener = (candidate: IceCandidateInit) => void;

abstract class Transport {
  protected readonly pc: PeerConnectionLike;
  private readonly candidateListeners = new Set<CandidateListener>();
  private readonly trickle: boolean;

  constructor(options: TransportOptions = {}) {
    this.trickle = options.trickle ?? false;
    const Pc = peerConnectionClass(options.RTCPeerConnection);
    this.pc = new Pc(options.config ?? { iceServers: [] });
    this.pc.addEventListener('icecandidate', (event) => {
      const c = event.candidate;
      if (!c?.candidate) return;
      const init = c.toJSON ? c.toJSON() : c;
      this.candidateListeners.forEach((l) => l({ candidate: init.candidate, sdpMid: init.sdpMid ?? null, sdpMLineIndex: init.sdpMLineIndex ?? null }));
    });
  }

  get peerConnection(): PeerConnectionLike {
    return this.pc;
  }

  /** `icecandidate`: a local candidate to send to the server (which passes it to the transport's addIceCandidate). */
  on(event: 'icecandidate', listener: CandidateListener): () => void {
    if (event !== 'icecandidate') throw new Error(`unknown event ${String(event)}`);
    this.candidateListeners.add(listener);
    return () => this.candidateListeners.delete(listener);
  }

  addIceCandidate(candidate: IceCandidateInit): Promise<void> {
    return this.pc.addIceCandidate(candidate);
  }

  close(): void {
    this.candidateListeners.clear();
    this.pc.close();
  }

  /** The local description to hand to the server: at once when trickling, else once it holds every candidate. */
  protected async localSdp(fallback: string): Promise<string> {
    if (!this.trickle) await gathered(this.pc);
    return this.pc.localDescription?.sdp ?? fallback;
  }
}

export interface Publication {
  /** The publisher id the server will know this track by (the track id, carried in the SDP's msid). */
  readonly id: string;
  /** SDP offer to send to the server. */
  readonly offer: string;
}

export class PublishTransport extends Transport {
  /** Adds a track (send-only) and returns the offer for the server; candidates are in it once gathering ends. */
  async publish(track: MediaStreamTrackLike): Promise<Publication> {
    this.pc.addTransceiver(track, { direction: 'sendonly' });
    const offer = await this.pc.createOffer();
    await this.pc.setLocalDescription(offer);
    return { id: track.id, offer: await this.localSdp(offer.sdp) };
  }

  setAnswer(sdp: string): Promise<void> {
    return this.pc.setRemoteDescription({ type: 'answer', sdp });
  }
}

export interface SubscribedTrack {
  readonly id: string;
  readonly track: MediaStreamTrackLike;
}

export class SubscribeTransport extends Transport {
  private readonly waiting: ((event: TrackEventLike) => void)[] = [];

  constructor(options: TransportOptions = {}) {
    super(options);
    this.pc.addEventListener('track', (event) => this.waiting.shift()?.(event));
  }

  /**
   * Waits for the track of publisher `id`: ask the server to subscribe this transport to `id`; the
   * server's offer arrives (setOffer) and the promise resolves with the track it carries.
   */
  subscribe(id: string, timeoutMs = 10_000): Promise<SubscribedTrack> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`subscription to ${id}: no track within ${timeoutMs} ms`)), timeoutMs);
      this.waiting.push((event) => {
        clearTimeout(timer);
        resolve({ id, track: event.track });
      });
    });
  }

  /** Applies the server's (re)negotiation offer and returns the answer to send back. */
  async setOffer(sdp: string): Promise<string> {
    await this.pc.setRemoteDescription({ type: 'offer', sdp });
    const answer = await this.pc.createAnswer();
    await this.pc.setLocalDescription(answer);
    return this.localSdp(answer.sdp);
  }
}
