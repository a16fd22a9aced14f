// Trickle ICE SDP fragments (RFC 8840, as WHIP/WHEP PATCH bodies use them, RFC 9725 §4.3): read what a client sends.
import type { IceCandidateInit } from '../signal.js';

export const SDPFRAG_TYPE = 'application/trickle-ice-sdpfrag';

export interface SdpFragment {
  /** Present when the client sent ICE credentials: unchanged ones name the ICE session, new ones ask for a restart. */
  readonly ufrag: string | undefined;
  readonly pwd: string | undefined;
  readonly candidates: readonly IceCandidateInit[];
  readonly endOfCandidates: boolean;
}

const CANDIDATE = /^candidate:\S+ \d+ (udp|tcp) \d+ \S+ \d+ typ (host|srflx|prflx|relay)(\s|$)/i;

/** Parses a fragment, or returns the reason it is malformed. */
export function parseSdpFragment(text: string): SdpFragment | { readonly problem: string } {
  const lines = text.split(/\r?\n/).filter((line) => line.length > 0);
  let ufrag: string | undefined;
  let pwd: string | undefined;
  let mid: string | null = null;
  let mLineIndex = -1;
  let endOfCandidates = false;
  const candidates: IceCandidateInit[] = [];
  for (const [index, line] of lines.entries()) {
    if (line.startsWith('m=')) {
      mLineIndex++;
      mid = null;
    } else if (line.startsWith('a=mid:')) mid = line.slice(6).trim();
    else if (line.startsWith('a=ice-ufrag:')) ufrag = line.slice(12).trim();
    else if (line.startsWith('a=ice-pwd:')) pwd = line.slice(10).trim();
    else if (line === 'a=end-of-candidates') endOfCandidates = true;
    else if (line.startsWith('a=candidate:')) {
      const candidate = line.slice(2);
      if (!CANDIDATE.test(candidate)) return { problem: `line ${index + 1} is not an ICE candidate: "${line.slice(0, 80)}"` };
      candidates.push({ candidate, sdpMid: mid, sdpMLineIndex: Math.max(mLineIndex, 0) });
    } else if (!/^[a-z]=/.test(line)) return { problem: `line ${index + 1} is not an SDP line: "${line.slice(0, 80)}"` };
  }
  if (candidates.length === 0 && !endOfCandidates && ufrag === undefined) return { problem: 'the fragment has no candidate, end-of-candidates or ICE credentials' };
  if ((ufrag === undefined) !== (pwd === undefined)) return { problem: 'a=ice-ufrag and a=ice-pwd go together' };
  return { ufrag, pwd, candidates, endOfCandidates };
}

/** The session-level or first media-level ICE credentials of a full SDP. */
export function iceCredentials(sdp: string): { ufrag: string | undefined; pwd: string | undefined } {
  return { ufrag: /^a=ice-ufrag:(\S+)/m.exec(sdp)?.[1], pwd: /^a=ice-pwd:(\S+)/m.exec(sdp)?.[1] };
}

/** One `Link` header value per ICE server (RFC 9725 §4.4): `<turn:…>; rel="ice-server"; username="…"; credential="…"`. */
export function iceServerLinks(servers: readonly { readonly urls: string; readonly username?: string; readonly credential?: string }[]): string[] {
  const quoted = (value: string) => `"${value.replace(/["\\]/g, '\\$&')}"`;
  return servers.map((s) => {
    let link = `<${s.urls}>; rel="ice-server"`;
    if (s.username !== undefined) link += `; username=${quoted(s.username)}`;
    if (s.credential !== undefined) link += `; credential=${quoted(s.credential)}; credential-type="password"`;
    return link;
  });
}
