// whipPublish / whepSubscribe: publish a stream to, or play one from, any WHIP/WHEP endpoint (draft-ietf-wish), non-trickle.
import { gathered, peerConnectionClass, type MediaStreamLike, type MediaStreamTrackLike, type PeerConnectionConstructor, type PeerConnectionLike, type RtcConfiguration } from './dom.js';

export interface WishOptions {
  /** Bearer token, when the endpoint wants one. */
  readonly token?: string;
  readonly config?: RtcConfiguration;
  readonly RTCPeerConnection?: PeerConnectionConstructor;
  readonly fetch?: typeof fetch;
}

export class WishError extends Error {
  override readonly name = 'WishError';
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

export interface WishSession {
  readonly pc: PeerConnectionLike;
  /** The session resource; DELETE ends it. */
  readonly location: string;
  /** Ends the session on the server and closes the peer. */
  stop(): Promise<void>;
}

export interface WhipSession extends WishSession {
  /** Publisher ids the router gave the tracks, when it says (Rivulet routers do). */
  readonly publisherIds: readonly string[];
}

export interface WhepSession extends WishSession {
  /** Tracks as they arrive; `tracks()` resolves once every m-line has one. */
  tracks(timeoutMs?: number): Promise<MediaStreamTrackLike[]>;
}

async function exchange(url: string, pc: PeerConnectionLike, options: WishOptions): Promise<{ location: string; headers: { get(name: string): string | null } }> {
  const doFetch = options.fetch ?? globalThis.fetch.bind(globalThis);
  await pc.setLocalDescription(await pc.createOffer());
  await gathered(pc);
  const res = await doFetch(url, {
    method: 'POST',
    headers: { 'Content-Type': 'application/sdp', ...(options.token ? { Authorization: `Bearer ${options.token}` } : {}) },
    body: pc.localDescription?.sdp ?? '',
  });
  const text = await res.text();
  if (res.status !== 201) throw new WishError(res.status, `${url}: HTTP ${res.status}: ${text}`);
  await pc.setRemoteDescription({ type: 'answer', sdp: text });
  return { location: new URL(res.headers.get('Location') ?? '', url).toString(), headers: res.headers };
}

function stopper(pc: PeerConnectionLike, location: string, options: WishOptions): () => Promise<void> {
  const doFetch = options.fetch ?? globalThis.fetch.bind(globalThis);
  return async () => {
    try {
      await doFetch(location, { method: 'DELETE', headers: options.token ? { Authorization: `Bearer ${options.token}` } : {} });
    } finally {
      pc.close();
    }
  };
}

/** Publishes every track of `stream` to a WHIP endpoint. */
export async function whipPublish(url: string, stream: MediaStreamLike, options: WishOptions = {}): Promise<WhipSession> {
  const Pc = peerConnectionClass(options.RTCPeerConnection);
  const pc = new Pc(options.config ?? { iceServers: [] });
  try {
    for (const track of stream.getTracks()) pc.addTransceiver(track, { direction: 'sendonly', streams: [stream] });
    const { location, headers } = await exchange(url, pc, options);
    const publisherIds = (headers.get('X-Rivulet-Publishers') ?? '').split(',').filter(Boolean);
    return { pc, location, publisherIds, stop: stopper(pc, location, options) };
  } catch (error) {
    pc.close();
    throw error;
  }
}

/** Plays from a WHEP endpoint: one recvonly m-line per kind asked for (video only by default). */
export async function whepSubscribe(url: string, options: WishOptions & { readonly kinds?: readonly ('audio' | 'video')[] } = {}): Promise<WhepSession> {
  const Pc = peerConnectionClass(options.RTCPeerConnection);
  const pc = new Pc(options.config ?? { iceServers: [] });
  const kinds = options.kinds ?? ['video'];
  const arrived: MediaStreamTrackLike[] = [];
  const waiters: (() => void)[] = [];
  pc.addEventListener('track', (event) => {
    arrived.push(event.track);
    waiters.splice(0).forEach((w) => w());
  });
  try {
    for (const kind of kinds) pc.addTransceiver(kind, { direction: 'recvonly' });
    const { location } = await exchange(url, pc, options);
    return {
      pc,
      location,
      stop: stopper(pc, location, options),
      tracks: (timeoutMs = 10_000) =>
        new Promise((resolve, reject) => {
          const timer = setTimeout(() => reject(new Error(`${url}: ${arrived.length}/${kinds.length} tracks within ${timeoutMs} ms`)), timeoutMs);
          const check = (): void => {
            if (arrived.length < kinds.length) return void waiters.push(check);
            clearTimeout(timer);
            resolve([...arrived]);
          };
          check();
        }),
    };
  } catch (error) {
    pc.close();
    throw error;
  }
}
