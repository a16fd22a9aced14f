// Shared werift peer handling for SFU transports: creation, trickle, bounded negotiation.
import { RTCPeerConnection, type RTCIceCandidate } from 'werift';
import { peerConfig, stripMdnsCandidates, sdpProblem, usableCandidate, type IceOptions } from '../ice.js';
import type { IceCandidateInit } from '../signal.js';
import { SfuError, errorMessage } from './errors.js';

export function createPeer(ice: IceOptions): RTCPeerConnection {
  return new RTCPeerConnection(peerConfig(ice));
}

/** Applies a remote description, turning werift's exceptions into a client-facing error. */
export async function applyRemote(pc: RTCPeerConnection, type: 'offer' | 'answer', sdp: unknown, who: string): Promise<void> {
  const problem = sdpProblem(sdp);
  if (problem) throw new SfuError('bad-sdp', `${who}: malformed SDP ${type}: ${problem}`);
  try {
    await pc.setRemoteDescription({ type, sdp: stripMdnsCandidates(sdp as string) });
  } catch (error) {
    throw new SfuError('bad-sdp', `${who}: SDP ${type} refused: ${errorMessage(error)}`);
  }
}

export async function addCandidate(pc: RTCPeerConnection, candidate: IceCandidateInit): Promise<void> {
  if (!candidate.candidate || !usableCandidate(candidate.candidate)) return;
  await pc.addIceCandidate(candidate as RTCIceCandidate).catch(() => undefined);
}

export function candidateInit(candidate: RTCIceCandidate): IceCandidateInit {
  const json = candidate.toJSON();
  return { candidate: json.candidate ?? '', sdpMid: json.sdpMid ?? null, sdpMLineIndex: json.sdpMLineIndex ?? null };
}
