// The SignalMessage carried on `signal/*` ports: @rivulet/client defines it once for every signalling
// client and for this plugin's nodes, so both ends of a signal edge agree on one type.
import type { RtcIceCandidateInit, SignalMessage } from '@rivulet/client';

export type { SignalKind, SignalMessage } from '@rivulet/client';
export type IceCandidateInit = RtcIceCandidateInit;

export function isSignalMessage(value: unknown): value is SignalMessage {
  return typeof value === 'object' && value !== null && typeof (value as { kind?: unknown }).kind === 'string';
}
