// The message a `signal/*` port carries, shared by every client node, and how each protocol encodes it.
//
// A `webrtc/peer` node (or anything else) negotiates through any signalling client by sending
// and receiving SignalMessage values: offers, answers and ICE candidates addressed by peer id,
// plus presence (`peer-joined` / `peer-left`) so it knows whom to call.

import type { IceCandidateInit } from '../webrtc/dom.js';

export type SignalKind = 'offer' | 'answer' | 'candidate' | 'bye' | 'peer-joined' | 'peer-left';

export interface SignalMessage {
  readonly kind: SignalKind;
  /** Inbound: the peer it came from. Outbound: the peer it goes to (the client's default peer when absent). */
  readonly peer?: string;
  /** SDP text, for `offer` and `answer`. */
  readonly sdp?: string;
  /** For `candidate`. */
  readonly candidate?: IceCandidateInit;
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
    return undefined;
  },
  decode(text: string, peer?: string): SignalMessage | undefined {
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
    return undefined;
  },
  decode(data: unknown, peer: string): SignalMessage | undefined {
    const d = record(data);
    if (!d) return undefined;
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
    return undefined;
  },
};
