// The SignalMessage carried on `signal/*` ports, as @rivulet/plugin-signalling defines it (plugins share no internals, so it is restated here).

export type SignalKind = 'offer' | 'answer' | 'candidate' | 'bye' | 'peer-joined' | 'peer-left' | 'error';

export interface IceCandidateInit {
  readonly candidate: string;
  readonly sdpMid?: string | null;
  readonly sdpMLineIndex?: number | null;
}

export interface SignalMessage {
  readonly kind: SignalKind;
  readonly peer?: string;
  readonly sdp?: string;
  readonly candidate?: IceCandidateInit;
  /** For `error`: a stable code (`bad-sdp`, `stale-answer`, `sdp-refused`, `no-call`; `server` from the signalling server). */
  readonly code?: string;
  /** For `error`: what went wrong, for that peer only. */
  readonly reason?: string;
}

export function isSignalMessage(value: unknown): value is SignalMessage {
  return typeof value === 'object' && value !== null && typeof (value as { kind?: unknown }).kind === 'string';
}
