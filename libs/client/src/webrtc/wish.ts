// whipPublish / whepSubscribe: publish a stream to, or play one from, any WHIP/WHEP endpoint (RFC 9725 and WHEP),
// trickling local candidates by PATCH when the server offers it, or sending them all in the offer.
import { gathered, peerConnectionClass, type MediaStreamLike, type MediaStreamTrackLike, type PeerConnectionConstructor, type PeerConnectionLike, type RtcConfiguration } from './dom.js';
import { CandidateTrickler, SDPFRAG_TYPE, type TrickleState } from './trickle.js';

export interface WishOptions {
  /** Bearer token, when the endpoint wants one. */
  readonly token?: string;
  readonly config?: RtcConfiguration;
  readonly RTCPeerConnection?: PeerConnectionConstructor;
  readonly fetch?: typeof fetch;
  /**
   * true (default): POST the offer at once and send candidates by PATCH as they are found; a server that
   * offers no trickle (no Accept-Patch, or PATCH → 405/501) is sent none, and learns the client's address
   * from its connectivity checks. false: wait for gathering and POST every candidate in the offer.
   */
  readonly trickle?: boolean;
}

/** An ICE server a WHIP/WHEP session announced in a `Link: <url>; rel="ice-server"` header. */
export interface AnnouncedIceServer {
  readonly urls: string;
  readonly username?: string;
  readonly credential?: string;
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
  /** ICE servers the server announced for this session (Link headers); empty when it named none. */
  readonly iceServers: readonly AnnouncedIceServer[];
  /** Where trickling stands: `gathering` (PATCHing), `done` (end-of-candidates sent), `unsupported`, `failed`, or `off`. */
  readonly trickle: TrickleState | 'off';
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

interface Exchanged {
  readonly location: string;
  readonly headers: { get(name: string): string | null };
  readonly trickler: CandidateTrickler | undefined;
  readonly iceServers: readonly AnnouncedIceServer[];
}

async function exchange(url: string, pc: PeerConnectionLike, options: WishOptions): Promise<Exchanged> {
  const doFetch = options.fetch ?? globalThis.fetch.bind(globalThis);
  const auth: Record<string, string> = options.token ? { Authorization: `Bearer ${options.token}` } : {};
  // Listening before the offer is made, so no candidate is missed; they wait until the session URL is known.
  const trickler = options.trickle === false ? undefined : new CandidateTrickler(pc);
  await pc.setLocalDescription(await pc.createOffer());
  if (!trickler) await gathered(pc);
  const res = await doFetch(url, { method: 'POST', headers: { 'Content-Type': 'application/sdp', ...auth }, body: pc.localDescription?.sdp ?? '' });
  const text = await res.text();
  if (res.status !== 201) {
    trickler?.stop();
    throw new WishError(res.status, `${url}: HTTP ${res.status}: ${text}`);
  }
  const location = new URL(res.headers.get('Location') ?? '', url).toString();
  await pc.setRemoteDescription({ type: 'answer', sdp: text });
  const acceptsTrickle = (res.headers.get('Accept-Patch') ?? '').split(',').some((t) => t.trim() === SDPFRAG_TYPE);
  trickler?.start({ location, etag: res.headers.get('ETag'), headers: auth, fetch: doFetch }, acceptsTrickle);
  return { location, headers: res.headers, trickler, iceServers: parseIceServerLinks(res.headers.get('Link')) };
}

/** Reads `Link: <url>; rel="ice-server"; username="…"; credential="…"` values (several may share one header, comma-separated). */
export function parseIceServerLinks(header: string | null): AnnouncedIceServer[] {
  if (!header) return [];
  const out: AnnouncedIceServer[] = [];
  for (const match of header.matchAll(/<([^>]+)>((?:\s*;\s*[\w-]+=(?:"(?:[^"\\]|\\.)*"|[^;,]*))*)/g)) {
    const params = new Map<string, string>();
    for (const p of (match[2] ?? '').matchAll(/;\s*([\w-]+)=(?:"((?:[^"\\]|\\.)*)"|([^;,]*))/g)) params.set((p[1] ?? '').toLowerCase(), p[2] !== undefined ? p[2].replace(/\\(.)/g, '$1') : (p[3] ?? '').trim());
    if (params.get('rel') !== 'ice-server') continue;
    const username = params.get('username');
    const credential = params.get('credential');
    out.push({ urls: match[1] ?? '', ...(username !== undefined ? { username } : {}), ...(credential !== undefined ? { credential } : {}) });
  }
  return out;
}

function stopper(pc: PeerConnectionLike, location: string, options: WishOptions, trickler: CandidateTrickler | undefined): () => Promise<void> {
  const doFetch = options.fetch ?? globalThis.fetch.bind(globalThis);
  return async () => {
    trickler?.stop();
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
    const { location, headers, trickler, iceServers } = await exchange(url, pc, options);
    const publisherIds = (headers.get('X-Rivulet-Publishers') ?? '').split(',').filter(Boolean);
    return {
      pc,
      location,
      publisherIds,
      iceServers,
      get trickle() {
        return trickler?.state ?? 'off';
      },
      stop: stopper(pc, location, options, trickler),
    };
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
    const { location, trickler, iceServers } = await exchange(url, pc, options);
    return {
      pc,
      location,
      iceServers,
      get trickle() {
        return trickler?.state ?? 'off';
      },
      stop: stopper(pc, location, options, trickler),
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
