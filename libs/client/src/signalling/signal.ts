// The message a `signal/*` port carries, shared by every client node, and how each protocol encodes it.
//
// A `webrtc/peer` node (or anything else) negotiates through any signalling client by sending
// and receiving SignalMessage values: offers, answers and ICE candidates addressed by peer id,
// presence (`peer-joined` / `peer-left`) so it knows whom to call, and `error` replies (a refused
// offer, a stale answer) so a peer learns why its call went nowhere.

import type { IceCandidateInit } from '../webrtc/dom.js';

export type SignalKind = 'offer' | 'answer' | 'candidate' | 'bye' | 'peer-joined' | 'peer-left' | 'error';

export interface SignalMessage {
  readonly kind: SignalKind;
  /** Inbound: the peer it came from. Outbound: the peer it goes to (the client's default peer when absent). */
  readonly peer?: string;
  /** SDP text, for `offer` and `answer`. */
  readonly sdp?: string;
  /** For `candidate`. */
  readonly candidate?: IceCandidateInit;
  /** For `error`: a stable code (`bad-sdp`, `stale-answer`, `no-call`…; `server` for the signalling server's own errors). */
  readonly code?: string;
  /** For `error`: what went wrong, in words. */
  readonly reason?: string;
}

/** The code of an error message, `error` when it names none. */
function errorCode(message: SignalMessage): string {
  return message.code !== undefined && /^[\w.-]+$/.test(message.code) ? message.code : 'error';
}

/** `ERROR <code>: <reason>` — the room/session protocol's error text, which gst-examples clients print and stop on. */
function errorText(message: SignalMessage): string {
  return `ERROR ${errorCode(message)}: ${(message.reason ?? '').replace(/[\r\n]+/g, ' ')}`;
}

/** Reads an ERROR text: `ERROR <code>: <reason>` from Rivulet peers, any other `ERROR …` (servers, gst clients) as code `error`. */
export function parseErrorText(text: string, peer?: string): SignalMessage | undefined {
  if (!text.startsWith('ERROR')) return undefined;
  const rest = text.slice(5).trim();
  const coded = /^([\w.-]+): ?([\s\S]*)$/.exec(rest);
  return { kind: 'error', code: coded?.[1] ?? 'error', reason: coded ? (coded[2] ?? '') : rest, ...(peer === undefined ? {} : { peer }) };
}

function errorFields(d: Record<string, unknown>): { code: string; reason: string } {
  return { code: typeof d['code'] === 'string' ? d['code'] : 'error', reason: typeof d['reason'] === 'string' ? d['reason'] : '' };
}

export type SignalPort = 'signal/room' | 'signal/named-stream' | 'signal/users-list';

function record(value: unknown): Record<string, unknown> | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
}

function candidateFrom(value: unknown): IceCandidateInit | undefined {
  const c = record(value);
  if (!c || typeof c['candidate'] !== 'string') return undefined;
  const out: { candidate: string; sdpMid?: string | null; sdpMLineIndex?: number | null } = { candidate: c['candidate'] };
  if (typeof c['sdpMid'] === 'string' || c['sdpMid'] === null) out.sdpMid = c['sdpMid'] as string | null;
  if (typeof c['sdpMLineIndex'] === 'number' || c['sdpMLineIndex'] === null) out.sdpMLineIndex = c['sdpMLineIndex'] as number | null;
  return out;
}

/** GStreamer room/session JSON: `{"sdp":{"type","sdp"}}` and `{"ice":{"candidate","sdpMLineIndex",…}}`. */
export const gstJson = {
  encode(message: SignalMessage): string | undefined {
    if ((message.kind === 'offer' || message.kind === 'answer') && message.sdp !== undefined) return JSON.stringify({ sdp: { type: message.kind, sdp: message.sdp } });
    if (message.kind === 'candidate' && message.candidate) return JSON.stringify({ ice: message.candidate });
    if (message.kind === 'error') return errorText(message);
    return undefined;
  },
  decode(text: string, peer?: string): SignalMessage | undefined {
    if (text.startsWith('ERROR')) return parseErrorText(text, peer);
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      return undefined;
    }
    const msg = record(parsed);
    const sdp = record(msg?.['sdp']);
    if (sdp && (sdp['type'] === 'offer' || sdp['type'] === 'answer') && typeof sdp['sdp'] === 'string') return { kind: sdp['type'], sdp: sdp['sdp'], ...(peer === undefined ? {} : { peer }) };
    const candidate = candidateFrom(msg?.['ice']);
    if (candidate) return { kind: 'candidate', candidate, ...(peer === undefined ? {} : { peer }) };
    return undefined;
  },
};

/** Named-stream NOTIFY data as streams.html sends it: an RTCSessionDescription or an RTCIceCandidate as JSON. */
export const namedStreamData = {
  encode(message: SignalMessage): unknown {
    if ((message.kind === 'offer' || message.kind === 'answer') && message.sdp !== undefined) return { type: message.kind, sdp: message.sdp };
    if (message.kind === 'candidate' && message.candidate) return message.candidate;
    if (message.kind === 'error') return { type: 'error', code: errorCode(message), reason: message.reason ?? '' };
    return undefined;
  },
  decode(data: unknown, peer: string): SignalMessage | undefined {
    const d = record(data);
    if (!d) return undefined;
    if (d['type'] === 'error') return { kind: 'error', ...errorFields(d), peer };
    const candidate = candidateFrom(d);
    if (candidate) return { kind: 'candidate', candidate, peer };
    if ((d['type'] === 'offer' || d['type'] === 'answer') && typeof d['sdp'] === 'string') return { kind: d['type'], sdp: d['sdp'], peer };
    return undefined;
  },
};

/** Users-list messages as the p2p-video client sends them: `{type, offer|answer|candidate, id, contact}`. */
export const usersListMessage = {
  encode(message: SignalMessage, to: string, self: string): Record<string, unknown> | undefined {
    if ((message.kind === 'offer' || message.kind === 'answer') && message.sdp !== undefined) {
      return { type: message.kind, [message.kind]: { type: message.kind, sdp: message.sdp }, id: to, contact: self };
    }
    if (message.kind === 'candidate' && message.candidate) return { type: 'ice-candidate', candidate: message.candidate, id: to, contact: self };
    if (message.kind === 'bye') return { type: 'hangup', id: to, contact: self };
    if (message.kind === 'error') return { type: 'error', code: errorCode(message), reason: message.reason ?? '', id: to, contact: self };
    return undefined;
  },
  decode(value: unknown): SignalMessage | undefined {
    const m = record(value);
    if (!m) return undefined;
    const peer = typeof m['contact'] === 'string' ? m['contact'] : undefined;
    const from = peer === undefined ? {} : { peer };
    if (m['type'] === 'offer' || m['type'] === 'answer') {
      const description = record(m[m['type']]);
      if (typeof description?.['sdp'] === 'string') return { kind: m['type'], sdp: description['sdp'], ...from };
    }
    if (m['type'] === 'ice-candidate') {
      const candidate = candidateFrom(m['candidate']);
      if (candidate) return { kind: 'candidate', candidate, ...from };
    }
    if (m['type'] === 'hangup') return { kind: 'bye', ...from };
    if (m['type'] === 'error') return { kind: 'error', ...errorFields(m), ...from };
    return undefined;
  },
};
