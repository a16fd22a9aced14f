// The SFU's per-packet path through werift 0.25, narrowed to what forwarding needs. Everything that reaches into
// werift's internals lives here, behind a version check; anything this path does not cover goes through werift.
//
// Sending: werift's RtpSender.sendRtp clones the packet, rebuilds the header extensions, takes a BigInt NTP time,
// re-serialises the header, concatenates three buffers in SRTP and awaits five hops to reach dgram. A forwarded packet
// needs none of that: RtpOutput writes the header straight into the output buffer, encrypts once (AES-GCM or AES-CM, werift's
// keys and rollover counter) and hands it to the nominated pair's UDP socket. werift's own state stays the truth:
// its NACK history gets a lazily built packet, its sender-report counters are kept, and its NTP/RTP clock pair is
// refreshed every 10 ms instead of on every packet.
// Receiving stays werift's: taking over its media handler (one decrypt buffer, a cheaper RTP parser) was measured and
// dropped, see docs/benchmarks.md (sfu): cheaper in a profile, but it made V8 run mark-compacts in the 1→4 rounds.
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { readFileSync } from 'node:fs';
import { isIP } from 'node:net';
import { RtpHeader, type RTCRtpSender, type RtpPacket } from 'werift';
import type { SrtpCipher } from '../srtp/cipher.js';
import { SrtpCm } from '../srtp/cm.js';
import { SrtpGcm } from '../srtp/gcm.js';

/** werift's SRTP protection profile numbers: AES_CM_128_HMAC_SHA1_80 (what Chromium picks) and AEAD_AES_128_GCM. */
const PROFILE_AES_CM_128_HMAC_SHA1_80 = 1;
const PROFILE_AEAD_AES_128_GCM = 7;
/** werift's RTP_HISTORY_SIZE: NACKs are answered from `rtpCache[seq % 128]`. */
const HISTORY = 128;
/** Seconds from the NTP epoch (1900) to the Unix epoch. */
const NTP_UNIX_OFFSET_S = 2_208_988_800;
/** How often the sender-report clock is refreshed from a sent packet. */
const CLOCK_REFRESH_MS = 10;
const noop = (): void => undefined;
/** Shared by every packet sent through werift: werift replaces the array on its copy of the header, never mutates it. */
const NO_EXTENSIONS: never[] = [];

/** The werift versions whose internals this module was written against and tested with. */
export const SUPPORTED_WERIFT = /^0\.25\./;

function installedWeriftVersion(): string | undefined {
  try {
    // werift's exports do not include package.json: find it above the entry point.
    let dir = dirname(createRequire(import.meta.url).resolve('werift'));
    for (let i = 0; i < 6; i++, dir = dirname(dir)) {
      try {
        const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { name?: unknown; version?: unknown };
        if (pkg.name === 'werift' && typeof pkg.version === 'string') return pkg.version;
      } catch {
        // not here: one level up
      }
    }
  } catch {
    // werift not resolvable from here: leave the fast path off
  }
  return undefined;
}

export const weriftVersion = installedWeriftVersion();
/** False when the installed werift is not one this module knows: every packet then takes werift's own path. */
export const fastPathAvailable = weriftVersion !== undefined && SUPPORTED_WERIFT.test(weriftVersion);

// --- the werift 0.25 internals used, as structural types ---------------------------------------------------------

interface SsrcState {
  ssrc: number;
  rolloverCounter: number;
  rolloverHasProcessed?: boolean;
  lastSequenceNumber: number;
}

interface SrtpContextInternals {
  readonly profile: number;
  readonly srtpSessionKey: Buffer;
  readonly srtpSessionSalt: Buffer;
  readonly srtpSessionAuthTag: Buffer;
  readonly srtpSSRCStates: Record<number, SsrcState | undefined>;
  getSrtpSsrcState(ssrc: number): SsrcState;
  updateRolloverCount(sequenceNumber: number, state: SsrcState): void;
}

interface SrtpSessionInternals {
  localContext: SrtpContextInternals;
  remoteContext: SrtpContextInternals;
  decrypt: (packet: Buffer) => Buffer;
}

interface UdpTransportInternals {
  readonly closed: boolean;
  readonly socket?: { send(data: Buffer, port: number, address: string): void };
}

interface CandidatePairInternals {
  readonly remoteAddr: readonly [string, number];
  readonly protocol: { readonly type: string; readonly transport?: UdpTransportInternals };
  packetsSent: number;
  bytesSent: number;
}

interface ConnectionInternals {
  readonly nominated?: CandidatePairInternals;
  canSendApplicationData(): boolean;
}

interface DtlsInternals {
  readonly state: string;
  readonly srtp?: SrtpSessionInternals;
  readonly config: { readonly debug?: { readonly outboundPacketLoss?: number } };
  readonly iceTransport: { readonly connection: ConnectionInternals };
  bytesSent: number;
  packetsSent: number;
}

interface SenderInternals {
  readonly ssrc: number;
  readonly stopped: boolean;
  readonly codec?: { readonly payloadType: number; readonly name: string };
  readonly headerExtensions: readonly unknown[];
  readonly redRedundantPayloadType?: number;
  readonly dtlsTransport?: DtlsInternals;
  readonly rtcpRunning: boolean;
  rtpCache: unknown[];
  ntpTimestamp: bigint;
  rtpTimestamp: number;
  octetCount: number;
  packetCount: number;
  headerBytesSent: number;
  sequenceNumber?: number;
  timestamp?: number;
  runRtcp(): Promise<void>;
  sendRtp(packet: RtpPacket): Promise<void>;
}

/** The members this module touches, checked once per object so a werift that moved them is never half-patched. */
function isSender(s: SenderInternals): boolean {
  return typeof s.runRtcp === 'function' && Array.isArray(s.rtpCache) && Array.isArray(s.headerExtensions) && typeof s.ntpTimestamp === 'bigint' && typeof s.packetCount === 'number';
}

function isContext(ctx: SrtpContextInternals | undefined): ctx is SrtpContextInternals {
  return !!ctx && Buffer.isBuffer(ctx.srtpSessionKey) && Buffer.isBuffer(ctx.srtpSessionSalt) && typeof ctx.srtpSSRCStates === 'object' && typeof ctx.getSrtpSsrcState === 'function' && typeof ctx.updateRolloverCount === 'function';
}

/** The fast path's cipher for a werift SRTP context, or undefined for a profile it does not implement. */
function cipherFor(ctx: SrtpContextInternals): SrtpCipher | undefined {
  if (ctx.profile === PROFILE_AEAD_AES_128_GCM) return new SrtpGcm(ctx.srtpSessionKey, ctx.srtpSessionSalt);
  if (ctx.profile === PROFILE_AES_CM_128_HMAC_SHA1_80 && Buffer.isBuffer(ctx.srtpSessionAuthTag)) return new SrtpCm(ctx.srtpSessionKey, ctx.srtpSessionSalt, ctx.srtpSessionAuthTag);
  return undefined;
}

function isSrtpSession(srtp: SrtpSessionInternals | undefined): srtp is SrtpSessionInternals {
  return !!srtp && isContext(srtp.localContext) && isContext(srtp.remoteContext) && typeof srtp.decrypt === 'function';
}

// --- sending ------------------------------------------------------------------------------------------------------

/** A sent packet as werift's NACK handler reads it from `rtpCache`; its RtpHeader is built only if a NACK asks. */
class SentPacket {
  sequenceNumber = -1;
  timestamp = 0;
  payloadType = 0;
  marker = false;
  ssrc = 0;
  csrc: number[] = [];
  payload: Buffer = Buffer.alloc(0);
  private built: RtpHeader | undefined;

  set(sequenceNumber: number, timestamp: number, payloadType: number, marker: boolean, ssrc: number, csrc: number[], payload: Buffer): void {
    this.sequenceNumber = sequenceNumber;
    this.timestamp = timestamp;
    this.payloadType = payloadType;
    this.marker = marker;
    this.ssrc = ssrc;
    this.csrc = csrc;
    this.payload = payload;
    this.built = undefined;
  }

  get header(): RtpHeader {
    this.built ??= new RtpHeader({ payloadType: this.payloadType, marker: this.marker, sequenceNumber: this.sequenceNumber, timestamp: this.timestamp, ssrc: this.ssrc, csrc: [...this.csrc] });
    return this.built;
  }
}

/** Per DTLS/SRTP session and candidate pair: what one send needs, rebuilt when either changes. */
interface Route {
  readonly srtp: SrtpSessionInternals;
  readonly cipher: SrtpCipher;
  readonly pair: CandidatePairInternals;
  readonly socket: NonNullable<UdpTransportInternals['socket']>;
  readonly transport: UdpTransportInternals;
}

/**
 * One subscriber sender's output. `send` forwards a publisher's packet as this sender's stream (its SSRC and payload
 * type, the given sequence number and timestamp, no header extensions) without changing the packet, which other
 * consumers share.
 */
export class RtpOutput {
  /** Packets sent by this module, and by werift's own path (before DTLS is up, other profiles, extensions, RED…). */
  fastPackets = 0;
  weriftPackets = 0;
  private readonly s: SenderInternals;
  private readonly usable: boolean;
  private route: Route | undefined;
  /** The SRTP session and pair a route could not be made for (another profile, TURN…): not retried per packet. */
  private unroutable: { srtp: unknown; pair: unknown } | undefined;
  private redChecked: { codec: unknown; red: boolean } | undefined;
  private readonly history: SentPacket[] = [];
  /** performance.now() when the sender-report clock (NTP time, RTP timestamp) was last set. */
  private clockSetAt = -Infinity;

  constructor(sender: RTCRtpSender) {
    this.s = sender as unknown as SenderInternals;
    this.usable = fastPathAvailable && isSender(this.s);
  }

  send(packet: RtpPacket, sequenceNumber: number, timestamp: number): void {
    const route = this.usable ? this.currentRoute() : undefined;
    if (route) this.sendFast(route, packet, sequenceNumber, timestamp);
    else this.sendThroughWerift(packet, sequenceNumber, timestamp);
  }

  private sendFast(route: Route, packet: RtpPacket, sequenceNumber: number, timestamp: number): void {
    const s = this.s;
    const h = packet.header;
    const payload = packet.payload;
    const csrc = h.csrc;
    const ssrc = s.ssrc;
    const payloadType = s.codec!.payloadType;
    const headerLength = 12 + csrc.length * 4;
    const out = Buffer.allocUnsafe(headerLength + payload.length + route.cipher.tagLength);
    // V=2, no padding (werift's payload excludes it), no extension: the publisher's ids mean nothing to this subscriber.
    out[0] = 0x80 | csrc.length;
    out[1] = (h.marker ? 0x80 : 0) | (payloadType & 0x7f);
    out.writeUInt16BE(sequenceNumber, 2);
    out.writeUInt32BE(timestamp, 4);
    out.writeUInt32BE(ssrc, 8);
    for (let i = 0; i < csrc.length; i++) out.writeUInt32BE(csrc[i]!, 12 + i * 4);

    const ctx = route.srtp.localContext;
    const state = ctx.getSrtpSsrcState(ssrc);
    ctx.updateRolloverCount(sequenceNumber, state);
    route.cipher.protectInto(out, headerLength, payload, ssrc, sequenceNumber, state.rolloverCounter);

    try {
      route.socket.send(out, route.pair.remoteAddr[1], route.pair.remoteAddr[0]);
    } catch {
      // socket closing under us: werift's own send drops the packet the same way
    }

    const dtls = s.dtlsTransport!;
    dtls.bytesSent += out.length;
    dtls.packetsSent++;
    route.pair.packetsSent++;
    route.pair.bytesSent += out.length;
    s.sequenceNumber = sequenceNumber;
    s.timestamp = timestamp;
    s.octetCount += payload.length;
    s.headerBytesSent += headerLength;
    s.packetCount = (s.packetCount + 1) >>> 0;
    // werift pairs ntpTimestamp and rtpTimestamp in its sender reports (about one a second): any packet's pair is a
    // correct mapping, so it is refreshed every few milliseconds instead of a BigInt NTP time per packet.
    const now = performance.now();
    if (now - this.clockSetAt >= CLOCK_REFRESH_MS) {
      this.clockSetAt = now;
      s.ntpTimestamp = ntpTimestamp(performance.timeOrigin + now);
      s.rtpTimestamp = timestamp;
    }
    const slot = sequenceNumber % HISTORY;
    const sent = (this.history[slot] ??= new SentPacket());
    sent.set(sequenceNumber, timestamp, payloadType, h.marker, ssrc, csrc, payload);
    s.rtpCache[slot] = sent;
    if (!s.rtcpRunning) s.runRtcp().catch(noop);
    this.fastPackets++;
  }

  // werift copies the header synchronously before its first await, so the shared packet is restored at once. The
  // publisher's extensions are dropped here too; werift adds the ones negotiated with this subscriber.
  private sendThroughWerift(packet: RtpPacket, sequenceNumber: number, timestamp: number): void {
    const header = packet.header;
    const { sequenceNumber: seq, timestamp: ts, extensions, extension } = header;
    header.sequenceNumber = sequenceNumber;
    header.timestamp = timestamp;
    header.extensions = NO_EXTENSIONS;
    header.extension = false;
    this.s.sendRtp(packet).catch(noop);
    header.sequenceNumber = seq;
    header.timestamp = ts;
    header.extensions = extensions;
    header.extension = extension;
    this.clockSetAt = -Infinity;
    this.weriftPackets++;
  }

  // werift's codec.name splits the MIME type on every read: asked once per negotiated codec.
  private isRed(codec: NonNullable<SenderInternals['codec']>): boolean {
    if (codec !== this.redChecked?.codec) this.redChecked = { codec, red: codec.name.toLowerCase() === 'red' };
    return this.redChecked.red;
  }

  private currentRoute(): Route | undefined {
    const s = this.s;
    const dtls = s.dtlsTransport;
    if (s.stopped || !s.codec || dtls?.state !== 'connected') return undefined;
    // Header extensions (mid, TWCC, abs-send-time) and RED need werift's per-packet work; the router negotiates none.
    if (s.headerExtensions.length > 0 || s.redRedundantPayloadType !== undefined || this.isRed(s.codec)) return undefined;
    const connection = dtls.iceTransport.connection;
    if (!connection.canSendApplicationData()) return undefined;
    const route = this.route;
    if (route && route.srtp === dtls.srtp && route.pair === connection.nominated && !route.transport.closed) return route;
    if (this.unroutable && this.unroutable.srtp === dtls.srtp && this.unroutable.pair === connection.nominated) return undefined;
    this.route = makeRoute(dtls);
    this.unroutable = this.route ? undefined : { srtp: dtls.srtp, pair: connection.nominated };
    return this.route;
  }

}

function makeRoute(dtls: DtlsInternals): Route | undefined {
  const srtp = dtls.srtp;
  const cipher = isSrtpSession(srtp) ? cipherFor(srtp.localContext) : undefined;
  if (!srtp || !cipher || dtls.config.debug?.outboundPacketLoss) return undefined;
  const pair = dtls.iceTransport.connection.nominated;
  const transport = pair?.protocol.type === 'stun' ? pair.protocol.transport : undefined;
  const socket = transport?.socket;
  if (!pair || !transport || !socket || typeof socket.send !== 'function' || !isIP(pair.remoteAddr[0])) return undefined;
  return { srtp, cipher, pair, socket, transport };
}

/** A 64-bit NTP timestamp (seconds since 1900 . fraction) for a Unix time in milliseconds. */
export function ntpTimestamp(unixMs: number): bigint {
  const seconds = Math.floor(unixMs / 1000);
  const fraction = Math.floor(((unixMs - seconds * 1000) / 1000) * 0x1_0000_0000);
  return (BigInt(seconds + NTP_UNIX_OFFSET_S) << 32n) | BigInt(Math.min(fraction, 0xffff_ffff));
}
