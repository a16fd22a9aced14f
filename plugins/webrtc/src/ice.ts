// werift peer configuration that works with no internet: host candidates on loopback (or the bound interface), no public STUN.
import { type PeerConfig, RTCRtpCodecParameters, useH264, useOPUS, useVP8 } from 'werift';

export interface IceOptions {
  /** ICE servers (STUN/TURN); empty by default, because nothing here may reach the internet. */
  readonly iceServers?: readonly { readonly urls: string; readonly username?: string; readonly credential?: string }[];
  /** Address host candidates are gathered on (default 127.0.0.1). */
  readonly host?: string;
}

/** Codecs every Rivulet peer offers: VP8, H.264 (packetization-mode 1) and Opus, with NACK and PLI feedback. */
export function defaultCodecs(): { video: RTCRtpCodecParameters[]; audio: RTCRtpCodecParameters[] } {
  return {
    video: [useVP8({ payloadType: 96 }), useH264({ payloadType: 102 })],
    audio: [useOPUS({ payloadType: 111 })],
  };
}

export function peerConfig(options: IceOptions = {}): Partial<PeerConfig> {
  const host = options.host ?? '127.0.0.1';
  return {
    codecs: defaultCodecs(),
    iceServers: options.iceServers ? options.iceServers.map((s) => ({ ...s })) : [],
    // werift's own interface scan would add every address; we want exactly the bound one.
    iceUseIpv4: false,
    iceUseIpv6: false,
    iceAdditionalHostAddresses: [host],
    iceInterfaceAddresses: { udp4: host },
  };
}

/** mDNS (`.local`) candidates make werift start an mDNS responder that outlives the peer; loopback work never needs them. */
export function usableCandidate(candidate: string): boolean {
  return !/\s[0-9a-f-]+\.local\s/i.test(candidate);
}

/** Removes `.local` candidate lines from a remote SDP before werift sees it. */
export function stripMdnsCandidates(sdp: string): string {
  return sdp
    .split(/\r?\n/)
    .filter((line) => !line.startsWith('a=candidate:') || usableCandidate(line))
    .join('\r\n');
}

/** A cheap shape check so garbage gets a clear error instead of a werift exception deep inside. */
export function sdpProblem(sdp: unknown): string | undefined {
  if (typeof sdp !== 'string' || sdp.length === 0) return 'empty SDP';
  if (!sdp.startsWith('v=0')) return 'SDP must start with "v=0"';
  if (!/^m=(audio|video|application) /m.test(sdp)) return 'SDP has no m= line';
  if (!/^a=fingerprint:/m.test(sdp)) return 'SDP has no DTLS fingerprint';
  if (!/^a=ice-ufrag:/m.test(sdp)) return 'SDP has no ICE credentials';
  return undefined;
}
